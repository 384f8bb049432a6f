/**
 * A runner's post is rarely one question: it is a few sentences of context ("week 5 of couch to
 * 5k, left knee started hurting") around one or two sentences that ask. This finds the asking
 * parts, so the matcher can let the context support an entry without drowning the question.
 */

/** One sentence of a message, and whether it asks something. */
export interface Segment {
  text: string;
  asks: boolean;
}

// Sentence ends: . ! ? … and line breaks. A full stop inside "e.g." or "5.5k" is not an end
// because the next character is not a space.
const SENTENCE_END = /(?<=[.!?…])\s+|\n+/;

// A sentence that starts like a question asks, with or without a question mark.
const ASKING_START =
  /^(?:so |but |and |also |or |just |basically |honestly |anyway |then |now )?(?:what|whats|why|how|hows|when|where|which|who|whom|should|shall|can|could|is|are|does|do|did|will|would|am|any|anyone|anybody|has|have|was|were|tips|advice|thoughts|ideas|suggestions|help)\b/;

// Asking phrases anywhere in a sentence ("I'm wondering whether…", "… or should I rest?").
const ASKING_CUE =
  /\b(?:should i|shall i|can i|could i|do i|would i|am i|is it|is this|is that|are they|how long|how much|how often|how soon|how do|how can|what should|what can|what do|what would|any advice|any tips|any ideas|any thoughts|any suggestions|advice please|tips please|help please|wondering|wonder if|not sure (?:if|whether|what|how)|unsure (?:if|whether)|does anyone|has anyone|did anyone|anyone know|anyone else|what to do|whether to|whether i|or not)\b/;

/** Most words a first line may have to be read as the post's title. */
const TITLE_WORDS = 8;

/** Splits a message into sentences and marks the ones that ask. */
export function segment(text: string): Segment[] {
  const out: Segment[] = [];
  for (const part of text.split(SENTENCE_END)) {
    const t = part.trim();
    if (!t) continue;
    const lower = t.toLowerCase().replace(/['’]/g, "");
    const asks = t.includes("?") || ASKING_START.test(lower) || ASKING_CUE.test(lower);
    out.push({ text: t, asks });
  }
  // A short first line on its own is a title: it says what the post is about.
  const first = out[0];
  const nl = text.trim().indexOf("\n");
  if (
    first &&
    out.length > 1 &&
    nl > 0 &&
    text.trim().slice(0, nl).trim() === first.text &&
    first.text.split(/\s+/).length <= TITLE_WORDS
  )
    first.asks = true;
  return out;
}
