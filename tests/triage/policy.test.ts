import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runVignette, type Vignette } from "../../bin/triage-runner.ts";
import { EVAL_DIR, readJsonl, shippedKnowledge, testEngine } from "../helpers/knowledge.ts";

/**
 * The clinical policy written out independently of the engine and its data, straight from
 * ../shared/clinical/triage-policy.md, as the oracle for "never under-triage".
 */
const LEVELS = ["emergency_ambulance", "emergency", "consultation_24", "consultation", "self_care"];
const RED_FLAG_LEVEL: Record<string, string> = {
  rf_deformity: "emergency",
  rf_cannot_bear_weight: "emergency",
  rf_cannot_lift_leg: "emergency",
  rf_numb_cold_foot: "emergency",
  rf_hot_swollen_fever: "emergency",
  rf_chest_breathless: "emergency_ambulance",
  rf_calf_swelling: "consultation_24",
  rf_locked: "consultation_24",
  rf_rapid_swelling: "consultation_24",
  rf_pop: "consultation_24",
  rf_night_pain_weight_loss: "consultation",
};
function policy(f: Record<string, string>): { level: string; condition: string } {
  const yes = (k: string) => f[k] === "yes";
  let condition: string;
  let level: string;
  if (yes("focal_bone_pain")) [condition, level] = ["bone_stress", "consultation"];
  else if (
    yes("giving_way") ||
    yes("catching_clicking") ||
    (f.onset === "injury" && yes("twisted"))
  )
    [condition, level] = ["meniscal_or_ligament", "consultation"];
  else if (f.onset === "injury") [condition, level] = ["minor_knock", "self_care"];
  else if (
    yes("known_oa") ||
    (yes("age_45_plus") && yes("morning_stiffness")) ||
    (yes("age_45_plus") && (f.location === "inner" || f.location === "diffuse"))
  )
    [condition, level] = ["knee_oa", "self_care"];
  else if (f.location === "front") [condition, level] = ["pfps", "self_care"];
  else if (f.location === "outer") [condition, level] = ["itbs", "self_care"];
  else if (f.location === "below_kneecap")
    [condition, level] = ["patellar_tendinopathy", "self_care"];
  else if (f.location === "inner") [condition, level] = ["pes_anserine", "self_care"];
  else if (f.location === "back") [condition, level] = ["back_of_knee", "consultation"];
  else [condition, level] = ["unclear", "consultation"];
  if (level === "self_care" && yes("duration_6_weeks") && yes("self_care_failed"))
    level = "consultation";
  for (const [flag, l] of Object.entries(RED_FLAG_LEVEL))
    if (yes(flag) && LEVELS.indexOf(l) < LEVELS.indexOf(level)) level = l;
  return { level, condition };
}

const knowledge = shippedKnowledge();
type DevLine = Vignette & { expect: { level: string[]; condition?: string } };

describe("triage against the clinical policy", () => {
  it("gets every development vignette right (triage-dev.jsonl)", async () => {
    const engine = testEngine();
    const lines = readJsonl<DevLine>(join(EVAL_DIR, "triage-dev.jsonl"));
    for (const [i, v] of lines.entries()) {
      const r = await runVignette(engine, knowledge, v, `dev-${i}`);
      expect(v.expect.level, `${v.id}: level ${r.level}`).toContain(r.level);
      if (v.expect.condition) expect(r.condition, v.id).toBe(v.expect.condition);
    }
  });

  it("never under-triages, and over-triages by at most one level, for any combination of findings", async () => {
    const engine = testEngine();
    const yn = fc.constantFrom("yes", "no");
    const findings = fc.record(
      {
        ...Object.fromEntries(
          Object.keys(RED_FLAG_LEVEL).map((f) => [
            f,
            fc.oneof(
              { weight: 8, arbitrary: fc.constant("no") },
              { weight: 1, arbitrary: fc.constant("yes") },
            ),
          ]),
        ),
        onset: fc.constantFrom("gradual", "injury"),
        location: fc.constantFrom("front", "below_kneecap", "outer", "inner", "back", "diffuse"),
        twisted: yn,
        giving_way: yn,
        catching_clicking: yn,
        focal_bone_pain: yn,
        age_45_plus: yn,
        morning_stiffness: yn,
        known_oa: yn,
        duration_6_weeks: yn,
        self_care_failed: yn,
      },
      { requiredKeys: [] },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(findings, async (f) => {
        const given = Object.fromEntries(
          Object.entries(f).filter(([, v]) => v !== undefined),
        ) as Record<string, string>;
        const r = await runVignette(engine, knowledge, { id: "p", findings: given }, `prop-${n++}`);
        const want = policy(given);
        expect(r.level).not.toBeNull();
        const got = LEVELS.indexOf(r.level!);
        const policyRank = LEVELS.indexOf(want.level);
        expect(
          got,
          `${JSON.stringify(given)} -> ${r.level}, policy ${want.level}`,
        ).toBeLessThanOrEqual(policyRank);
        expect(policyRank - got).toBeLessThanOrEqual(1);
        if (!Object.keys(RED_FLAG_LEVEL).some((k) => given[k] === "yes"))
          expect(r.condition).toBe(want.condition);
      }),
      { numRuns: 400, seed: 7 },
    );
  });

  it("stops after the red-flag screen when a red flag decides the level", async () => {
    const r = await runVignette(
      testEngine(),
      knowledge,
      { id: "x", findings: { rf_chest_breathless: "yes", location: "front" } },
      "rf",
    );
    expect(r).toMatchObject({ level: "emergency_ambulance", questions: 1 });
  });

  it("skips questions answered by the opening message", async () => {
    const withText = await runVignette(
      testEngine(),
      knowledge,
      {
        id: "t",
        findings: { location: "outer", onset: "gradual" },
        text: "my knee hurts on the outside, it came on gradually",
      },
      "t1",
    );
    const without = await runVignette(
      testEngine(),
      knowledge,
      { id: "t", findings: { location: "outer", onset: "gradual" } },
      "t2",
    );
    expect(withText.level).toBe("self_care");
    expect(withText.condition).toBe("itbs");
    expect(withText.questions).toBeLessThan(without.questions);
  });
});
