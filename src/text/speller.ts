import Fuse from "fuse.js";
import { editDistance, typoAllowance } from "./tokens.ts";

/** Corrects a typed word to the closest known word, or returns null when nothing is close. */
export interface Speller {
  correct(word: string): string | null;
}

const CACHE_MAX = 5000;

/**
 * A typo corrector over a known vocabulary: fuse.js proposes candidates (one index per first
 * letter, so each lookup searches a small list) and a bounded edit distance confirms them.
 * Common words win ties. Results are cached, since runners repeat the same typos.
 */
export function createSpeller(vocabulary: Map<string, number>): Speller {
  const byLetter = new Map<string, string[]>();
  for (const w of vocabulary.keys()) {
    if (w.length < 3) continue;
    const list = byLetter.get(w[0]!) ?? [];
    list.push(w);
    byLetter.set(w[0]!, list);
  }
  const indexes = new Map<string, Fuse<string>>();
  for (const [letter, list] of byLetter) {
    indexes.set(letter, new Fuse(list, { threshold: 0.4, ignoreLocation: true }));
  }
  const cache = new Map<string, string | null>();
  return {
    correct(word) {
      if (vocabulary.has(word)) return word;
      const allowance = typoAllowance(word);
      if (allowance === 0 || /\d/.test(word)) return null;
      const cached = cache.get(word);
      if (cached !== undefined) return cached;
      let best: string | null = null;
      let bestDistance = allowance + 1;
      for (const hit of indexes.get(word[0]!)?.search(word, { limit: 10 }) ?? []) {
        const d = editDistance(word, hit.item, allowance);
        const better =
          d < bestDistance ||
          (d === bestDistance &&
            best !== null &&
            (vocabulary.get(hit.item) ?? 0) > (vocabulary.get(best) ?? 0));
        if (better) {
          best = hit.item;
          bestDistance = d;
        }
      }
      if (cache.size >= CACHE_MAX) cache.clear();
      cache.set(word, best);
      return best;
    },
  };
}
