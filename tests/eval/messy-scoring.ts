/**
 * Shared by the messy-chat eval tests: the policy's vocabulary, the line format, and reading
 * every line through the engine's extractor the way it reads an opening message.
 */
import { createKnowledgeExtractor } from "../../src/engine/reading.ts";
import { sanitizeInput } from "../../src/text/normalize.ts";
import type { Findings } from "../../src/triage/extract.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";

/** The policy's red flags (triage-policy.md, version 2). */
export const RED_FLAGS = [
  "rf_deformity",
  "rf_cannot_bear_weight",
  "rf_cannot_lift_leg",
  "rf_numb_cold_foot",
  "rf_hot_swollen_fever",
  "rf_chest_breathless",
  "rf_calf_swelling",
  "rf_locked",
  "rf_rapid_swelling",
  "rf_pop",
  "rf_night_pain_weight_loss",
  "rf_child_limp",
];

const YES_NO = ["yes", "no"];
/**
 * The policy's vocabulary (version 2), for findings the shipped flow may not carry yet:
 * id -> allowed values.
 */
export const POLICY_FINDINGS = new Map<string, string[]>([
  ...[
    ...RED_FLAGS,
    "worse_stairs_down_hills",
    "worse_sitting_squatting",
    "pain_at_fixed_distance",
    "twisted",
    "giving_way",
    "catching_clicking",
    "focal_bone_pain",
    "age_under_16",
    "age_45_plus",
    "age_55_plus",
    "ottawa_sign",
    "morning_stiffness",
    "known_oa",
    "duration_6_weeks",
    "self_care_failed",
  ].map((id): [string, string[]] => [id, YES_NO]),
  ["onset", ["gradual", "injury"]],
  ["location", ["front", "below_kneecap", "outer", "inner", "back", "diffuse"]],
]);

/** One line of a messy-chat set. */
export type Line = {
  id: string;
  text: string;
  expect: Record<string, string>;
  absent?: string[];
  source?: string;
};

export const isFlag = (f: string) => f.startsWith("rf_");
/** The red flags a reading set to yes. */
export const flagsSet = (found: Findings) =>
  Object.keys(found).filter((f) => isFlag(f) && found[f] === "yes");
/** True when a line expects a warning sign. */
export const hasWarning = (l: Line) =>
  Object.entries(l.expect).some(([f, v]) => isFlag(f) && v === "yes");

/**
 * What the engine's extractor (the shipped knowledge, with its spelling correction) makes of each
 * line, read as the engine reads an opening message. `guessed` lists the warning signs the bot
 * would ask about ("did you mean…?") rather than assert.
 */
export function extractAll(
  lines: Line[],
): Array<{ line: Line; found: Findings; guessed: string[] }> {
  const extractor = createKnowledgeExtractor(shippedKnowledge());
  return lines.map((line) => {
    const r = extractor.extractDetailed(sanitizeInput(line.text, 20_000).text);
    return { line, found: r.findings, guessed: r.guessed };
  });
}

/** One failing line: id, text, the problem and what was found. */
export function show(line: Line, found: Findings, problem: string): string {
  return `${line.id} ${JSON.stringify(line.text)}\n    ${problem}; found ${JSON.stringify(found)}`;
}

/** Failing lines with a headline, so the cause is visible in the test output. */
export function report(headline: string, failures: string[]): string {
  return `${headline}: ${failures.length} line(s)\n  ${failures.join("\n  ")}`;
}

/**
 * Lines that speak outside the shipped flow's or the policy's vocabulary, with a value a finding
 * can't take, a red flag expected as anything but yes (the extractor never rules one out: a
 * denied one goes in `absent`), or a finding both expected and absent. Empty when all is well.
 */
export function vocabularyProblems(lines: Line[]): string[] {
  const flow = shippedKnowledge().triage;
  const allowed = (f: string): string[] | undefined =>
    Object.hasOwn(flow.findings, f) ? flow.findings[f]!.values : POLICY_FINDINGS.get(f);
  const problems: string[] = [];
  for (const l of lines) {
    for (const [f, v] of Object.entries(l.expect)) {
      const values = allowed(f);
      if (!values) problems.push(`${l.id}: unknown finding ${f}`);
      else if (!values.includes(v)) problems.push(`${l.id}: ${f} cannot be ${JSON.stringify(v)}`);
      else if (isFlag(f) && v !== "yes") problems.push(`${l.id}: ${f} is expected only as yes`);
    }
    for (const f of l.absent ?? []) {
      if (!allowed(f)) problems.push(`${l.id}: unknown finding ${f} in absent`);
      if (l.expect[f] === "yes") problems.push(`${l.id}: ${f} is both expected and absent`);
    }
  }
  return problems;
}

/** Expected warning signs found, of how many, and each line with one missed. */
export function warningSigns(results: ReturnType<typeof extractAll>): {
  found: number;
  expected: number;
  misses: string[];
} {
  let expected = 0;
  let found = 0;
  const misses = results.flatMap(({ line, found: got }) => {
    const flags = Object.keys(line.expect).filter((f) => isFlag(f) && line.expect[f] === "yes");
    const missed = flags.filter((f) => got[f] !== "yes");
    expected += flags.length;
    found += flags.length - missed.length;
    return missed.length > 0 ? [show(line, got, `missed ${missed.join(", ")}`)] : [];
  });
  return { found, expected, misses };
}
