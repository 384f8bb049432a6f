import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMatcher } from "../src/matcher.ts";
import { EVAL_DIR, readJsonl, shippedKnowledge } from "./helpers/knowledge.ts";

/** A question and the entries that answer it (several may be right; null: none should). */
type Line = { q: string; expect: string | string[] | null };

const ok = (l: Line, id: string | null) =>
  l.expect === null ? id === null : [l.expect].flat().includes(id ?? "");

function score(lines: Line[]) {
  const m = createMatcher(shippedKnowledge());
  const inScope = lines.filter((l) => l.expect !== null);
  const outScope = lines.filter((l) => l.expect === null);
  const misses = lines
    .filter((l) => !ok(l, m.match(l.q).id))
    .map((l) => `${l.q} -> ${m.match(l.q).id} (want ${l.expect})`);
  const right = (ls: Line[]) => ls.filter((l) => ok(l, m.match(l.q).id)).length;
  return {
    top1: right(inScope) / inScope.length,
    oosNone: right(outScope) / outScope.length,
    misses,
  };
}

describe("FAQ matching", () => {
  it("answers at least 97% of the in-scope dev questions and no out-of-scope one (faq-dev.jsonl)", () => {
    const r = score(readJsonl<Line>(join(EVAL_DIR, "faq-dev.jsonl")));
    expect(r.top1, r.misses.join("\n")).toBeGreaterThanOrEqual(0.97);
    expect(r.oosNone, r.misses.join("\n")).toBe(1);
  });

  it("generalises to a wider set of chat-style questions written apart from the knowledge base", () => {
    const r = score(readJsonl<Line>(join(import.meta.dirname, "fixtures/faq-questions.jsonl")));
    expect(r.top1, r.misses.join("\n")).toBeGreaterThanOrEqual(0.85);
    expect(r.oosNone, r.misses.join("\n")).toBeGreaterThanOrEqual(0.95);
  });

  const m = createMatcher(shippedKnowledge());

  it.each([
    ["shud i ice my kne", "icing"],
    ["runers knee wat is it", "runners-knee"],
    ["itb??", "itb-syndrome"],
    ["is runnig bad for ur knees long term", "running-causes-oa"],
    ["physio or gp for knee pain", "physical-therapy"],
    ["best trainers for sore knees", "shoes"],
  ])("understands typos, slang and abbreviations: %s", (q, id) => {
    expect(m.match(q).id).toBe(id);
  });

  it.each([
    "what's a good marathon pace for a beginner",
    "my ankle hurts after the trail race",
    "is the club bar open after the session",
    "best energy gels for a half",
    "thanks kneebot",
    "",
    "🏃‍♀️🏃‍♀️🏃‍♀️",
  ])("does not answer with knee content: %j", (q) => {
    const r = m.match(q);
    expect(r.id).toBeNull();
    expect(r.alternatives).toEqual([]);
  });

  it("flags out-of-scope questions so the bot can say it doesn't cover them", () => {
    expect(m.match("my hip hurts").outOfScope).toBe(true);
    expect(m.match("my knee hurts").outOfScope).toBeFalsy();
  });

  it("offers close candidates instead of guessing when a question is vague", () => {
    const r = m.match("knee stuff after running");
    if (r.id === null) expect(r.alternatives.length).toBeGreaterThan(0);
    else expect(r.score).toBeGreaterThanOrEqual(0.2);
  });

  it("scores between 0 and 1 and explains its candidates", () => {
    const r = m.match("what causes runner's knee?");
    expect(r.score).toBeGreaterThan(0);
    expect(r.score).toBeLessThanOrEqual(1);
    const e = m.explain("what causes runner's knee?");
    expect(e.candidates[0]?.id).toBe("runners-knee-causes");
    expect(e.tokens.length).toBeGreaterThan(0);
  });

  it("survives hostile input", () => {
    for (const q of [
      "a".repeat(20000),
      "\u0000\u0001\u202e knee",
      "<script>alert(1)</script>",
      "' OR 1=1 --",
      '{"q":1}',
    ]) {
      const r = m.match(q);
      expect(r.score).toBeGreaterThanOrEqual(0);
    }
  });
});
