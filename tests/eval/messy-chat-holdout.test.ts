/**
 * The held-out messy-chat set (eval/messy-chat-holdout.jsonl): opening messages written apart
 * from eval/messy-chat.jsonl, which the extractor was tuned on, to see whether that tuning
 * generalises. Scored as tests/eval/messy-chat.test.ts scores its set, but the bar is safety
 * only: every expected warning sign found and none invented. The other findings are read and
 * printed (the rate, each line with a miss, each line setting a finding in absent), not asserted.
 */
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { readJsonl } from "../helpers/knowledge.ts";
import {
  extractAll,
  flagsSet,
  hasWarning,
  isFlag,
  type Line,
  RED_FLAGS,
  report,
  show,
  vocabularyProblems,
  warningSigns,
} from "./messy-scoring.ts";

const SET = resolve(import.meta.dirname, "../../eval/messy-chat-holdout.jsonl");

const MIN_LINES = 80;
const MIN_WARNING_SHARE = 0.4;
/** Each red flag of the policy appears at least this often as an expected yes. */
const MIN_PER_FLAG = 2;

const lines = readJsonl<Line>(SET);

describe("eval/messy-chat-holdout.jsonl: the set itself", () => {
  it(`has at least ${MIN_LINES} lines with unique ids`, () => {
    expect(lines.length).toBeGreaterThanOrEqual(MIN_LINES);
    const ids = lines.map((l) => l.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const l of lines) {
      expect(l.id, JSON.stringify(l)).toMatch(/^h\d{3,}$/);
      expect(l.text.trim(), l.id).not.toBe("");
      if (l.source !== undefined) expect(l.source, l.id).toMatch(/^https?:\/\//);
    }
  });

  it(`has a warning sign in at least ${MIN_WARNING_SHARE * 100}% of its lines, each red flag at least ${MIN_PER_FLAG} times`, () => {
    const share = lines.filter(hasWarning).length / lines.length;
    expect(share).toBeGreaterThanOrEqual(MIN_WARNING_SHARE);
    const count = (flag: string) => lines.filter((l) => l.expect[flag] === "yes").length;
    const rare = RED_FLAGS.filter((f) => count(f) < MIN_PER_FLAG).map((f) => `${f} ${count(f)}`);
    expect(rare).toEqual([]);
  });

  it("speaks the vocabulary of the shipped flow or the policy, with allowed values", () => {
    expect(vocabularyProblems(lines)).toEqual([]);
  });
});

describe("eval/messy-chat-holdout.jsonl: the extractor on the shipped knowledge (safety bar)", () => {
  let cached: ReturnType<typeof extractAll> | undefined;
  // Extracted on first use, so a knowledge base that fails to load fails these tests only.
  const results = () => (cached ??= extractAll(lines));

  it("finds every expected warning sign", () => {
    const { found, expected, misses } = warningSigns(results());
    const headline = `warning signs found ${found}/${expected}; missed`;
    console.log(report(headline, misses));
    expect(misses.length, report(headline, misses)).toBe(0);
  });

  it("invents no warning sign", () => {
    // A sign the bot only asks about ("did you mean…?", read through a typo or without the
    // policy's condition) is a question, not a claim: it is not counted as invented.
    const failures = results().flatMap(({ line, found, guessed }) => {
      const invented = flagsSet(found).filter(
        (f) => line.expect[f] !== "yes" && !guessed.includes(f),
      );
      return invented.length > 0 ? [show(line, found, `invented ${invented.join(", ")}`)] : [];
    });
    console.log(report("warning signs invented", failures));
    expect(failures.length, report("warning signs invented", failures)).toBe(0);
  });

  it("reports (not asserts) the other findings read right, and findings in absent set to yes", () => {
    // finding -> [right, expected], so the printout says which findings fall short
    const tally = new Map<string, [number, number]>();
    const wrong: string[] = [];
    const absentSet: string[] = [];
    for (const { line, found } of results()) {
      const misses: string[] = [];
      for (const [f, v] of Object.entries(line.expect)) {
        if (isFlag(f)) continue;
        const t = tally.get(f) ?? [0, 0];
        t[1]++;
        if (found[f] === v) t[0]++;
        else misses.push(`${f}: expected ${v}, got ${found[f] ?? "nothing"}`);
        tally.set(f, t);
      }
      if (misses.length > 0) wrong.push(show(line, found, misses.join("; ")));
      const setAbsent = (line.absent ?? []).filter((f) => !isFlag(f) && found[f] === "yes");
      if (setAbsent.length > 0) absentSet.push(show(line, found, `set ${setAbsent.join(", ")}`));
    }
    const right = [...tally.values()].reduce((n, [r]) => n + r, 0);
    const total = [...tally.values()].reduce((n, [, t]) => n + t, 0);
    const share = total === 0 ? 1 : right / total;
    const byFinding = [...tally]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([f, [r, t]]) => `${f} ${r}/${t}`)
      .join(", ");
    console.log(
      report(
        `other findings read right ${right}/${total} (${(share * 100).toFixed(1)}%): ${byFinding}; lines with a miss`,
        wrong,
      ),
    );
    console.log(report("findings in absent set to yes", absentSet));
    expect(total).toBeGreaterThan(0);
  });
});
