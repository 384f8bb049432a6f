/**
 * A second opinion for long posts: a multinomial naive Bayes model over the FAQ's own phrasings.
 *
 * The lexical scorer asks "which entry's closest phrasing looks most like this message?", which
 * is right for a chat question but is pulled off course by the story around a forum post's
 * question ("my knee pops on the outside" in a post asking whether to carry on with Couch to 5K).
 * Naive Bayes asks instead "which entry's vocabulary makes all these words most likely?": every
 * word adds a little evidence, so one vivid detail cannot outvote the rest. Measured on the
 * calibration half of eval/faq-real.jsonl it ranks the right entry first more often on posts of
 * more than 15 words, and where both signals agree the answer is right far more often than
 * either alone (docs/evaluation.md has the figures). It re-ranks the lexical scorer's best few,
 * so its cost does not grow with the size of the FAQ.
 *
 * Hand-written (about forty lines) because the packaged classifiers take whole documents: this
 * one needs per-word weights (a context sentence counts less than the question; rarer words
 * count more), which none of them offers.
 */
import type { FaqEntry } from "../knowledge/faq-schema.ts";
import type { QueryWord } from "./scorer.ts";

/** An entry and its log-likelihood for a message; higher is likelier. */
export interface BayesScore {
  id: string;
  logLikelihood: number;
}

/** The model, built once from the knowledge. */
export interface Bayes {
  /**
   * The entries `among`, likeliest first, and the posterior of the first among them (0 to 1).
   * Empty when the message has no word the model knows.
   */
  rank(query: QueryWord[], among: readonly string[]): { ranked: BayesScore[]; posterior: number };
}

/** Additive smoothing: a word an entry never uses still has a small chance. */
const ALPHA = 1;

/**
 * How much a word in one of an entry's example messages counts, against 1 for a word in one of its
 * phrasings. Chosen by training on four chat writers' dev halves and measuring on the fifth's, in
 * turn (eval/faq-chat.jsonl), and on the real posts' calibration half and dev set: 0.25 and 0.5
 * lifted the unseen writers alike, and 0.25 served the real posts best (docs/evaluation.md).
 */
export const EXAMPLE_WEIGHT = 0.25;

/**
 * Builds the model. Each entry's "document" is its question, its alternates and its keywords
 * (twice: they are what the entry is about), each phrasing counting a word once, and its example
 * messages at a lesser weight; `toTokens` is the matcher's own tokeniser, so both signals read
 * words the same way.
 */
export function createBayes(
  faq: Pick<FaqEntry, "id" | "question" | "alternates" | "keywords">[],
  toTokens: (text: string) => string[],
  ignore: Set<string>,
  /** Messages runners might send about each entry, counted at EXAMPLE_WEIGHT. */
  examples: Record<string, string[]> = {},
): Bayes {
  const entries = new Map(
    faq.map((e) => {
      const counts = new Map<string, number>();
      const add = (text: string, weight: number) => {
        for (const t of new Set(toTokens(text))) {
          if (!ignore.has(t)) counts.set(t, (counts.get(t) ?? 0) + weight);
        }
      };
      for (const text of [e.question, ...e.alternates, ...e.keywords, ...e.keywords]) add(text, 1);
      for (const text of examples[e.id] ?? []) add(text, EXAMPLE_WEIGHT);
      return [e.id, { counts, denominator: 0 }];
    }),
  );
  const df = new Map<string, number>();
  for (const e of entries.values())
    for (const t of e.counts.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  for (const e of entries.values()) {
    let total = 0;
    for (const k of e.counts.values()) total += k;
    e.denominator = Math.log(total + ALPHA * df.size);
  }
  const n = Math.max(1, faq.length);

  return {
    rank(query, among) {
      // Every known word, as often as it is said, weighted by its sentence and its rarity.
      const weights = new Map<string, number>();
      for (const q of query) {
        const d = df.get(q.token);
        if (d === undefined || ignore.has(q.token)) continue;
        weights.set(q.token, (weights.get(q.token) ?? 0) + q.factor * Math.log(1 + n / d));
      }
      if (weights.size === 0) return { ranked: [], posterior: 0 };
      const ranked = among.flatMap((id) => {
        const e = entries.get(id);
        if (!e) return [];
        let logLikelihood = 0;
        for (const [t, w] of weights) {
          logLikelihood += w * (Math.log((e.counts.get(t) ?? 0) + ALPHA) - e.denominator);
        }
        return [{ id, logLikelihood }];
      });
      ranked.sort((a, b) => b.logLikelihood - a.logLikelihood || (a.id < b.id ? -1 : 1));
      const top = ranked[0];
      if (!top) return { ranked, posterior: 0 };
      let sum = 0;
      for (const r of ranked) sum += Math.exp(r.logLikelihood - top.logLikelihood);
      return { ranked, posterior: 1 / sum };
    },
  };
}
