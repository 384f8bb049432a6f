import { simplify } from "./tokens.ts";

/**
 * A tiny phrase language for knowledge authors (see knowledge/triage.yaml): segments joined by
 * "..", each segment a set of alternatives joined by "|", each alternative one or more words,
 * and a word ending in "*" matches any word starting with it.
 */

type WordTest = (w: string) => boolean;
type Alternative = WordTest[];
/** A compiled phrase: a list of segments; a gap of up to MAX_GAP words may sit between them. */
export type Phrase = { source: string; segments: Alternative[][] };

/** Most words allowed between two segments joined by "..". */
export const MAX_GAP = 4;
/** How far back (in words) a negation still applies to a phrase. */
const NEGATION_REACH = 3;
const NEGATORS = new Set(["no", "not", "never", "without", "nor", "none", "hardly", "barely"]);
const CLAUSE_BREAKS = /[.,;:!?\n]+|\b(?:but|although|though|however|except|whereas)\b/g;

function compileWord(w: string): WordTest {
  if (w.endsWith("*")) {
    const prefix = w.slice(0, -1);
    return (x) => x.startsWith(prefix);
  }
  return (x) => x === w;
}

/** Compiles one phrase of the authoring syntax. */
export function compilePhrase(source: string): Phrase {
  const segments = source.split("..").map((seg) =>
    seg
      .split("|")
      .map((alt) =>
        alt
          .trim()
          .split(/\s+/)
          .filter(Boolean)
          .map((w) => (w.endsWith("*") ? `${simplify(w.slice(0, -1))}*` : simplify(w)))
          .filter((w) => w !== "" && w !== "*")
          .map(compileWord),
      )
      .filter((alt) => alt.length > 0),
  );
  return { source, segments: segments.filter((s) => s.length > 0) };
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
  matched: number;
  negated: boolean;
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
export function findPhrase(phrase: Phrase, ws: string[]): PhraseHit | undefined {
  if (phrase.segments.length === 0) return undefined;
  let fallback: PhraseHit | undefined;
  for (let start = 0; start < ws.length; start++) {
    const m = matchFrom(phrase.segments, 0, ws, start, []);
    if (!m) continue;
    const before = ws.slice(Math.max(0, start - NEGATION_REACH), start);
    const negated = before.some((w) => NEGATORS.has(w)) || m.gaps.some((g) => NEGATORS.has(ws[g]!));
    const hit = { start, matched: m.matched, negated };
    if (!negated) return hit;
    fallback ??= hit;
  }
  return fallback;
}

/** True when any phrase matches a clause of the text without being negated. */
export function anyPhrase(phrases: Phrase[], clauseWords: string[][]): PhraseHit | undefined {
  let best: PhraseHit | undefined;
  for (const ws of clauseWords) {
    for (const p of phrases) {
      const hit = findPhrase(p, ws);
      if (hit && !hit.negated && (!best || hit.matched > best.matched)) best = hit;
    }
  }
  return best;
}
