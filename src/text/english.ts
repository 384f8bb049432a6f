/**
 * Is this an English word, and is this message English at all? Spelling correction must never
 * "fix" a real word ("rock" is not a misspelt "lock"), so a Hunspell dictionary (nspell with
 * dictionary-en) decides what counts as a word; tinyld is the second opinion on the language
 * of a message whose words the dictionary mostly doesn't know.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import nspell from "nspell";

type Checker = ReturnType<typeof nspell>;
let checker: Checker | undefined;

/** The dictionary, loaded on first use (about a third of a second) and kept for the process. */
function dictionary(): Checker {
  if (!checker) {
    // dictionary-en only exports an async module; its two data files are read directly.
    const dir = dirname(createRequire(import.meta.url).resolve("dictionary-en"));
    checker = nspell({
      aff: readFileSync(join(dir, "index.aff")),
      dic: readFileSync(join(dir, "index.dic")),
    });
  }
  return checker;
}

const CACHE_MAX = 20_000;
const cache = new Map<string, boolean>();

/** True when the dictionary knows the (lower-case) word, in any of its inflections. */
export function isEnglishWord(word: string): boolean {
  const hit = cache.get(word);
  if (hit !== undefined) return hit;
  const ok = dictionary().correct(word);
  if (cache.size >= CACHE_MAX) cache.clear();
  cache.set(word, ok);
  return ok;
}

/** Fewest words before a message can be judged to be in another language. */
const MIN_WORDS = 3;

/**
 * True when a message is very likely not English: at least three words, under half of them
 * known (to the dictionary or to `known`), and a language detector that doesn't say English.
 * Short or mixed messages are given the benefit of the doubt.
 */
export function looksForeign(text: string, ws: string[], known: (w: string) => boolean): boolean {
  const letters = ws.filter((w) => /[a-z]/.test(w) && !/\d/.test(w));
  if (letters.length < MIN_WORDS) return false;
  const recognised = letters.filter((w) => known(w) || (w.length > 1 && isEnglishWord(w)));
  if (recognised.length * 2 >= letters.length) return false;
  return detectLanguage(text) !== "en";
}

type Detect = (text: string) => string;
let detector: Detect | undefined;

/** tinyld takes about a second to load, and is rarely needed: it is loaded on first use. */
function detectLanguage(text: string): string {
  detector ??= (createRequire(import.meta.url)("tinyld") as { detect: Detect }).detect;
  return detector(text);
}
