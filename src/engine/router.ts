import type { Lexicon } from "../knowledge/wording-schema.ts";
import { words } from "../text/tokens.ts";
import { COMMANDS, type CommandName } from "../types.ts";

/** Reads intent from free text: commands said in words, and self-descriptions of symptoms. */
export interface Router {
  /** The command a whole message amounts to ("forget me", "start over"), if any. */
  command(text: string): CommandName | undefined;
  /** True when the message describes the runner's own symptoms rather than asking generally. */
  describesSymptoms(text: string, findingsFound: number): boolean;
  /** True when the words are about pain somewhere other than the knee ("my hip hurts"). */
  painElsewhere(ws: string[]): boolean;
  /** True when the words name the knee or a knee term ("kneecap", "it band", "acl"). */
  mentionsKnee(ws: string[]): boolean;
  /** "yes", "no" or undefined for a reply to a yes/no prompt. */
  yesNo(text: string): "yes" | "no" | undefined;
}

/** Compiles the lexicon's command phrases and cue words. */
export function createRouter(lexicon: Lexicon): Router {
  const commands = new Map<string, CommandName>();
  for (const [name, phrases] of Object.entries(lexicon.commands)) {
    if (!(COMMANDS as readonly string[]).includes(name)) continue;
    for (const p of phrases) commands.set(words(p).join(" ") || p.trim(), name as CommandName);
  }
  const personal = new Set(lexicon.personal_cues.flatMap((w) => words(w)));
  const symptoms = lexicon.symptom_words.map((w) => ` ${words(w).join(" ")} `);
  const questionStarts = new Set(lexicon.question_starts.flatMap((w) => words(w)));
  const yes = new Set(lexicon.yes_words.map((w) => words(w).join(" ")));
  const no = new Set(lexicon.no_words.map((w) => words(w).join(" ")));
  const elsewhere = lexicon.other_body_parts.map((w) => ` ${words(w).join(" ")} `);
  const knee = lexicon.knee_terms.map((w) => ` ${words(w).join(" ")} `);
  const pain = symptoms;
  const mentionsKnee = (ws: string[]) => {
    const padded = ` ${ws.join(" ")} `;
    return knee.some((t) => padded.includes(t)) || /\bknees?\b/.test(padded);
  };
  return {
    mentionsKnee,
    painElsewhere(ws) {
      const padded = ` ${ws.join(" ")} `;
      if (mentionsKnee(ws)) return false;
      return elsewhere.some((t) => padded.includes(t)) && pain.some((t) => padded.includes(t));
    },
    command(text) {
      const said = words(text).join(" ");
      return commands.get(said) ?? commands.get(text.trim().toLowerCase());
    },
    describesSymptoms(text, findingsFound) {
      const ws = words(text);
      if (ws.length === 0 || questionStarts.has(ws[0]!)) return false;
      // "my knee…", or a bare "knee hurts": either way it's about the runner's own knee.
      if (!ws.some((w) => personal.has(w) || w === "knee" || w === "knees")) return false;
      const padded = ` ${ws.join(" ")} `;
      return findingsFound > 0 || symptoms.some((s) => padded.includes(s));
    },
    yesNo(text) {
      const said = words(text).join(" ");
      if (yes.has(said)) return "yes";
      if (no.has(said)) return "no";
      const first = said.split(" ")[0] ?? "";
      if (no.has(first)) return "no";
      if (yes.has(first)) return "yes";
      return undefined;
    },
  };
}
