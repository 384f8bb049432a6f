/**
 * ChoiceSet ids: what a button answers, so a click after a restart still works and a stale one
 * is recognised. Triage ids carry the session nonce, the question and the flow version.
 */

/** A decoded ChoiceSet id. */
export type SetRef =
  | { type: "question"; nonce: string; questionId: string; version: number }
  | { type: "confirm"; nonce: string; questionId: string; version: number }
  | { type: "offer"; nonce: string }
  | { type: "answer"; faqId: string }
  | { type: "suggest" }
  | { type: "links" }
  | { type: "menu" }
  | { type: "followup"; jobId: string };

const ID_PART = /^[A-Za-z0-9_-]{1,40}$/;

/** Encodes a set reference as a short id (≤ 48 characters). */
export function encodeSet(ref: SetRef): string {
  switch (ref.type) {
    case "question":
      return `q.${ref.nonce}.${ref.questionId}.${ref.version}`;
    case "confirm":
      return `c.${ref.nonce}.${ref.questionId}.${ref.version}`;
    case "offer":
      return `o.${ref.nonce}`;
    case "answer":
      return `a.${ref.faqId}`;
    case "suggest":
      return "d";
    case "links":
      return "l";
    case "menu":
      return "m";
    case "followup":
      return `u.${ref.jobId}`;
  }
}

/** Decodes a set id; anything malformed or unknown is undefined (the engine says "expired"). */
export function decodeSet(id: string): SetRef | undefined {
  if (id.length > 48) return undefined;
  const parts = id.split(".");
  const [kind, a, b, c] = parts;
  const ok = (...xs: Array<string | undefined>) =>
    xs.every((x) => x !== undefined && ID_PART.test(x));
  switch (kind) {
    case "q":
    case "c": {
      if (parts.length !== 4 || !ok(a, b, c) || !/^\d{1,6}$/.test(c!)) return undefined;
      return {
        type: kind === "q" ? "question" : "confirm",
        nonce: a!,
        questionId: b!,
        version: Number(c),
      };
    }
    case "o":
      return parts.length === 2 && ok(a) ? { type: "offer", nonce: a! } : undefined;
    case "a":
      return parts.length === 2 && ok(a) ? { type: "answer", faqId: a! } : undefined;
    case "u":
      return parts.length === 2 && ok(a) ? { type: "followup", jobId: a! } : undefined;
    case "d":
      return parts.length === 1 ? { type: "suggest" } : undefined;
    case "l":
      return parts.length === 1 ? { type: "links" } : undefined;
    case "m":
      return parts.length === 1 ? { type: "menu" } : undefined;
    default:
      return undefined;
  }
}

/** A new random session nonce (6 base-36 characters). */
export function newNonce(random: () => number = Math.random): string {
  let s = "";
  for (let i = 0; i < 6; i++) s += Math.floor(random() * 36).toString(36);
  return s;
}
