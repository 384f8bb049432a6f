/**
 * eval/messy-chat-phone.jsonl: 80 opening messages as they arrive from a phone in a hurry or by
 * voice (autocorrect and homophone slips on the words that matter, words swapped, text-speak),
 * written apart from the other sets by someone who read only the policy and the set's format.
 * First measured before anything was changed for it (eval/messy-chat.md has that score); it is
 * now a development set, so its misses may be read. The floors sit at what the extractor does
 * today: they keep what has been won. A missed warning sign here is a pre-fill missed, not a
 * screen skipped (every check asks the red flags), so the bar is a floor, not all of them.
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

const SET = resolve(import.meta.dirname, "../../eval/messy-chat-phone.jsonl");
const lines = readJsonl<Line>(SET);

/** Warning signs found, of those expected: 47 of 51 today (44 when the set arrived). */
const MIN_FOUND = 47;
/** Lines where a warning sign is read that the runner didn't say: 2 today (both over-cautious). */
const MAX_INVENTED = 2;
/** Share of the other findings read right: 121 of 130 today. */
const MIN_OTHER = 0.9;

describe("eval/messy-chat-phone.jsonl: the set itself", () => {
  it("has 80 lines with unique ids, a warning sign in at least 40% of them, every red flag at least twice", () => {
    expect(lines.length).toBe(80);
    const ids = lines.map((l) => l.id);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    for (const l of lines) expect(l.id).toMatch(/^g\d{3}$/);
    expect(lines.filter(hasWarning).length / lines.length).toBeGreaterThanOrEqual(0.4);
    const count = (flag: string) => lines.filter((l) => l.expect[flag] === "yes").length;
    expect(RED_FLAGS.filter((f) => count(f) < 2)).toEqual([]);
  });

  it("speaks the vocabulary of the shipped flow or the policy, red flags only as yes", () => {
    expect(vocabularyProblems(lines)).toEqual([]);
  });
});

describe("eval/messy-chat-phone.jsonl: the extractor on the shipped knowledge", () => {
  let cached: ReturnType<typeof extractAll> | undefined;
  const results = () => (cached ??= extractAll(lines));

  it(`finds at least ${MIN_FOUND} of the expected warning signs`, () => {
    const { found, expected, misses } = warningSigns(results());
    const headline = `warning signs found ${found}/${expected}; missed`;
    console.log(report(headline, misses));
    expect(found, report(headline, misses)).toBeGreaterThanOrEqual(MIN_FOUND);
  });

  it(`invents a warning sign on at most ${MAX_INVENTED} lines`, () => {
    const invented = results().flatMap(({ line, found, guessed }) => {
      const extra = flagsSet(found).filter((f) => line.expect[f] !== "yes" && !guessed.includes(f));
      return extra.length > 0 ? [show(line, found, `invented ${extra.join(", ")}`)] : [];
    });
    console.log(report("warning signs invented", invented));
    expect(invented.length, report("warning signs invented", invented)).toBeLessThanOrEqual(
      MAX_INVENTED,
    );
  });

  it(`reads at least ${MIN_OTHER * 100}% of the other findings right`, () => {
    let right = 0;
    let total = 0;
    const wrong: string[] = [];
    for (const { line, found } of results()) {
      const misses: string[] = [];
      for (const [f, v] of Object.entries(line.expect)) {
        if (isFlag(f)) continue;
        total++;
        if (found[f] === v) right++;
        else misses.push(`${f}: expected ${v}, got ${found[f] ?? "nothing"}`);
      }
      if (misses.length > 0) wrong.push(show(line, found, misses.join("; ")));
    }
    const headline = `other findings read right ${right}/${total}; lines with a miss`;
    console.log(report(headline, wrong));
    expect(total).toBeGreaterThan(0);
    expect(right / total, report(headline, wrong)).toBeGreaterThanOrEqual(MIN_OTHER);
  });
});
