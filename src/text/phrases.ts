import { simplify } from "./tokens.ts";

/**
 * A tiny phrase language for knowledge authors (see knowledge/triage.yaml): segments joined by
 * "..", each segment a set of alternatives joined by "|", each alternative one or more words,
 * and a word ending in "*" matches any word starting with it.
 */

type WordTest = (w: string) => boolean;
type Alternative = WordTest[];
/** A compiled phrase: a list of segments; a gap of up to MAX_GAP words may sit between them. */
export type Phrase = {
  source: string;
  segments: Alternative[][];
  /** Per segment, the words one of its alternatives can start with: a cheap first test. */
  needs: Array<{ exact: Set<string>; prefixes: string[] }>;
};

/** Most words allowed between two segments joined by "..". */
export const MAX_GAP = 4;
/** How far back (in words) a negation still applies to a phrase. */
const NEGATION_REACH = 3;
/** How far back a negation reaches along a list joined by "or" ("not swollen, hot or red"). */
const LIST_REACH = 7;
const NEGATORS = new Set([
  "no",
  "not",
  "never",
  "without",
  "nor",
  "none",
  "nothing",
  "neither",
  "hardly",
  "barely",
]);
// Words before a phrase that make it a doubt, not a statement: "not sure if it popped" is
// neither a pop nor the absence of one.
const DOUBTS = [
  ["not", "sure"],
  ["no", "idea"],
  ["not", "know"],
  ["unsure"],
  ["maybe"],
  ["wonder"],
  ["if"],
  ["whether"],
];
const CLAUSE_BREAKS = /[.,;:!?\n]+|\b(?:but|although|though|however|except|whereas)\b/g;

/** A word without a plural or possessive "s", so "calfs", "calf's" and "calf" compare equal. */
function singular(w: string): string {
  return w.length > 3 && w.endsWith("s") && !/(ss|us|is)$/.test(w) ? w.slice(0, -1) : w;
}

function compileWord(w: string): WordTest {
  if (w.endsWith("*")) {
    const prefix = w.slice(0, -1);
    return (x) => x.startsWith(prefix);
  }
  const one = singular(w);
  return (x) => x === w || singular(x) === one;
}

/** One alternative's words: each simplified (which may make two words of one: "im"). */
function compileAlternative(alt: string): Alternative {
  const tests: WordTest[] = [];
  for (const w of alt.trim().split(/\s+/).filter(Boolean)) {
    if (w.endsWith("*")) {
      const prefix = simplify(w.slice(0, -1));
      if (prefix) tests.push(compileWord(`${prefix}*`));
      continue;
    }
    for (const part of simplify(w).split(" ").filter(Boolean)) tests.push(compileWord(part));
  }
  return tests;
}

/** Compiles one phrase of the authoring syntax. */
export function compilePhrase(source: string): Phrase {
  const parts = source
    .split("..")
    .filter((seg) => seg.split("|").some((a) => compileAlternative(a).length > 0));
  const segments = parts.map((seg) =>
    seg
      .split("|")
      .map(compileAlternative)
      .filter((alt) => alt.length > 0),
  );
  const needs = parts.map((seg) => {
    const exact = new Set<string>();
    const prefixes: string[] = [];
    for (const alt of seg.split("|")) {
      const first = alt.trim().split(/\s+/)[0] ?? "";
      if (first.endsWith("*")) {
        const prefix = simplify(first.slice(0, -1));
        if (prefix) prefixes.push(prefix);
      } else {
        const w = simplify(first).split(" ")[0];
        if (w) exact.add(singular(w));
      }
    }
    return { exact, prefixes };
  });
  return { source, segments, needs };
}

/** The words of a clause, as `couldMatch` wants them (each also without its plural "s"). */
export function presentWords(ws: string[]): Set<string> {
  const present = new Set<string>();
  for (const w of ws) present.add(singular(w));
  return present;
}

/** Finds, for a clause, the phrases whose first segment could start on one of its words. */
export interface PhraseIndex {
  candidates(ws: string[]): Set<Phrase>;
}

/** Indexes phrases by the words (and prefixes) their first segment starts with. */
export function indexPhrases(phrases: Iterable<Phrase>): PhraseIndex {
  const exact = new Map<string, Phrase[]>();
  const byStem = new Map<string, Array<{ prefix: string; phrase: Phrase }>>();
  const put = <T>(m: Map<string, T[]>, k: string, v: T) => {
    const list = m.get(k);
    if (list) list.push(v);
    else m.set(k, [v]);
  };
  for (const phrase of phrases) {
    const first = phrase.needs[0];
    if (!first) continue;
    for (const w of first.exact) put(exact, w, phrase);
    for (const prefix of first.prefixes) put(byStem, prefix.slice(0, 3), { prefix, phrase });
  }
  return {
    candidates(ws) {
      const out = new Set<Phrase>();
      for (const w of ws) {
        for (const p of exact.get(singular(w)) ?? []) out.add(p);
        for (let n = 1; n <= 3 && n <= w.length; n++)
          for (const e of byStem.get(w.slice(0, n)) ?? [])
            if (w.startsWith(e.prefix)) out.add(e.phrase);
      }
      return out;
    },
  };
}

/** False when some segment's first words appear nowhere in the clause: no need to look. */
export function couldMatch(p: Phrase, present: Set<string>, ws: string[]): boolean {
  for (const n of p.needs) {
    let found = false;
    for (const w of n.exact) {
      if (present.has(w)) {
        found = true;
        break;
      }
    }
    if (!found) found = n.prefixes.some((pre) => ws.some((w) => w.startsWith(pre)));
    if (!found) return false;
  }
  return true;
}

/** Splits text into clauses of simplified words, so negation does not leak across "but". */
export function clauses(text: string): string[][] {
  return text
    .toLowerCase()
    .split(CLAUSE_BREAKS)
    .filter((c): c is string => typeof c === "string")
    .map((c) => simplify(c))
    .filter(Boolean)
    .map((c) => c.split(" "));
}

function matchAlt(alt: Alternative, ws: string[], at: number): number {
  for (let k = 0; k < alt.length; k++) {
    const w = ws[at + k];
    if (w === undefined || !alt[k]!(w)) return -1;
  }
  return alt.length;
}

/** A match of a phrase in one clause: where it starts, how many words it matched, negated or not. */
export interface PhraseHit {
  start: number;
  /** One past the last word of the match. */
  end: number;
  matched: number;
  negated: boolean;
  /** True when the runner voiced a doubt about it ("not sure if it popped"). */
  doubtful?: boolean;
}

function doubted(before: string[]): boolean {
  return DOUBTS.some((d) =>
    before.some((w, i) => w === d[0] && (d.length === 1 || before[i + 1] === d[1])),
  );
}

function matchFrom(
  segments: Alternative[][],
  seg: number,
  ws: string[],
  at: number,
  gaps: number[],
): { end: number; matched: number; gaps: number[] } | undefined {
  if (seg === segments.length) return { end: at, matched: 0, gaps };
  const maxSkip = seg === 0 ? 0 : MAX_GAP;
  for (let skip = 0; skip <= maxSkip && at + skip <= ws.length; skip++) {
    for (const alt of segments[seg]!) {
      const len = matchAlt(alt, ws, at + skip);
      if (len < 0) continue;
      const gapWords: number[] = [];
      for (let g = at; g < at + skip; g++) gapWords.push(g);
      const rest = matchFrom(segments, seg + 1, ws, at + skip + len, [...gaps, ...gapWords]);
      if (rest) return { end: rest.end, matched: rest.matched + len, gaps: rest.gaps };
    }
  }
  return undefined;
}

/** Finds the first match of a phrase in a clause, with negation resolved. */
export function findPhrase(
  phrase: Phrase,
  ws: string[],
  present?: Set<string>,
): PhraseHit | undefined {
  if (phrase.segments.length === 0) return undefined;
  if (present && !couldMatch(phrase, present, ws)) return undefined;
  let fallback: PhraseHit | undefined;
  for (let start = 0; start < ws.length; start++) {
    const m = matchFrom(phrase.segments, 0, ws, start, []);
    if (!m) continue;
    const before = ws.slice(Math.max(0, start - NEGATION_REACH), start);
    // "it doesn't lock or give way": a negation carries along a list joined by "or"/"nor".
    const listed = ws.slice(Math.max(0, start - LIST_REACH), start);
    let lastNegator = -1;
    listed.forEach((w, i) => {
      if (NEGATORS.has(w)) lastNegator = i;
    });
    const negated =
      before.some((w) => NEGATORS.has(w)) ||
      m.gaps.some((g) => NEGATORS.has(ws[g]!)) ||
      (lastNegator >= 0 && listed.slice(lastNegator).some((w) => w === "or" || w === "nor"));
    const doubtful = doubted(ws.slice(Math.max(0, start - NEGATION_REACH - 1), start));
    const hit: PhraseHit = { start, end: m.end, matched: m.matched, negated };
    if (doubtful) hit.doubtful = true;
    if (!negated && !doubtful) return hit;
    fallback ??= hit;
  }
  return fallback;
}

/** Every clause's best hit of any of the phrases, negated and doubtful ones included. */
export function allHits(phrases: Phrase[], clauseWords: string[][]): PhraseHit[] {
  const hits: PhraseHit[] = [];
  for (const ws of clauseWords) {
    for (const p of phrases) {
      const hit = findPhrase(p, ws);
      if (hit) hits.push(hit);
    }
  }
  return hits;
}

/** True when any phrase matches a clause of the text without being negated. */
export function anyPhrase(phrases: Phrase[], clauseWords: string[][]): PhraseHit | undefined {
  let best: PhraseHit | undefined;
  for (const ws of clauseWords) {
    for (const p of phrases) {
      const hit = findPhrase(p, ws);
      if (hit && !hit.negated && !hit.doubtful && (!best || hit.matched > best.matched)) best = hit;
    }
  }
  return best;
}
