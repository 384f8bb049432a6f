/**
 * Cutting text to a platform's limit. The one truncation helper for every label, notice and
 * fallback text; splitting long text into several messages is `splitText` (split.ts).
 */

/**
 * The longest prefix of `text` of at most `max` UTF-16 units that doesn't end halfway through a
 * surrogate pair (an emoji cut in two turns into garbage on every platform) or inside an HTML
 * entity such as `&amp;` (Slack's escapes; plain text only loses a bare `&` near the cut).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  const cut = text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
  const amp = cut.lastIndexOf("&");
  return amp >= 0 && amp >= cut.length - 5 && !cut.slice(amp).includes(";")
    ? cut.slice(0, amp)
    : cut;
}

/**
 * `text` cut to at most `max` characters, ending with an ellipsis when cut: at the last space
 * when one falls in the second half, otherwise mid-word (never inside a surrogate pair or an
 * entity).
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = cutText(text, max - 1);
  const space = cut.lastIndexOf(" ");
  return `${space > max / 2 ? cut.slice(0, space) : cut}…`;
}
