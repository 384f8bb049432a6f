/**
 * Groups recorded questions into clusters of near-duplicates, for `kb review` and the report.
 * Greedy on purpose: a question joins the first cluster whose seed shares most of its words
 * (stop words dropped, stemmed), so the result is easy to explain and stable for a given order.
 */
import { createHash } from "node:crypto";
import { stem, words } from "../text/tokens.ts";

/** One recorded unanswered question, as the insight store keeps it (no user id). */
export interface RecordedQuestion {
  text: string;
  at: number;
  score: number;
  outOfScope: boolean;
}

/** A group of near-duplicate questions; `items` newest first. */
export interface QuestionCluster {
  /** Stable for the same seed question: the first 10 hex digits of a hash of its words. */
  key: string;
  items: RecordedQuestion[];
  /** Up to five distinct example texts, most frequent first. */
  examples: string[];
}

/** Share of the shorter question's words two questions must have in common to join. */
const MIN_OVERLAP = 0.6;
/** Most examples shown for a cluster. */
export const MAX_EXAMPLES = 5;

/** A question's identity in the store: a hash of its time and text, kept by the review record. */
export function questionId(q: Pick<RecordedQuestion, "text" | "at">): string {
  return createHash("sha256").update(`${q.at}\n${q.text}`).digest("hex").slice(0, 16);
}

/** The lexicon's stop words as single words, as clustering compares them. */
export function stopwordsOf(lexicon: { stopwords: readonly string[] }): Set<string> {
  return new Set(lexicon.stopwords.flatMap((w) => words(w)));
}

/** The content words of a question, stemmed, without stop words. */
export function contentTokens(text: string, stopwords: ReadonlySet<string>): Set<string> {
  return new Set(
    words(text)
      .filter((w) => !stopwords.has(w))
      .map(stem),
  );
}

function joins(a: Set<string>, b: Set<string>): boolean {
  if (a.size === 0 || b.size === 0) return a.size === b.size;
  let shared = 0;
  for (const t of a) if (b.has(t)) shared++;
  const smaller = Math.min(a.size, b.size);
  // One-word questions join only an identical one-word seed.
  if (smaller === 1) return shared === 1 && a.size === b.size;
  return shared >= 2 && shared / smaller >= MIN_OVERLAP;
}

/**
 * Clusters questions, largest cluster first (ties: most recent question first). `stopwords`
 * are simplified single words (the lexicon's stop words).
 */
export function clusterQuestions(
  questions: readonly RecordedQuestion[],
  stopwords: ReadonlySet<string>,
): QuestionCluster[] {
  const ordered = [...questions].sort((a, b) => b.at - a.at);
  const groups: Array<{ seed: Set<string>; items: RecordedQuestion[] }> = [];
  for (const q of ordered) {
    const tokens = contentTokens(q.text, stopwords);
    const group = groups.find((g) => joins(g.seed, tokens));
    if (group) group.items.push(q);
    else groups.push({ seed: tokens, items: [q] });
  }
  return groups
    .map(({ seed, items }) => ({
      key: createHash("sha256")
        .update([...seed].sort().join(" "))
        .digest("hex")
        .slice(0, 10),
      items,
      examples: topExamples(items),
    }))
    .sort((a, b) => b.items.length - a.items.length || b.items[0]!.at - a.items[0]!.at);
}

function topExamples(items: readonly RecordedQuestion[]): string[] {
  const counts = new Map<string, { text: string; n: number }>();
  for (const { text } of items) {
    const k = words(text).join(" ");
    const c = counts.get(k);
    if (c) c.n++;
    else counts.set(k, { text: text.trim(), n: 1 });
  }
  return [...counts.values()]
    .sort((a, b) => b.n - a.n)
    .slice(0, MAX_EXAMPLES)
    .map((c) => c.text);
}
