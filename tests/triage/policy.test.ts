import { join } from "node:path";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { runVignette, type Vignette } from "../../bin/triage-runner.ts";
import type { Reply } from "../../src/types.ts";
import { EVAL_DIR, readJsonl, shippedKnowledge, testEngine } from "../helpers/knowledge.ts";
import { flagApplies, LEVELS, policy, RED_FLAG_LEVEL } from "../helpers/policy.ts";

const knowledge = shippedKnowledge();
type DevLine = Vignette & { expect: { level: string[]; condition?: string } };

/** Findings a runner might have, in the policy's vocabulary. */
function findingsArb(o: { flagWeight: number; noWeight: number; allGiven: boolean }) {
  const yn = fc.oneof(
    { weight: o.noWeight, arbitrary: fc.constant("no") },
    { weight: 1, arbitrary: fc.constant("yes") },
  );
  // An age band sets all three age findings; a vignette may give only some of them.
  const bands: Array<[string, string, string]> = [
    ["yes", "no", "no"],
    ["no", "no", "no"],
    ["no", "yes", "no"],
    ["no", "yes", "yes"],
  ];
  const age = fc
    .tuple(fc.constantFrom(...bands), fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }))
    .map(([band, keep]) =>
      Object.fromEntries(
        (["age_under_16", "age_45_plus", "age_55_plus"] as const)
          .map((f, i) => [f, band[i]!] as const)
          .filter((_e, i) => o.allGiven || keep[i]),
      ),
    );
  const flag = fc.oneof(
    { weight: 8, arbitrary: fc.constant("no") },
    { weight: o.flagWeight, arbitrary: fc.constant("yes") },
  );
  const rest = fc.record(
    {
      ...Object.fromEntries(Object.keys(RED_FLAG_LEVEL).map((f) => [f, flag])),
      onset: fc.constantFrom("gradual", "injury"),
      location: fc.constantFrom("front", "below_kneecap", "outer", "inner", "back", "diffuse"),
      twisted: yn,
      giving_way: yn,
      catching_clicking: yn,
      focal_bone_pain: yn,
      ottawa_sign: yn,
      morning_stiffness: yn,
      known_oa: yn,
      duration_6_weeks: yn,
      self_care_failed: yn,
    },
    o.allGiven ? {} : { requiredKeys: [] },
  );
  return fc
    .tuple(rest, age)
    .map(
      ([r, a]) =>
        Object.fromEntries(
          Object.entries({ ...r, ...a }).filter(([, v]) => v !== undefined),
        ) as Record<string, string>,
    );
}

/** Runs each case through the engine and holds it to the oracle's level and condition. */
async function checkAgainstPolicy(
  cases: fc.Arbitrary<Record<string, string>>,
  numRuns: number,
): Promise<void> {
  const engine = testEngine();
  let n = 0;
  await fc.assert(
    fc.asyncProperty(cases, async (given) => {
      const r = await runVignette(engine, knowledge, { id: "p", findings: given }, `prop-${n++}`);
      const want = policy(given);
      expect(r.level).not.toBeNull();
      const got = LEVELS.indexOf(r.level!);
      const policyRank = LEVELS.indexOf(want.level);
      const where = `${JSON.stringify(given)} -> ${r.level} ${r.condition}, policy ${want.level} ${want.condition}`;
      expect(got, where).toBeLessThanOrEqual(policyRank);
      expect(policyRank - got, where).toBeLessThanOrEqual(1);
      const flagged = Object.keys(RED_FLAG_LEVEL).some(
        (k) => given[k] === "yes" && flagApplies(k, given),
      );
      if (!flagged) expect(r.condition, where).toBe(want.condition);
    }),
    { numRuns, seed: 7 },
  );
}

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
    // Any finding may be missing (the runner answers "no" or "not sure"); red flags are rare.
    await checkAgainstPolicy(findingsArb({ flagWeight: 1, noWeight: 1, allGiven: false }), 600);
  });

  it("names the policy's condition when no red flag applies (every finding given, mostly 'no')", async () => {
    // Mostly "no" reaches the later rules (Osgood-Schlatter, pes anserine, back of the knee…).
    await checkAgainstPolicy(findingsArb({ flagWeight: 0, noWeight: 3, allGiven: true }), 400);
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

/**
 * Runs a triage from "check my knee" (or an opening message), answering each question by its
 * id; `id#2` answers the second time that question is asked. Unlisted: "none" or "not sure".
 */
async function converse(
  answers: Record<string, string[]>,
  opening?: string,
): Promise<{ replies: Reply[]; outcome: Reply | undefined }> {
  const engine = testEngine();
  const base = { platform: "test", userId: "v2", place: { kind: "dm" as const } };
  const all: Reply[] = [];
  let replies = opening
    ? await engine.handle({ ...base, type: "text", text: opening })
    : await engine.handle({ ...base, type: "command", command: "triage" });
  const offer = replies.find((r) => r.choices?.id.startsWith("o."));
  if (offer?.choices)
    replies = await engine.handle({
      ...base,
      type: "choice",
      setId: offer.choices.id,
      values: ["yes"],
    });
  const times = new Map<string, number>();
  for (let i = 0; i < 20; i++) {
    all.push(...replies);
    const q = replies.find((r) => r.kind === "question");
    if (!q?.choices) break;
    const id = q.meta?.questionId ?? "";
    const n = (times.get(id) ?? 0) + 1;
    times.set(id, n);
    const values = answers[`${id}#${n}`] ?? answers[id] ?? [q.choices.noneValue ?? "not_sure"];
    replies = await engine.handle({ ...base, type: "choice", setId: q.choices.id, values });
  }
  return { replies: all, outcome: all.find((r) => r.kind === "outcome") };
}

describe("policy version 2", () => {
  const flow = knowledge.triage;

  it("after an injury, an Ottawa sign or being 55 or over means an X-ray the same day", async () => {
    const ottawa = await converse({
      onset: ["injury"],
      checks: ["ottawa_sign"],
      age: ["age_16_44"],
    });
    expect(ottawa.outcome?.meta).toMatchObject({
      level: "consultation_24",
      condition: "possible_fracture",
    });
    expect(ottawa.outcome?.text).toMatch(/X-ray/);
    expect(ottawa.outcome?.text).toMatch(/urgent treatment centre or minor injuries unit/);
    const older = await converse({ onset: ["injury"], age: ["age_55_plus"] });
    expect(older.outcome?.meta).toMatchObject({
      level: "consultation_24",
      condition: "possible_fracture",
    });
    // A gradual pain at 60 is not a fracture question.
    const gradual = await converse({
      onset: ["gradual"],
      age: ["age_55_plus"],
      location: ["front"],
    });
    expect(gradual.outcome?.meta?.condition).toBe("pfps");
  });

  it("one age question sets all three age findings, and offers only the bands that fit", async () => {
    const r = await converse({ onset: ["gradual"], age: ["age_55_plus"], location: ["inner"] });
    expect(r.outcome?.meta?.findings).toMatchObject({
      age_under_16: "no",
      age_45_plus: "yes",
      age_55_plus: "yes",
    });
    expect(r.replies.filter((x) => x.meta?.questionId === "age")).toHaveLength(1);
    const said = await converse({ onset: ["injury"] }, "I'm over 45 and I twisted my knee");
    const ageQ = said.replies.find((x) => x.meta?.questionId === "age");
    expect(ageQ?.choices?.options.map((o) => o.value)).toEqual([
      "age_45_54",
      "age_55_plus",
      "not_sure",
    ]);
  });

  it("asks an under-16 about a limp or hip pain, once the age is known", async () => {
    const child = await converse({
      onset: ["gradual"],
      age: ["under_16"],
      location: ["below_kneecap"],
      red_flags: ["none"],
    });
    expect(child.outcome?.meta).toMatchObject({
      level: "self_care",
      condition: "osgood_schlatter",
    });
    const screens = child.replies.filter((x) => x.meta?.questionId === "red_flags");
    expect(screens).toHaveLength(2);
    expect(screens[1]?.choices?.options.map((o) => o.value)).toContain("rf_child_limp");
    const limping = await converse({
      onset: ["gradual"],
      age: ["under_16"],
      location: ["front"],
      "red_flags#2": ["rf_child_limp"],
    });
    expect(limping.outcome?.meta).toMatchObject({ level: "consultation_24" });
    // Known to be under 16 from the first message: screened with the others.
    const known = await converse({}, "I'm 13 years old and my knee hurts below the kneecap");
    const first = known.replies.find((x) => x.meta?.questionId === "red_flags");
    expect(first?.choices?.options.map((o) => o.value)).toContain("rf_child_limp");
    // An adult who limps has no under-16 flag.
    const adult = await converse({ onset: ["gradual"], age: ["age_16_44"], location: ["front"] });
    expect(adult.replies.filter((x) => x.meta?.questionId === "red_flags")).toHaveLength(1);
  });

  it("a second warning-sign screen has its own ids: a click on the first one is expired", async () => {
    const engine = testEngine();
    const base = { platform: "test", userId: "again", place: { kind: "dm" as const } };
    const ask = async (setId: string, values: string[]) =>
      engine.handle({ ...base, type: "choice", setId, values });
    const idOf = (rs: Reply[]) => rs.find((r) => r.kind === "question")!.choices!.id;
    const first = idOf(await engine.handle({ ...base, type: "command", command: "triage" }));
    let id = idOf(await ask(first, ["none"]));
    id = idOf(await ask(id, ["gradual"]));
    id = idOf(await ask(id, ["none"]));
    id = idOf(await ask(id, ["front"]));
    const second = idOf(await ask(id, ["under_16"]));
    expect(second).not.toBe(first);
    expect((await ask(first, ["none"]))[0]?.kind).toBe("expired");
    const done = await ask(second, ["rf_child_limp"]);
    expect(done.find((r) => r.kind === "outcome")?.meta?.level).toBe("consultation_24");
  });

  it("a kneecap that slipped out and went back is a trip to A&E", async () => {
    const r = await converse({}, "my kneecap slipped out and went back in");
    expect(r.outcome?.meta).toMatchObject({ level: "emergency", condition: "red_flag" });
    expect(r.outcome?.text).toMatch(/Don't try to push the kneecap/);
    const label = flow.red_flags.find((f) => f.finding === "rf_deformity")?.label;
    expect(label).toMatch(/went back/);
  });

  it("'not sure' about bone pain adds the bone-stress warning", async () => {
    const r = await converse({ onset: ["gradual"], checks: ["unsure"], location: ["front"] });
    expect(r.outcome?.text).toMatch(/bone stress injury/);
    const sure = await converse({ onset: ["gradual"], location: ["front"] });
    expect(sure.outcome?.text).not.toMatch(/bone stress injury/);
  });

  it("asks about the injury red flags as things that happened, not 'right now'", () => {
    const screen = flow.questions.find((q) => q.type === "red_flags");
    expect(screen?.text).not.toMatch(/right now/i);
    for (const id of ["rf_pop", "rf_rapid_swelling", "rf_cannot_bear_weight"]) {
      const f = flow.red_flags.find((r) => r.finding === id)!;
      expect(f.label, id).toMatch(/injur/i);
      expect(f.label, id).toMatch(/\b(was|were|couldn't|heard|swelled)\b/);
    }
  });

  it("'get help sooner' names every red flag in one or two lines", () => {
    const text = knowledge.wording.get_help_sooner;
    expect(text.split("\n").length).toBeLessThanOrEqual(2);
    const named: Record<string, RegExp> = {
      rf_chest_breathless: /chest pain/,
      rf_deformity: /kneecap slips out|deformed/,
      rf_cannot_bear_weight: /can't stand on the leg/,
      rf_cannot_lift_leg: /lift it/,
      rf_numb_cold_foot: /foot goes numb/,
      rf_hot_swollen_fever: /hot, red and swollen/,
      rf_calf_swelling: /calf swells/,
      rf_locked: /locks/,
      rf_rapid_swelling: /swells fast/,
      rf_pop: /popped/,
      rf_night_pain_weight_loss: /night pain/,
      rf_child_limp: /child limps/,
    };
    expect(Object.keys(named).sort()).toEqual(flow.red_flags.map((r) => r.finding).sort());
    for (const [id, re] of Object.entries(named)) expect(text, id).toMatch(re);
  });

  it("a red-flag outcome says which sign, why it matters, and what to do about that sign", async () => {
    const chest = await converse({ red_flags: ["rf_chest_breathless"] });
    expect(chest.outcome?.text).toMatch(/Likely:\*\* A warning sign: chest pain/);
    expect(chest.outcome?.text).toMatch(/blood clot/);
    expect(chest.outcome?.text).not.toMatch(/rest the leg/i);
    const night = await converse({ red_flags: ["rf_night_pain_weight_loss"], onset: ["gradual"] });
    expect(night.outcome?.meta).toMatchObject({ level: "consultation", condition: "red_flag" });
    expect(night.outcome?.text).toMatch(/GP appointment \(not a physio first\)/);
    for (const f of flow.red_flags) {
      expect(f.sign.length, f.finding).toBeGreaterThan(5);
      expect(f.why, f.finding).toMatch(/\.$/);
    }
  });

  it("an urgent outcome says its heading once", async () => {
    for (const [flag, level] of Object.entries(RED_FLAG_LEVEL)) {
      if (flag === "rf_child_limp") continue;
      const r = await converse({ red_flags: [flag], onset: ["gradual"] });
      const title = flow.levels.find((l) => l.id === level)!.title;
      const text = r.outcome?.text ?? "";
      expect(text.split(title).length - 1, `${flag}: ${text}`).toBe(1);
    }
  });

  it("keeps the mean number of questions on the development vignettes at 3.67 or below", async () => {
    const engine = testEngine();
    const lines = readJsonl<DevLine>(join(EVAL_DIR, "triage-dev.jsonl"));
    let total = 0;
    for (const [i, v] of lines.entries())
      total += (await runVignette(engine, knowledge, v, `mean-${i}`)).questions;
    expect(total / lines.length).toBeLessThanOrEqual(3.67);
  });
});
