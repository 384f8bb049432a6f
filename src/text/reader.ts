/**
 * The one text-understanding layer: every path that reads a runner's words (red flags, finding
 * pre-fill, typed answers, commands, yes/no, choice labels) starts from a Reading of the message.
 * A Reading is the message split into clauses of simplified words (contractions expanded with
 * or without apostrophes, possessives and chat spellings folded: see tokens.ts), plus the same
 * clauses with misspelt words corrected towards the knowledge base's own vocabulary, so a caller
 * can tell what the runner wrote from what the bot guessed.
 */
import { isEnglishWord, looksForeign } from "./english.ts";
import { clauses } from "./phrases.ts";
import { createSpeller } from "./speller.ts";
import { words } from "./tokens.ts";

/** What the reader makes of one message. */
export interface Reading {
  /** The message as clauses of simplified words, as typed. */
  clauses: string[][];
  /** The same clauses with misspellings corrected; undefined when nothing was corrected. */
  fixed?: string[][];
  /** Each correction made: [as typed, as read]. */
  corrections: Array<[string, string]>;
  /** All words of the message, corrected. */
  words: string[];
  /** True when the message asks something (a question mark, or it opens like a question). */
  question: boolean;
  /** True when the message is very likely written in another language (worked out on demand). */
  readonly foreign: boolean;
}

/** Reads messages against a vocabulary. */
export interface TextReader {
  read(text: string): Reading;
  /** True when the word is in the knowledge base's vocabulary. */
  knows(word: string): boolean;
}

/** What the reader learns its vocabulary and question cues from. */
export interface ReaderSources {
  /** Texts whose words the corrector may correct towards (phrases, labels, FAQ text). */
  texts: Iterable<string>;
  /** Everyday words never to correct, even when the dictionary lacks them. */
  keep: Iterable<string>;
  /** First words that make a message a question ("should", "how", "any"). */
  questionStarts: Iterable<string>;
}

// Phrases that ask wherever they stand in a message ("…, should I rest it").
const ASKING = [
  "should i",
  "can i",
  "could i",
  "do i",
  "is it ok",
  "is it okay",
  "is it safe",
  "is it bad",
  "is it normal",
  "how long",
  "how do i",
  "how can i",
  "what should",
  "what can",
  "any advice",
  "any tips",
  "any ideas",
  "anyone know",
  "does anyone",
  "has anyone",
  "what do you",
  "would you",
  "is there",
  "are there",
];

/** Words shorter than this are never corrected (too many near neighbours). */
const MIN_CORRECTABLE = 4;

/** Builds a reader over the given vocabulary. */
export function createReader(sources: ReaderSources): TextReader {
  const vocab = new Map<string, number>();
  for (const t of sources.texts)
    for (const w of words(t)) if (!/\d/.test(w)) vocab.set(w, (vocab.get(w) ?? 0) + 1);
  const keep = new Set<string>();
  for (const t of sources.keep) for (const w of words(t)) keep.add(w);
  const starts = new Set<string>();
  for (const t of sources.questionStarts) for (const w of words(t)) starts.add(w);
  const speller = createSpeller(vocab);
  const asking = ASKING.map((p) => ` ${p} `);

  const fix = (w: string): string => {
    if (w.length < MIN_CORRECTABLE || /\d/.test(w) || vocab.has(w) || keep.has(w)) return w;
    if (isEnglishWord(w)) return w;
    return speller.correct(w) ?? w;
  };

  return {
    knows: (w) => vocab.has(w) || keep.has(w),
    read(text) {
      const cl = clauses(text);
      const corrections: Array<[string, string]> = [];
      let changed = false;
      const fixedClauses = cl.map((ws) =>
        ws.map((w) => {
          const f = fix(w);
          if (f !== w) {
            changed = true;
            corrections.push([w, f]);
          }
          return f;
        }),
      );
      const all = (changed ? fixedClauses : cl).flat();
      const padded = ` ${all.join(" ")} `;
      const question =
        text.includes("?") ||
        (all[0] !== undefined && starts.has(all[0])) ||
        asking.some((p) => padded.includes(p));
      let foreign: boolean | undefined;
      return {
        clauses: cl,
        ...(changed ? { fixed: fixedClauses } : {}),
        corrections,
        words: all,
        question,
        get foreign() {
          // A word the corrector could place is the runner's English, misspelt.
          const placed = new Set(corrections.map(([from]) => from));
          foreign ??= looksForeign(
            text,
            cl.flat(),
            (w) => vocab.has(w) || keep.has(w) || placed.has(w),
          );
          return foreign;
        },
      };
    },
  };
}
