import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runVignette, type Vignette } from "../../bin/triage-runner.ts";
import { EVAL_DIR, readJsonl, shippedKnowledge, testEngine } from "../helpers/knowledge.ts";
import { LEVELS, policy, RED_FLAG_LEVEL } from "../helpers/policy.ts";

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
