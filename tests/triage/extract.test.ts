import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createKnowledgeExtractor } from "../../src/engine/reading.ts";
import { EVAL_DIR, readJsonl, shippedKnowledge } from "../helpers/knowledge.ts";

const extractor = createKnowledgeExtractor(shippedKnowledge());
type Line = { text: string; expect: Record<string, string>; absent?: string[] };

describe("finding extraction", () => {
  it("finds every expected finding in extract-dev.jsonl and no red flag that isn't there", () => {
    for (const line of readJsonl<Line>(join(EVAL_DIR, "extract-dev.jsonl"))) {
      const found = extractor.extract(line.text);
      for (const [f, v] of Object.entries(line.expect))
        expect(found[f], `${line.text}: ${f}`).toBe(v);
      for (const f of line.absent ?? []) expect(found[f], `${line.text}: ${f}`).toBeUndefined();
      const flags = Object.keys(found).filter((f) => f.startsWith("rf_") && found[f] === "yes");
      for (const f of flags) expect(line.expect[f], `${line.text}: unexpected ${f}`).toBe("yes");
    }
  });

  it.each([
    ["I can't put any weight on it", "rf_cannot_bear_weight"],
    ["my calf is really swollen", "rf_calf_swelling"],
    ["I've got a fever and my knee is hot", "rf_hot_swollen_fever"],
    ["heard a pop when I twisted it", "rf_pop"],
    ["my knee is locked and won't straighten", "rf_locked"],
    ["I'm short of breath", "rf_chest_breathless"],
    ["my foot has gone numb", "rf_numb_cold_foot"],
    ["the kneecap popped out of place", "rf_deformity"],
    ["pain wakes me up at night", "rf_night_pain_weight_loss"],
    ["I've lost weight without trying", "rf_night_pain_weight_loss"],
    ["it swelled up within a few hours", "rf_rapid_swelling"],
    ["I've got a high temperature", "rf_hot_swollen_fever"],
  ])("reads a red flag: %s", (text, flag) => {
    expect(extractor.extract(text)[flag]).toBe("yes");
  });

  it.each([
    "no swelling at all",
    "I can walk fine",
    "it isn't swollen and there's no fever",
    "never had a pop or anything",
    "my knee clicks when I squat",
    "I'm breathing hard on hills",
    "after my run last night my knee hurt",
    "running in cold temperatures hurts my knee",
    "my knee popped when I stood up",
    "my knee swells after long runs and goes down within hours",
    "I've lost weight and my knees feel better",
    "my knee is numb after icing",
  ])("does not raise a red flag for %j", (text) => {
    const found = extractor.extract(text);
    expect(Object.keys(found).filter((f) => f.startsWith("rf_") && found[f] === "yes")).toEqual([]);
  });

  it("reads painful clicking, duration and a gradual build-up, but not a painless click", () => {
    expect(extractor.extract("my knee clicks when I squat").catching_clicking).toBeUndefined();
    expect(extractor.extract("my knee clicks and it hurts").catching_clicking).toBe("yes");
    expect(extractor.extract("pain below my kneecap for 2 months").duration_6_weeks).toBe("yes");
    expect(extractor.extract("it started after I upped my mileage").onset).toBe("gradual");
  });

  it("keeps negation inside its clause", () => {
    expect(extractor.extract("no fever but my calf is swollen").rf_calf_swelling).toBe("yes");
  });

  it("prefers the most specific location", () => {
    expect(extractor.extract("pain just below the kneecap").location).toBe("below_kneecap");
    expect(extractor.extract("it hurts behind the knee").location).toBe("back");
    expect(extractor.extract("sore on the inside of my knee").location).toBe("inner");
  });
});
