import type { FaqEntry } from "../knowledge/faq-schema.ts";
import { truncate } from "../text/cut.ts";
import type { Reply } from "../types.ts";
import type { TurnScope } from "./context.ts";
import { encodeSet } from "./ids.ts";
import { disclaimerBlock } from "./text.ts";

/** Longest label on a choice: fits Discord (80) and Slack (75) buttons. */
export const MAX_LABEL_CHARS = 75;
/** Values of the feedback options attached to every answer. */
export const HELPFUL = "helpful";
export const UNHELPFUL = "unhelpful";

/**
 * An FAQ answer, with related questions and "was this helpful?" as choices. (A second question
 * in the same message is offered in a reply of its own: see answerQuestion in dispatch.ts.)
 */
export function answerReply(scope: TurnScope, entry: FaqEntry, personal: boolean): Reply {
  const k = scope.ctx.knowledge;
  const related = [...new Set(entry.related)]
    .map((id) => k.faq.find((e) => e.id === id))
    .filter((e): e is FaqEntry => e !== undefined)
    .slice(0, 3);
  let text = entry.answer;
  if (entry.symptoms) text += `\n\n${disclaimerBlock(k)}`;
  text += `\n\n${k.wording.feedback_question}`;
  return {
    kind: "answer",
    text,
    visibility: personal ? "private" : "public",
    personal,
    choices: {
      mode: "single",
      id: encodeSet({ type: "answer", faqId: entry.id }),
      options: [
        { value: HELPFUL, label: k.wording.feedback_yes },
        { value: UNHELPFUL, label: k.wording.feedback_no },
        ...related.map((e) => ({ value: e.id, label: truncate(e.question, MAX_LABEL_CHARS) })),
      ],
    },
    meta: { faqId: entry.id },
  };
}

/** "Did you mean…" with two or three close entries and "none of these". */
export function didYouMeanReply(
  scope: TurnScope,
  ids: string[],
  personal: boolean,
  score: number,
  text = scope.ctx.knowledge.wording.did_you_mean,
): Reply {
  const k = scope.ctx.knowledge;
  const entries = ids
    .map((id) => k.faq.find((e) => e.id === id))
    .filter((e): e is FaqEntry => e !== undefined)
    .slice(0, 3);
  return {
    kind: "did-you-mean",
    text,
    visibility: personal ? "private" : "public",
    personal,
    choices: {
      mode: "single",
      id: encodeSet({ type: "suggest" }),
      options: [
        ...entries.map((e) => ({ value: e.id, label: truncate(e.question, MAX_LABEL_CHARS) })),
        { value: "none", label: k.wording.none_of_these },
      ],
    },
    meta: { alternatives: entries.map((e) => e.id), score },
  };
}

/** The honest "I don't know that one", with what the bot can do instead. */
export function unknownReply(scope: TurnScope, outOfScope: boolean, personal: boolean): Reply {
  const w = scope.ctx.knowledge.wording;
  return {
    kind: "unknown",
    text: outOfScope ? w.out_of_scope : w.unknown,
    visibility: personal ? "private" : "public",
    personal,
    choices: menuChoices(scope),
  };
}

/** The main menu: check my knee, help. */
export function menuChoices(scope: TurnScope): Reply["choices"] {
  const w = scope.ctx.knowledge.wording;
  return {
    mode: "single",
    id: encodeSet({ type: "menu" }),
    options: [
      { value: "triage", label: w.offer_triage_yes },
      { value: "help", label: "Help" },
      { value: "privacy", label: "Privacy" },
    ],
  };
}
