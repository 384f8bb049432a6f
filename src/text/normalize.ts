/**
 * Cleans user text before matching, triage or storage. Hostile or accidental invisible
 * characters must not change what the bot hears: "kne\u200Be pain" is "knee pain", and a
 * right-to-left override cannot make the stored text read differently from what was matched.
 */
import { KneebotError } from "../errors.ts";

// Every Unicode format character (general category Cf). This covers the zero-width characters
// (U+200B–U+200D, U+2060, U+FEFF), the bidi marks, overrides and isolates (U+200E, U+200F,
// U+061C, U+202A–U+202E, U+2066–U+2069), and also the soft hyphen (U+00AD), invisible math
// operators (U+2061–U+2064) and tag characters (U+E0000–U+E007F), which can hide text too.
//
// That includes the zero-width joiner (U+200D), on purpose: stripping it splits a family emoji
// 👨‍👩‍👧 into 👨👩👧 and a profession emoji 🏃‍♀️ into 🏃♀️, which is harmless for matching, while
// keeping it would let "kn\u200Dee" slip past keyword matching. One simple rule wins.
const FORMAT_CHARS = /\p{Cf}/gu;

// Control characters (C0, DEL, C1) other than \t and \n, plus lone surrogates (malformed
// UTF-16 that would turn into U+FFFD somewhere downstream). \r is handled before this.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const CONTROL_CHARS = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]|\p{Cs}/gu;

// Line breaks of every kind become \n: CRLF, CR, NEL (U+0085), line and paragraph separators.
const LINE_BREAKS = /\r\n?|[\u0085\u2028\u2029]/g;

// Horizontal whitespace: \s without \n (tab, space, NBSP, the U+2000 spaces, ideographic space…).
const SPACE_RUN = /[^\S\n]+/g;

// "Zalgo" text stacks dozens of combining marks on one letter. Real scripts need a few at most
// (Vietnamese two, keycap emoji two), so keep the first four of any run.
const MARK_PILE = /(\p{M}{4})\p{M}+/gu;

/** What sanitizeInput returns: the clean text and whether it was cut to fit. */
export interface SanitizedInput {
  text: string;
  truncated: boolean;
}

/**
 * Normalises user text: NFC, line breaks unified to \n, control and invisible format characters
 * removed, runs of spaces/tabs collapsed to one space, spaces around line breaks dropped, at most
 * one blank line in a row, trimmed. Tabs and newlines are not deleted (that would glue words
 * together) but tabs end up as single spaces. When the clean text is longer than `maxChars`
 * code points it is cut there (never inside a surrogate pair) and `truncated` is true.
 */
export function sanitizeInput(text: string, maxChars: number): SanitizedInput {
  if (!Number.isInteger(maxChars) || maxChars < 1) {
    throw new KneebotError("internal", `maxChars must be a whole number ≥ 1 (got ${maxChars})`);
  }
  const clean = text
    .replace(LINE_BREAKS, "\n")
    .replace(CONTROL_CHARS, "")
    .replace(FORMAT_CHARS, "")
    .normalize("NFC")
    .replace(MARK_PILE, "$1")
    .replace(SPACE_RUN, " ")
    .replace(/ ?\n ?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();

  const codePoints = Array.from(clean);
  if (codePoints.length <= maxChars) return { text: clean, truncated: false };
  return { text: codePoints.slice(0, maxChars).join("").trimEnd(), truncated: true };
}
