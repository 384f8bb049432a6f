/** Splitting long text into several messages, for every platform's message limit. */
import { cutText } from "./cut.ts";

/** How {@link splitText} treats the platform's markup. */
export interface SplitOptions {
  /**
   * A span marker such as Markdown's `**`: a span a cut falls inside is closed at the end of
   * its chunk and reopened at the start of the next (room for both is kept).
   */
  span?: string;
}

/**
 * Splits `text` into chunks of at most `max` characters. Each cut prefers a paragraph break,
 * then a line break, then a space, in the second half of the chunk; with none it cuts hard,
 * never inside a surrogate pair or an entity. Only the whitespace at the cuts is dropped.
 */
export function splitText(text: string, max: number, options: SplitOptions = {}): string[] {
  const trimmed = text.trim();
  if (trimmed.length <= max) return trimmed ? [trimmed] : [];
  const span = options.span ?? "";
  const limit = max - 2 * span.length;
  const chunks: string[] = [];
  let rest = trimmed;
  while (rest.length > limit) {
    const at = cutAt(rest, limit);
    chunks.push(rest.slice(0, at).trimEnd());
    rest = rest.slice(at).trimStart();
  }
  if (rest.length > 0) chunks.push(rest);
  return span ? balance(chunks, span) : chunks;
}

/** Where to end the next chunk of `text`, at most `limit` characters in. */
function cutAt(text: string, limit: number): number {
  const window = cutText(text, limit);
  for (const sep of ["\n\n", "\n", " "]) {
    const at = window.lastIndexOf(sep);
    if (at >= limit / 2) return at;
  }
  // A limit too small for the first character still moves on by one whole character.
  return window.length > 0 ? window.length : String.fromCodePoint(text.codePointAt(0) ?? 0).length;
}

/** Closes a span left open at the end of a chunk and reopens it in the next. */
function balance(chunks: string[], span: string): string[] {
  let open = false;
  return chunks.map((chunk, i) => {
    const text = open ? `${span}${chunk}` : chunk;
    open = (text.split(span).length - 1) % 2 === 1;
    return open && i < chunks.length - 1 ? `${text}${span}` : text;
  });
}
