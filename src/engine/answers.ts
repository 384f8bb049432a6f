import type { Lexicon } from "../knowledge/wording-schema.ts";
import { editDistance, typoAllowance, words } from "../text/tokens.ts";

/** An option as the answer mapper sees it: its value, label and other ways of saying it. */
export interface AnswerOption {
  value: string;
  label: string;
  synonyms?: string[];
}

/** What a typed answer meant for the question on screen. */
export type AnswerMatch =
  | { type: "match"; values: string[]; confident: boolean }
  | { type: "none" };

/** The question being answered: its options in display order, and its special values. */
export interface AnswerContext {
  mode: "single" | "multi";
  options: AnswerOption[];
  noneValue?: string;
  unsureValue?: string;
  /** Only numbers, labels and synonyms said in full: no typo guesses (warning signs). */
  exactOnly?: boolean;
}

const NUMBER_WORDS: Record<string, number> = Object.assign(Object.create(null) as object, {
  one: 1,
  two: 2,
  three: 3,
  four: 4,
  five: 5,
  six: 6,
  seven: 7,
  eight: 8,
  nine: 9,
  ten: 10,
  first: 1,
  second: 2,
  third: 3,
  fourth: 4,
  fifth: 5,
  last: -1,
}) as Record<string, number>;
const FILLER = new Set(["and", "or", "option", "number", "no", "the", "a", "&", "plus", "both"]);

function phrase(text: string): string {
  return ` ${words(text).join(" ")} `;
}

/** Builds a typed-answer mapper from the lexicon's yes/no/unsure words. */
export function createAnswerMapper(
  lexicon: Lexicon,
): (text: string, ctx: AnswerContext) => AnswerMatch {
  const yes = new Set(lexicon.yes_words.map((w) => words(w).join(" ")));
  const no = new Set(lexicon.no_words.map((w) => words(w).join(" ")));
  const unsure = lexicon.unsure_words.map((w) => words(w).join(" "));

  /** "1", "2 and 4", "the first one", "1,3", "both": the options picked by number, or undefined. */
  const byNumber = (ws: string[], ctx: AnswerContext): string[] | undefined => {
    const picked: string[] = [];
    const items = ctx.options.filter(
      (o) => o.value !== ctx.noneValue && o.value !== ctx.unsureValue,
    );
    if (ctx.mode === "multi" && items.length === 2 && ws.includes("both") && ws.length <= 3)
      return items.map((o) => o.value);
    for (const [i, w] of ws.entries()) {
      if (FILLER.has(w)) continue;
      // "the first one": "one" after an ordinal is filler.
      if (w === "one" && i > 0 && NUMBER_WORDS[ws[i - 1]!] !== undefined) continue;
      const n = /^\d{1,2}$/.test(w) ? Number(w) : NUMBER_WORDS[w];
      if (n === undefined) return undefined;
      const index = n === -1 ? ctx.options.length - 1 : n - 1;
      const option = ctx.options[index];
      if (!option) return undefined;
      picked.push(option.value);
    }
    return picked.length > 0 ? picked : undefined;
  };

  /** "none", "nah none of that", "neither", "nothing like that", "no": none of the items. */
  const saysNone = (ws: string[]): boolean => {
    const said = ws.join(" ");
    if (no.has(said)) return true;
    if (ws.length > 6) return false;
    return (
      ws.some((w) => w === "none" || w === "neither" || w === "nothing") || no.has(ws[0] ?? "")
    );
  };

  const yesNoValue = (said: string, ctx: AnswerContext): string | undefined => {
    const values = new Set(ctx.options.map((o) => o.value));
    if (!values.has("yes") || !values.has("no")) return undefined;
    const first2 = said.split(" ").slice(0, 2).join(" ");
    const first = said.split(" ")[0]!;
    if (no.has(said) || no.has(first2) || (no.has(first) && first !== "none")) return "no";
    if (yes.has(said) || yes.has(first2) || yes.has(first)) return "yes";
    return undefined;
  };

  return (text, ctx) => {
    const ws = words(text);
    if (ws.length === 0) return { type: "none" };
    const said = ws.join(" ");
    const padded = ` ${said} `;

    const picked = byNumber(ws, ctx);
    const numbers = picked ? [...new Set(picked)] : undefined;
    if (numbers && (ctx.mode === "multi" || numbers.length === 1)) {
      return { type: "match", values: numbers, confident: true };
    }
    if (ctx.unsureValue && unsure.some((u) => padded.includes(` ${u} `))) {
      return { type: "match", values: [ctx.unsureValue], confident: true };
    }
    if (ctx.mode === "single") {
      const yn = yesNoValue(said, ctx);
      if (yn) return { type: "match", values: [yn], confident: true };
    } else if (ctx.noneValue && saysNone(ws)) {
      return { type: "match", values: [ctx.noneValue], confident: true };
    }

    // Labels and synonyms said in full: the longest phrase found wins for a single choice.
    const hits: Array<{ value: string; length: number }> = [];
    for (const o of ctx.options) {
      let best = 0;
      for (const p of [o.label, ...(o.synonyms ?? [])]) {
        const pw = phrase(p);
        if (pw.trim() && padded.includes(pw)) best = Math.max(best, pw.length);
      }
      if (best > 0) hits.push({ value: o.value, length: best });
    }
    if (hits.length > 0) {
      if (ctx.mode === "multi") {
        return { type: "match", values: hits.map((h) => h.value), confident: true };
      }
      hits.sort((a, b) => b.length - a.length);
      const confident = hits.length === 1 || hits[0]!.length > hits[1]!.length;
      return { type: "match", values: [hits[0]!.value], confident };
    }

    // Typos: a word close to a distinctive word of one option's label or synonyms. Never
    // confident: the bot asks to confirm. Not for warning signs: those need their own words.
    if (ctx.exactOnly) return { type: "none" };
    const scores = ctx.options.map((o) => {
      const vocab = new Set(
        [o.label, ...(o.synonyms ?? [])].flatMap((p) => words(p)).filter((w) => w.length >= 4),
      );
      let score = 0;
      for (const w of ws) {
        if (w.length < 4) continue;
        for (const v of vocab) {
          const allowance = Math.max(typoAllowance(w), typoAllowance(v));
          if (editDistance(w, v, allowance) <= allowance) {
            score++;
            break;
          }
        }
      }
      return { value: o.value, score };
    });
    const top = Math.max(...scores.map((s) => s.score));
    if (top === 0) return { type: "none" };
    const best = scores.filter((s) => s.score === top);
    if (ctx.mode === "multi")
      return { type: "match", values: best.map((b) => b.value), confident: false };
    if (best.length !== 1) return { type: "none" };
    return { type: "match", values: [best[0]!.value], confident: false };
  };
}

/** A choice the bot showed, picked by typing: its label, part of it, its number, yes or no. */
export function createChoicePicker(
  lexicon: Lexicon,
): (text: string, options: Array<{ value: string; label: string }>) => string | undefined {
  const yes = new Set(lexicon.yes_words.map((w) => words(w).join(" ")));
  const no = new Set(lexicon.no_words.map((w) => words(w).join(" ")));
  const isNo = (label: string) => no.has(words(label).join(" ")) || no.has(words(label)[0] ?? "");
  const isYes = (label: string) => yes.has(words(label)[0] ?? "");
  return (text, options) => {
    const ws = words(text).filter((w) => w !== "please" && w !== "thanks" && w !== "thank");
    if (ws.length === 0 || ws.length > 6) return undefined;
    const said = ws.join(" ");
    const number = /^\d$/.test(said) ? Number(said) : undefined;
    if (number !== undefined) return options[number - 1]?.value;
    const exact = options.filter((o) => words(o.label).join(" ") === said);
    if (exact.length === 1) return exact[0]!.value;
    // Part of exactly one label: "a week" for "In a week", "snooze" for "Snooze 2 days".
    const part = options.filter((o) => ` ${words(o.label).join(" ")} `.includes(` ${said} `));
    if (part.length === 1 && ws.some((w) => !FILLER.has(w))) return part[0]!.value;
    const first = ws[0] ?? "";
    if (no.has(said) || no.has(first)) {
      const noOption = options.filter((o) => isNo(o.label));
      return noOption.length === 1 ? noOption[0]!.value : undefined;
    }
    if (yes.has(said) || yes.has(first)) {
      const yesOption = options.filter((o) => isYes(o.label));
      if (yesOption.length === 1) return yesOption[0]!.value;
      // "yes please" to "in 3 days / in a week / no thanks": the first offered choice.
      const offered = options.filter((o) => !isNo(o.label));
      return offered.length > 0 && offered.length < options.length ? offered[0]!.value : undefined;
    }
    return undefined;
  };
}
