/** Drives one triage vignette through the engine like a runner clicking the choices. */

import { NONE } from "../src/engine/triage.ts";
import type { KneebotEngine } from "../src/engine.ts";
import type { Knowledge } from "../src/knowledge/load.ts";
import { NOT_SURE } from "../src/triage/logic.ts";
import type { Reply } from "../src/types.ts";

/** One evaluation case: findings to answer from, and an optional opening message. */
export interface Vignette {
  id: string;
  findings: Record<string, string>;
  text?: string;
}

/** What a vignette ended with. */
export interface VignetteResult {
  level: string | null;
  condition: string | null;
  questions: number;
  transcript: Reply[][];
}

const MAX_STEPS = 30;

/** Answers every question from the vignette's findings until an outcome (or gives up). */
export async function runVignette(
  engine: KneebotEngine,
  knowledge: Knowledge,
  v: Vignette,
  userId: string,
): Promise<VignetteResult> {
  const base = { platform: "eval", userId, place: { kind: "dm" as const } };
  const transcript: Reply[][] = [];
  let replies = v.text
    ? await engine.handle({ ...base, type: "text", text: v.text })
    : await engine.handle({ ...base, type: "command", command: "triage" });
  transcript.push(replies);
  // An opening message may get an offer to start triage: accept it.
  const offer = replies.find((r) => r.choices?.id.startsWith("o."));
  if (offer?.choices) {
    replies = await engine.handle({
      ...base,
      type: "choice",
      setId: offer.choices.id,
      values: ["yes"],
    });
    transcript.push(replies);
  } else if (v.text && !replies.some((r) => r.kind === "question" || r.kind === "outcome")) {
    replies = await engine.handle({ ...base, type: "command", command: "triage" });
    transcript.push(replies);
  }
  let questions = 0;
  for (let step = 0; step < MAX_STEPS; step++) {
    const outcome = replies.find((r) => r.kind === "outcome");
    if (outcome) {
      return {
        level: outcome.meta?.level ?? null,
        condition: outcome.meta?.condition ?? null,
        questions,
        transcript,
      };
    }
    const q = replies.find((r) => r.kind === "question");
    if (!q?.choices) break;
    questions++;
    const values = answerFor(knowledge, q, v.findings);
    replies = await engine.handle({ ...base, type: "choice", setId: q.choices.id, values });
    transcript.push(replies);
  }
  return { level: null, condition: null, questions, transcript };
}

/** The choice a runner with these findings would make for a question. */
export function answerFor(
  knowledge: Knowledge,
  q: Reply,
  findings: Record<string, string>,
): string[] {
  const set = q.choices!;
  if (set.mode === "multi") {
    const ticked = set.options.map((o) => o.value).filter((value) => findings[value] === "yes");
    return ticked.length > 0 ? ticked : [set.noneValue ?? NONE];
  }
  const question = knowledge.triage.questions.find((x) => x.id === q.meta?.questionId);
  if (question?.type === "pick") {
    // The band that agrees with every finding given; where that leaves a choice, the one
    // that says "no" to the most findings not given (an unstated yes/no finding is a "no").
    const shown = new Set(set.options.map((o) => o.value));
    const fits = question.choices
      .filter((c) => shown.has(c.value))
      .filter((c) => Object.entries(c.sets).every(([f, v]) => (findings[f] ?? v) === v));
    const noes = (c: (typeof fits)[number]) =>
      Object.entries(c.sets).filter(([f, v]) => findings[f] === undefined && v === "no").length;
    const best = fits.sort((a, b) => noes(b) - noes(a))[0];
    return [best ? best.value : NOT_SURE];
  }
  if (question?.type !== "single") return [NOT_SURE];
  const given = findings[question.sets];
  if (given !== undefined && set.options.some((o) => o.value === given)) return [given];
  const isYesNo =
    set.options.some((o) => o.value === "no") && set.options.some((o) => o.value === "yes");
  return [isYesNo ? "no" : NOT_SURE];
}
