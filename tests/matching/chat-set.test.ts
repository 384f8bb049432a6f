/**
 * eval/faq-chat.jsonl: chat-style questions written apart from the knowledge base by six writers
 * who read only each entry's question and answer (eval/faq-chat.md). The dev halves may be read
 * while changing the matcher; the holdout halves are only measured.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createMatcher } from "../../src/matcher.ts";
import { EVAL_DIR, readJsonl, shippedKnowledge } from "../helpers/knowledge.ts";

interface ChatLine {
  q: string;
  expect: string | string[] | null;
  split: "dev" | "holdout";
  writer: number;
}

const lines = readJsonl<ChatLine>(join(EVAL_DIR, "faq-chat.jsonl"));
const m = createMatcher(shippedKnowledge());
const ids = new Set(shippedKnowledge().faq.map((e) => e.id));

function score(ls: ChatLine[]) {
  const inScope = ls.filter((l) => l.expect !== null);
  const outScope = ls.filter((l) => l.expect === null);
  const misses: string[] = [];
  const right = (l: ChatLine) => {
    const id = m.match(l.q).id;
    const ok = l.expect === null ? id === null : [l.expect].flat().includes(id ?? "");
    if (!ok) misses.push(`${l.q} -> ${id} (want ${l.expect})`);
    return ok;
  };
  return {
    top1: inScope.filter(right).length / inScope.length,
    none: outScope.filter(right).length / outScope.length,
    misses: misses.join("\n"),
  };
}

describe("chat-style questions written apart from the knowledge (eval/faq-chat.jsonl)", () => {
  it("is labelled with real entries and split in two halves for each writer", () => {
    expect(lines.length).toBeGreaterThanOrEqual(900);
    for (const l of lines) {
      for (const id of [l.expect ?? []].flat()) expect(ids.has(id), id).toBe(true);
      expect(["dev", "holdout"]).toContain(l.split);
    }
    for (const writer of [1, 2]) {
      const mine = lines.filter((l) => l.writer === writer);
      expect(mine.filter((l) => l.split === "holdout").length).toBeGreaterThan(100);
      expect(mine.filter((l) => l.split === "holdout" && l.expect === null).length).toBeGreaterThan(
        25,
      );
    }
  });

  // Floors just under what the matcher does today (docs/evaluation.md has the figures): they
  // keep what has been won on words nobody tuned the matcher to.
  it("answers at least 88% of the holdout half's questions right and at least 85% of its off-topic ones with nothing", () => {
    const r = score(lines.filter((l) => l.split === "holdout"));
    expect(r.top1, r.misses).toBeGreaterThanOrEqual(0.88);
    expect(r.none, r.misses).toBeGreaterThanOrEqual(0.85);
  });

  it("never teaches the matcher a holdout line (knowledge/examples.yaml holds dev lines only)", () => {
    const taught = new Set(Object.values(shippedKnowledge().examples).flat());
    expect(taught.size).toBeGreaterThan(0);
    const leaked = lines.filter((l) => l.split === "holdout" && taught.has(l.q));
    expect(leaked.map((l) => l.q)).toEqual([]);
  });

  // The dev halves also teach naive Bayes (knowledge/examples.yaml), so they overstate.
  it("does at least as well on the dev half", () => {
    const r = score(lines.filter((l) => l.split === "dev"));
    expect(r.top1, r.misses).toBeGreaterThanOrEqual(0.85);
    expect(r.none, r.misses).toBeGreaterThanOrEqual(0.85);
  });
});
