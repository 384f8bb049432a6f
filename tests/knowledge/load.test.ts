import { rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { KnowledgeError, loadKnowledge, readKnowledge } from "../../src/knowledge/load.ts";
import { editFile, knowledgeCopy, shippedKnowledge } from "../helpers/knowledge.ts";
import { LEVELS, RED_FLAG_LEVEL } from "../helpers/policy.ts";

const REQUIRED_IDS = [
  "runners-knee",
  "runners-knee-symptoms",
  "runners-knee-causes",
  "runners-knee-relief",
  "runners-knee-prevention",
  "itb-syndrome",
  "itb-symptoms",
  "itb-causes",
  "itb-relief",
  "inside-vs-outside",
  "oa-running",
  "running-causes-oa",
  "women-knee-pain",
  "run-through-pain",
  "return-to-running",
  "mileage-increase",
  "icing",
  "shoes",
  "orthotics",
  "knee-brace",
  "taping",
  "foam-rolling",
  "stretching",
  "strengthening",
  "cross-training",
  "running-surface",
  "downhill-running",
  "running-form",
  "painkillers",
  "see-a-doctor",
  "physical-therapy",
  "knee-swelling",
  "knee-popping",
  "pain-below-kneecap",
  "pain-inner-knee",
  "pain-back-of-knee",
  "sudden-knee-injury",
  "warm-up",
  "older-runners",
  "body-weight",
  "flat-feet-overpronation",
  "sitting-knee-pain",
  "stairs-knee-pain",
  "bot-disclaimer",
  "privacy-data",
];

describe("the shipped knowledge", () => {
  const k = shippedKnowledge();

  it("has every required FAQ id, each citing sources and within the length limit", () => {
    const ids = new Set(k.faq.map((e) => e.id));
    for (const id of REQUIRED_IDS) expect(ids, id).toContain(id);
    for (const e of k.faq) {
      expect(e.sources.length, e.id).toBeGreaterThan(0);
      expect(e.answer.length, e.id).toBeLessThanOrEqual(1200);
      expect(e.alternates.length, e.id).toBeGreaterThanOrEqual(3);
    }
  });

  it("keeps the policy's findings vocabulary with ids and values unchanged", () => {
    const yesNo = ["yes", "no"];
    const expected: Record<string, string[]> = {
      rf_deformity: yesNo,
      rf_cannot_bear_weight: yesNo,
      rf_cannot_lift_leg: yesNo,
      rf_numb_cold_foot: yesNo,
      rf_hot_swollen_fever: yesNo,
      rf_chest_breathless: yesNo,
      rf_calf_swelling: yesNo,
      rf_locked: yesNo,
      rf_rapid_swelling: yesNo,
      rf_pop: yesNo,
      rf_night_pain_weight_loss: yesNo,
      rf_child_limp: yesNo,
      onset: ["gradual", "injury"],
      location: ["front", "below_kneecap", "outer", "inner", "back", "diffuse"],
      worse_stairs_down_hills: yesNo,
      worse_sitting_squatting: yesNo,
      pain_at_fixed_distance: yesNo,
      twisted: yesNo,
      giving_way: yesNo,
      catching_clicking: yesNo,
      focal_bone_pain: yesNo,
      age_under_16: yesNo,
      age_45_plus: yesNo,
      age_55_plus: yesNo,
      ottawa_sign: yesNo,
      morning_stiffness: yesNo,
      known_oa: yesNo,
      duration_6_weeks: yesNo,
      self_care_failed: yesNo,
    };
    const got = Object.fromEntries(
      Object.entries(k.triage.findings).map(([id, f]) => [id, f.values]),
    );
    expect(got).toEqual(expected);
  });

  it("gives every red flag the policy's level", () => {
    const levels = Object.fromEntries(k.triage.red_flags.map((r) => [r.finding, r.level]));
    expect(levels).toEqual(RED_FLAG_LEVEL);
  });

  it("orders the levels most urgent first, as the policy does", () => {
    expect(k.triage.levels.map((l) => l.id)).toEqual(LEVELS);
  });
});

describe("invalid knowledge", () => {
  it("names the file and the field of a bad FAQ entry", () => {
    const dir = knowledgeCopy();
    editFile(dir, "faq/icing.md", (t) => t.replace(/sources:[\s\S]*?\n---/, "sources: []\n---"));
    const { knowledge, problems } = readKnowledge(dir);
    expect(knowledge).toBeUndefined();
    expect(problems).toContainEqual(
      expect.objectContaining({
        file: "faq/icing.md",
        field: "sources",
        message: expect.stringContaining("source"),
      }),
    );
    rmSync(dir, { recursive: true });
  });

  it("reports an answer over 1,200 characters and a missing front matter", () => {
    const dir = knowledgeCopy();
    editFile(dir, "faq/shoes.md", (t) => `${t}\n${"More words. ".repeat(150)}`);
    writeFileSync(join(dir, "faq/broken.md"), "no front matter here\n");
    const { problems } = readKnowledge(dir);
    expect(problems.find((p) => p.file === "faq/shoes.md")?.field).toBe("answer");
    expect(problems.find((p) => p.file === "faq/broken.md")?.message).toMatch(/front matter/);
    rmSync(dir, { recursive: true });
  });

  it("throws one KnowledgeError listing every problem, including YAML syntax errors", () => {
    const dir = knowledgeCopy();
    editFile(dir, "wording.yaml", (t) => t.replace(/^greeting:/m, "greeting: [unclosed"));
    editFile(dir, "triage.yaml", (t) => t.replace("version: ", "version: -"));
    try {
      loadKnowledge(dir);
      expect.unreachable("loading invalid knowledge must throw");
    } catch (err) {
      expect(err).toBeInstanceOf(KnowledgeError);
      const e = err as KnowledgeError;
      expect(e.code).toBe("knowledge");
      expect(e.problems.map((p) => p.file)).toEqual(
        expect.arrayContaining(["wording.yaml", "triage.yaml"]),
      );
      expect(e.message).toContain("triage.yaml: version:");
    }
    rmSync(dir, { recursive: true });
  });

  it("loads example messages when there are some, and a folder without examples.yaml", () => {
    expect(Object.keys(shippedKnowledge().examples).length).toBeGreaterThan(50);
    const dir = knowledgeCopy();
    try {
      rmSync(join(dir, "examples.yaml"));
      expect(loadKnowledge(dir).examples).toEqual({});
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("names examples.yaml when it is malformed", () => {
    const dir = knowledgeCopy();
    try {
      writeFileSync(join(dir, "examples.yaml"), "examples:\n  icing: [1, {a: b}]\n");
      const { problems } = readKnowledge(dir);
      expect(
        problems.some((p) => p.file === "examples.yaml" && p.field.startsWith("examples.icing")),
      ).toBe(true);
    } finally {
      rmSync(dir, { recursive: true });
    }
  });

  it("refuses an entry whose id doesn't match its file name", () => {
    const dir = knowledgeCopy();
    editFile(dir, "faq/taping.md", (t) => t.replace("id: taping", "id: tape-it"));
    const { problems } = readKnowledge(dir);
    expect(problems).toContainEqual(
      expect.objectContaining({ file: "faq/taping.md", field: "id" }),
    );
    rmSync(dir, { recursive: true });
  });
});
