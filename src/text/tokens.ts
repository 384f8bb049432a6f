/**
 * Text normalisation for matching: lower case, no accents or punctuation, contractions
 * folded, slang rewritten through the lexicon's synonyms, light stemming.
 */

// Contractions, with or without the apostrophe: runners on phones type "doesnt", "cant" and
// "im", and a dropped apostrophe must not drop the "not" (negation depends on it). No library
// expands apostrophe-less English contractions reliably, so this short table is hand-written.
const APOSTROPHE_FORMS: Array<[RegExp, string]> = [
  [/\bcan['’]t\b/g, "cannot"],
  [/\bwon['’]t\b/g, "will not"],
  [/\b(\w+)n['’]t\b/g, "$1 not"],
  [/\bi['’]m\b/g, "i am"],
  [/\bi['’]ve\b/g, "i have"],
  [/\b(you|we|they)['’]re\b/g, "$1 are"],
  [/\b(it|that|there|what|he|she)['’]s\b/g, "$1 is"],
  [/\b(i|you|we|they|it|he|she|that|there|what)['’](ve|ll|d)\b/g, "$1$2"],
  // Possessives: "my calf's swollen", "runner's knee" read as "calf", "runner".
  [/\b(\w+)['’]s\b/g, "$1"],
];
const BARE_FORMS = new Map<string, string>([
  ["cant", "cannot"],
  // Split in two as some type it ("I can not stand on it").
  ["can not", "cannot"],
  ["wont", "will not"],
  ["aint", "is not"],
  ["im", "i am"],
  ["ive", "i have"],
  ["its", "it is"],
  ...[
    "do",
    "does",
    "did",
    "is",
    "was",
    "are",
    "were",
    "has",
    "have",
    "had",
    "would",
    "could",
    "should",
    "must",
    "need",
    "might",
  ].map((w): [string, string] => [`${w}nt`, `${w} not`]),
]);
const BARE_RE = new RegExp(`\\b(?:${[...BARE_FORMS.keys()].join("|")})\\b`, "g");

// Chat spellings read as the words they stand for. A lone "n" between words is "and"; on its
// own it stays (it answers a yes/no question).
const CHAT_SPELLINGS = new Map<string, string>([
  ["u", "you"],
  ["ur", "your"],
  ["r", "are"],
  ["rly", "really"],
  ["hrs", "hours"],
  ["hr", "hour"],
  ["mins", "minutes"],
  ["min", "minutes"],
  ["wk", "week"],
  ["wks", "weeks"],
  ["yr", "year"],
  ["yrs", "years"],
  ["mths", "months"],
  ["mnths", "months"],
  ["pls", "please"],
  ["plz", "please"],
  ["cos", "because"],
  ["coz", "because"],
  ["cuz", "because"],
  ["bc", "because"],
  ["b4", "before"],
  ["thx", "thanks"],
  ["tmrw", "tomorrow"],
  ["2day", "today"],
  ["w", "with"],
  ["kne", "knee"],
  ["cnt", "cannot"],
  ["cnat", "cannot"],
  ["nite", "night"],
  ["nites", "nights"],
  ["herd", "heard"],
  ["fot", "foot"],
  ["fel", "fell"],
  ["pian", "pain"],
  ["strait", "straight"],
  ["ma", "my"],
  ["brething", "breathing"],
  ["knea", "knee"],
  ["nee", "knee"],
]);

/**
 * Lower-cases, folds accents, expands contractions (apostrophe or not), reads chat spellings,
 * and keeps only letters, digits, & and %.
 */
export function simplify(text: string): string {
  return remembered(cache, text, simplifyUncached);
}

// The same text is simplified several times a turn (commands, yes/no, extraction, matching).
const CACHE_MAX = 2000;
const cache = new Map<string, string>();

/** `fn(key)`, remembered in `memo`, which is emptied when it holds CACHE_MAX answers. */
function remembered(memo: Map<string, string>, key: string, fn: (k: string) => string): string {
  const hit = memo.get(key);
  if (hit !== undefined) return hit;
  const out = fn(key);
  if (memo.size >= CACHE_MAX) memo.clear();
  memo.set(key, out);
  return out;
}

function simplifyUncached(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: plain ASCII needs no folding.
  let t = /[^\u0000-\u007f]/.test(text)
    ? text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "")
    : text;
  t = t.toLowerCase();
  if (/['’]/.test(t)) for (const [re, rep] of APOSTROPHE_FORMS) t = t.replace(re, rep);
  t = t.replace(BARE_RE, (m) => BARE_FORMS.get(m) ?? m);
  t = t.replace(/['’`]/g, "");
  // "20km" and "5k" read as a number and a unit.
  t = t.replace(/(\d)([a-z])/g, "$1 $2");
  t = t.replace(/[^a-z0-9&%]+/g, " ").trim();
  if (!t) return t;
  const ws = t.split(" ");
  if (ws.length === 1) return t;
  return ws
    .map((w, i) => {
      if (w === "n") return i > 0 && i < ws.length - 1 ? "and" : w;
      return CHAT_SPELLINGS.get(w) ?? w;
    })
    .join(" ");
}

/** Splits simplified text into words. */
export function words(text: string): string[] {
  const s = simplify(text);
  return s ? s.split(" ") : [];
}

/** A light English stemmer: enough to join "causes/cause", "stretches/stretching". */
export function stem(word: string): string {
  // Every message stems the same few thousand words again: remember them (bounded like simplify).
  return remembered(stems, word, stemUncached);
}

const stems = new Map<string, string>();

function stemUncached(word: string): string {
  if (word.length <= 3 || /\d/.test(word)) return word;
  let w = word;
  if (w.endsWith("ies") && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith("sses")) w = w.slice(0, -2);
  else if (w.endsWith("es") && /(ch|sh|x|ss|z)es$/.test(w)) w = w.slice(0, -2);
  else if (w.endsWith("s") && !w.endsWith("ss") && !w.endsWith("us") && !w.endsWith("is")) {
    w = w.slice(0, -1);
  }
  if (w.endsWith("ing") && w.length > 5) w = w.slice(0, -3);
  else if (w.endsWith("ed") && w.length > 4) w = w.slice(0, -2);
  if (w.length > 4 && /([^aeiouls])\1$/.test(w)) w = w.slice(0, -1);
  if (w.endsWith("e") && w.length > 4) w = w.slice(0, -1);
  if (w.endsWith("y") && w.length > 4 && !/[aeiou]y$/.test(w)) w = w.slice(0, -1);
  return w;
}

/** Rewrites phrases through a synonym table, longest phrases first, on word boundaries. */
export function createSynonymRewriter(
  synonyms: Record<string, string>,
): (ws: string[]) => string[] {
  const table = new Map<string, { words: string[]; to: string[] }[]>();
  for (const [from, to] of Object.entries(synonyms)) {
    const fw = words(from);
    if (fw.length === 0) continue;
    const list = table.get(fw[0]!) ?? [];
    list.push({ words: fw, to: words(to) });
    table.set(fw[0]!, list);
  }
  for (const list of table.values()) list.sort((a, b) => b.words.length - a.words.length);
  const rewrite = (ws: string[]): string[] => {
    const out: string[] = [];
    let i = 0;
    while (i < ws.length) {
      const candidates = table.get(ws[i]!);
      let hit: { words: string[]; to: string[] } | undefined;
      if (candidates) {
        for (const c of candidates) {
          if (c.words.every((w, k) => ws[i + k] === w)) {
            hit = c;
            break;
          }
        }
      }
      if (hit) {
        out.push(...hit.to);
        i += hit.words.length;
      } else {
        out.push(ws[i]!);
        i += 1;
      }
    }
    return out;
  };
  // A phrase's replacement is itself put through the table once, so every phrase ends in the
  // same words ("run through the pain" → "run through pain" → "run through hurt", as "pain" alone
  // becomes "hurt"). Once, not to a fixed point, and never when it would grow: a word that
  // expands into a phrase containing itself ("rolling" → "foam rolling") stays as written.
  const normalised = [...table.values()].flat().map((entry) => [entry, rewrite(entry.to)] as const);
  for (const [entry, to] of normalised) if (to.length <= entry.to.length) entry.to = to;
  return rewrite;
}

/** Damerau-Levenshtein distance, bounded: returns max+1 as soon as it is exceeded. */
export function editDistance(a: string, b: string, max: number): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  const rows = a.length + 1;
  const cols = b.length + 1;
  let prev2 = new Array<number>(cols).fill(0);
  let prev = Array.from({ length: cols }, (_, j) => j);
  for (let i = 1; i < rows; i++) {
    const cur = new Array<number>(cols).fill(0);
    cur[0] = i;
    let rowMin = cur[0];
    for (let j = 1; j < cols; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        v = Math.min(v, prev2[j - 2]! + 1);
      }
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin > max) return max + 1;
    prev2 = prev;
    prev = cur;
  }
  return prev[cols - 1]!;
}

/** How many typos a word of this length may carry and still count as a match. */
export function typoAllowance(word: string): number {
  if (word.length >= 8) return 2;
  if (word.length >= 4) return 1;
  return 0;
}
