/**
 * The longest prefix of `text` of at most `max` UTF-16 units that doesn't end halfway through a
 * surrogate pair (an emoji cut in two turns into garbage on every platform).
 */
export function cutText(text: string, max: number): string {
  if (text.length <= max) return text;
  const end = Math.max(0, max);
  const last = text.charCodeAt(end - 1);
  return text.slice(0, last >= 0xd800 && last <= 0xdbff ? end - 1 : end);
}
