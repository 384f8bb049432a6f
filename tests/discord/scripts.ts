/** Hand-built replies for adapter tests (the real engine is used for the end-to-end triage). */
import type { Reply, Turn } from "../../src/types.ts";

/** The red-flag checklist that starts a (scripted) triage. */
export const CHECKLIST: Reply = {
  kind: "question",
  text: "Before anything else: do any of these apply to you?",
  visibility: "private",
  personal: true,
  choices: {
    mode: "multi",
    id: "s1:redflags:v1",
    options: [
      { value: "swollen", label: "Hot, swollen knee" },
      { value: "locked", label: "The knee locks or gives way" },
      { value: "none", label: "None of these" },
    ],
    noneValue: "none",
    submitLabel: "Tick all that apply",
  },
};

/** A single-choice question. */
export const WHERE: Reply = {
  kind: "question",
  text: "Where is the pain?",
  visibility: "private",
  personal: true,
  choices: {
    mode: "single",
    id: "s1:where:v1",
    options: [
      { value: "front", label: "Front, around the kneecap" },
      { value: "outside", label: "Outside" },
      { value: "inside", label: "Inside" },
    ],
  },
};

/** The outcome. */
export const OUTCOME: Reply = {
  kind: "outcome",
  text: "This sounds like **runner's knee**. Ease off hills for two weeks.",
  visibility: "private",
  personal: true,
  meta: { level: "self-care" },
};

/** A public FAQ answer. */
export const ANSWER: Reply = {
  kind: "answer",
  text: "Clicking without pain is usually harmless.",
  visibility: "public",
};

/** The engine's reply to an unknown or stale set id. */
export const EXPIRED: Reply = {
  kind: "expired",
  text: "This question has expired. Start again with /knee.",
  visibility: "private",
};

/** A scripted triage: checklist → where → outcome; unknown set ids expire. */
export function triageScript(turn: Turn): Reply[] {
  if (turn.type === "command" && (turn.command === "triage" || turn.command === "start")) {
    return [CHECKLIST];
  }
  if (turn.type === "command" && turn.command === "ask") return [ANSWER];
  if (turn.type === "text") return [ANSWER];
  if (turn.type === "choice" && turn.setId === "s1:redflags:v1") return [WHERE];
  if (turn.type === "choice" && turn.setId === "s1:where:v1") return [OUTCOME];
  if (turn.type === "choice") return [EXPIRED];
  return [{ kind: "info", text: "kneebot helps with knee pain.", visibility: "private" }];
}
