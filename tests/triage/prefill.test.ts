/**
 * Issue 11's pre-fill cases: what an opening message says must never skip a question into a
 * less urgent outcome. Each vignette answers the remaining questions from its findings (as
 * triage-eval does), so a wrongly pre-filled location would change the outcome.
 */
import { describe, expect, it } from "vitest";
import { runVignette } from "../../bin/triage-runner.ts";
import { createKnowledgeExtractor } from "../../src/engine/reading.ts";
import { shippedKnowledge, testEngine } from "../helpers/knowledge.ts";

const knowledge = shippedKnowledge();
const extractor = createKnowledgeExtractor(knowledge);

describe("pre-filled location (issue 11)", () => {
  it("'at the back when I run outside' is the back of the knee, not the outer side", async () => {
    expect(extractor.extract("my knee hurts at the back when I run outside").location).toBe("back");
    const r = await runVignette(
      testEngine(),
      knowledge,
      {
        id: "back-outside",
        text: "my knee hurts at the back when I run outside",
        findings: { onset: "gradual", location: "back", age_45_plus: "no" },
      },
      "u-back",
    );
    expect(r.condition).toBe("back_of_knee");
    expect(r.level).toBe("consultation");
  });

  it("'I'm 52 … inner side of my knee' is the inner side, not the outer", async () => {
    const text = "I'm 52 and it's the inner side of my knee that aches after runs";
    expect(extractor.extract(text)).toMatchObject({ location: "inner", age_45_plus: "yes" });
    const r = await runVignette(
      testEngine(),
      knowledge,
      {
        id: "inner-52",
        text,
        findings: { onset: "gradual", location: "inner", age_45_plus: "yes", age_55_plus: "no" },
      },
      "u-inner",
    );
    expect(r.condition).toBe("knee_oa");
    expect(["self_care", "consultation"]).toContain(r.level);
  });

  it("leaves the location to be asked when a side word is about something else or two are named", () => {
    for (const text of [
      "my knee hurts when I run outside",
      "I run inside on the treadmill and my knee aches",
      "it hurts at the front and on the outside of my knee",
      "pain on the inside and the back of the knee",
    ]) {
      expect(extractor.extract(text).location, text).toBeUndefined();
    }
  });
});
