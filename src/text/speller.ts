import Fuse from "fuse.js";
import { editDistance, stem, typoAllowance } from "./tokens.ts";

/** A correction, and whether it is the only plausible one. */
export interface Correction {
  word: string;
  /** True when no other known word is as close: the correction can be trusted on its own. */
  sure: boolean;
}

/** Corrects a typed word to the closest known word, or returns null when nothing is close. */
export interface Speller {
  correct(word: string): string | null;
  /** Like `correct`, and says whether the correction is unambiguous (known words are sure). */
  correction(word: string): Correction | null;
}

const CACHE_MAX = 5000;
/** Longer "words" are pasted junk or URLs, not typos: left alone (and fast). */
const MAX_WORD = 30;

/**
 * The consonant outline of a word: its first letter, then its consonants with doubles collapsed.
 * Runners' phonetic spellings keep it ("trete" and "treat" are both t-r-t).
 */
function outline(word: string): string {
  const rest = word
    .slice(1)
    .replace(/[aeiouy]/g, "")
    .replace(/(.)\1+/g, "$1");
  return word[0] + rest;
}

// Silent first letters that runners drop: "nee" is "knee", "rist" is "wrist".
const SILENT_STARTS: Array<[RegExp, string]> = [
  [/^n/, "k"],
  [/^r/, "w"],
];

/**
 * A typo corrector over a known vocabulary: fuse.js proposes candidates (one index per first
 * letter, so each lookup searches a small list) and a bounded edit distance confirms them.
 * Common words win ties, but a tie between different words makes the correction unsure. When nothing is within the edit
 * allowance, two phonetic fall-backs are tried: a dropped silent first letter ("nee" → "knee")
 * and a word with the same consonant outline ("trete" → "treat"); both are sure only when a
 * single known word fits. Results are cached, since runners repeat the same typos.
 */
export function createSpeller(vocabulary: Map<string, number>): Speller {
  const byLetter = new Map<string, string[]>();
  const byOutline = new Map<string, string[]>();
  for (const w of vocabulary.keys()) {
    if (w.length < 3 || /\d/.test(w)) continue;
    const list = byLetter.get(w[0]!) ?? [];
    list.push(w);
    byLetter.set(w[0]!, list);
    if (w.length >= 4) {
      const o = outline(w);
      const same = byOutline.get(o) ?? [];
      same.push(w);
      byOutline.set(o, same);
    }
  }
  const indexes = new Map<string, Fuse<string>>();
  for (const [letter, list] of byLetter) {
    indexes.set(letter, new Fuse(list, { threshold: 0.4, ignoreLocation: true }));
  }
  const frequency = (w: string) => vocabulary.get(w) ?? 0;

  const byEditDistance = (word: string): Correction | null => {
    const allowance = typoAllowance(word);
    if (allowance === 0) return null;
    let best: string | null = null;
    let bestDistance = allowance + 1;
    let tied = false;
    for (const hit of indexes.get(word[0]!)?.search(word, { limit: 10 }) ?? []) {
      const d = editDistance(word, hit.item, allowance);
      if (d > allowance) continue;
      if (d < bestDistance) {
        best = hit.item;
        bestDistance = d;
        tied = false;
      } else if (d === bestDistance && best !== null) {
        // "stretchs": "stretch" or "stretches" is no real choice; "runing": "running" or "ruining" is.
        if (stem(hit.item) !== stem(best)) tied = true;
        if (frequency(hit.item) > frequency(best)) best = hit.item;
      }
    }
    return best === null ? null : { word: best, sure: !tied };
  };

  const bySound = (word: string): Correction | null => {
    if (word.length < 3) return null;
    for (const [re, letter] of SILENT_STARTS) {
      if (re.test(word) && vocabulary.has(letter + word))
        return { word: letter + word, sure: true };
    }
    if (word.length < 4) return null;
    const o = outline(word);
    if (o.length < 3) return null;
    const same = (byOutline.get(o) ?? []).filter((w) => Math.abs(w.length - word.length) <= 2);
    if (same.length === 0) return null;
    const best = same.reduce((a, b) => (frequency(b) > frequency(a) ? b : a));
    return { word: best, sure: same.every((w) => stem(w) === stem(best)) };
  };

  const cache = new Map<string, Correction | null>();
  const correction = (word: string): Correction | null => {
    if (vocabulary.has(word)) return { word, sure: true };
    if (/\d/.test(word) || word.length > MAX_WORD) return null;
    const cached = cache.get(word);
    if (cached !== undefined) return cached;
    const found = byEditDistance(word) ?? bySound(word);
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(word, found);
    return found;
  };
  return {
    correction,
    correct: (word) => correction(word)?.word ?? null,
  };
}
