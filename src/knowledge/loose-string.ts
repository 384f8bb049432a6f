import { z } from "zod";

/**
 * A string that forgives YAML's typing: volunteers write `45` or `true` in a word list and
 * mean the text, so numbers and booleans are read back as their text.
 */
export const looseString = z.preprocess(
  (v) => (typeof v === "number" || typeof v === "boolean" ? String(v) : v),
  z.string().min(1),
);
