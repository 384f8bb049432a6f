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
 * either alone (docs/evaluation.md has the figures).
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
  /** Entries, likeliest first, and the posterior of the first among the top ten (0 to 1). */
  rank(query: QueryWord[]): { ranked: BayesScore[]; posterior: number };
}

/** Additive smoothing: a word an entry never uses still has a small chance. */
const ALPHA = 1;
/** The posterior is taken over this many best entries (the long tail is noise). */
const POSTERIOR_OVER = 10;

/**
 * Builds the model. Each entry's "document" is its question, its alternates and its keywords
 * (twice: they are what the entry is about), each phrasing counting a word once; `toTokens` is
 * the matcher's own tokeniser, so both signals read words the same way.
 */
export function createBayes(
  faq: Pick<FaqEntry, "id" | "question" | "alternates" | "keywords">[],
  toTokens: (text: string) => string[],
  ignore: Set<string>,
): Bayes {
  const counts = faq.map((e) => {
    const c = new Map<string, number>();
    for (const text of [e.question, ...e.alternates, ...e.keywords, ...e.keywords]) {
      for (const t of new Set(toTokens(text))) if (!ignore.has(t)) c.set(t, (c.get(t) ?? 0) + 1);
    }
    return c;
  });
  const df = new Map<string, number>();
  for (const c of counts) for (const t of c.keys()) df.set(t, (df.get(t) ?? 0) + 1);
  const vocabulary = df.size;
  const denominators = counts.map((c) => {
    let total = 0;
    for (const n of c.values()) total += n;
    return Math.log(total + ALPHA * vocabulary);
  });
  const n = Math.max(1, faq.length);

  return {
    rank(query) {
      // Every known word, as often as it is said, weighted by its sentence and its rarity.
      const weights = new Map<string, number>();
      for (const q of query) {
        const d = df.get(q.token);
        if (d === undefined || ignore.has(q.token)) continue;
        weights.set(q.token, (weights.get(q.token) ?? 0) + q.factor * Math.log(1 + n / d));
      }
      const ranked = faq.map((e, i) => {
        const c = counts[i]!;
        let logLikelihood = 0;
        for (const [t, w] of weights) {
          logLikelihood += w * (Math.log((c.get(t) ?? 0) + ALPHA) - denominators[i]!);
        }
        return { id: e.id, logLikelihood };
      });
      ranked.sort((a, b) => b.logLikelihood - a.logLikelihood || (a.id < b.id ? -1 : 1));
      const top = ranked[0];
      if (!top || weights.size === 0) return { ranked: [], posterior: 0 };
      let sum = 0;
      for (const r of ranked.slice(0, POSTERIOR_OVER)) {
        sum += Math.exp(r.logLikelihood - top.logLikelihood);
      }
      return { ranked, posterior: 1 / sum };
    },
  };
}
