import type { ChoiceSet, Reply } from "../../src/index.ts";

/** How the terminal shows things: ANSI styling only on a real terminal. */
export interface TerminalStyle {
  color: boolean;
}

/**
 * What the terminal adds under a check-in offer, since it has no DMs: how the check-in will
 * reach the runner. "kept" when the store outlives the run (SQLite, Redis), "this-run" for the
 * memory store.
 */
export const CHECK_IN_NOTE = {
  kept: "  (In the terminal, the check-in appears here when it's due. If kneebot isn't running then, you'll get it the next time you run npm start.)",
  "this-run":
    "  (In the terminal, the check-in appears here when it's due, but only if kneebot is still running then: with KNEEBOT_STORE=memory it is forgotten when you quit.)",
} as const;

/** Renders the Markdown subset for a terminal: **bold** and _italic_ as ANSI, or plain. */
export function renderText(text: string, style: TerminalStyle): string {
  const bold = (s: string) => (style.color ? `\u001b[1m${s}\u001b[22m` : s);
  const dim = (s: string) => (style.color ? `\u001b[3m${s}\u001b[23m` : s);
  return stripControls(text)
    .replace(/\*\*([^*]+)\*\*/g, (_m, s: string) => bold(s))
    .replace(/(^|\s)_([^_]+)_(?=\s|$|[.,!?])/gm, (_m, pre: string, s: string) => `${pre}${dim(s)}`);
}

/** Only our own styling reaches the terminal: no escape sequences or bells from the text. */
function stripControls(text: string): string {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: removing control characters is the point.
  return text.replace(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/g, "");
}

/** Numbered options, with a hint for checklists. */
export function renderChoices(set: ChoiceSet): string {
  const lines = set.options.map((o, i) => `  ${i + 1}) ${stripControls(o.label)}`);
  const hint =
    set.mode === "multi"
      ? "  (type the numbers that apply, e.g. 1 3, or write your answer)"
      : "  (type a number, or write your answer)";
  return `${lines.join("\n")}\n${hint}`;
}

/** One reply as terminal text. */
export function renderReply(reply: Reply, style: TerminalStyle): string {
  const body = renderText(reply.text, style);
  return reply.choices ? `${body}\n${renderChoices(reply.choices)}` : body;
}

/**
 * Reads a typed line as a pick from the last choices shown ("2", "1 3"), or undefined when
 * it's free text for the engine to understand.
 */
export function parsePick(line: string, set: ChoiceSet | undefined): string[] | undefined {
  if (!set) return undefined;
  const parts = line
    .trim()
    .split(/[\s,]+/)
    .filter(Boolean);
  if (parts.length === 0 || !parts.every((p) => /^\d{1,2}$/.test(p))) return undefined;
  const values = parts.map((p) => set.options[Number(p) - 1]?.value);
  if (values.some((v) => v === undefined)) return undefined;
  if (set.mode === "single" && values.length !== 1) return undefined;
  return [...new Set(values as string[])];
}
