import type { Knowledge } from "../knowledge/load.ts";
import type { Question, TriageFlow } from "../knowledge/triage-schema.ts";
import { SESSION_VERSION } from "../store/session-codec.ts";
import type { Session, TriageState } from "../store/types.ts";
import { truncate } from "../text/cut.ts";
import type { Findings } from "../triage/extract.ts";
import {
  fittingChoices,
  flagsRaised,
  levelRank,
  NOT_SURE,
  type Progress,
  progress,
  questionFindings,
  RED_FLAG_CONDITION,
} from "../triage/logic.ts";
import type { ChoiceOption, ChoiceSet, Reply } from "../types.ts";
import type { AnswerContext } from "./answers.ts";
import type { TurnScope } from "./context.ts";
import { encodeSet, newNonce } from "./ids.ts";
import { disclaimerBlock, fill } from "./text.ts";

/** The value of "none of these" in a checklist. */
export const NONE = "none";
/** The value of "not sure" in a checklist. */
export const UNSURE = "unsure";

/** Red-flag findings set in `found` that say "yes". */
export function redFlagsIn(flow: TriageFlow, found: Findings): string[] {
  return flagsRaised(flow, found).map((r) => r.finding);
}

/**
 * The urgent advice for the warning signs among `found`: the most urgent level they raise, its
 * text ("please read this first", the level, its advice) and the flags. Undefined when none.
 */
export function urgentAdvice(
  k: Pick<Knowledge, "triage" | "wording">,
  found: Findings,
  ignore: ReadonlySet<string> = new Set(),
): { text: string; level: string; redFlags: string[] } | undefined {
  const raised = flagsRaised(k.triage, found).filter((r) => !ignore.has(r.finding));
  const level = k.triage.levels.find((l) => raised.some((r) => r.level === l.id));
  if (!level) return undefined;
  return {
    text: `${k.wording.urgent_intro}\n**${level.title}**\n${level.advice}`,
    level: level.id,
    redFlags: raised.map((r) => r.finding),
  };
}

/** Starts a fresh triage, keeping findings already known from the runner's words. */
export async function startTriage(
  scope: TurnScope,
  prefilled: Findings,
  intro: boolean,
): Promise<Reply[]> {
  const { ctx, session } = scope;
  const flow = ctx.knowledge.triage;
  session.nonce = newNonce(ctx.random);
  session.offer = undefined;
  session.confirm = undefined;
  session.triage = {
    version: flow.version,
    findings: { ...prefilled },
    unsureFlags: [],
    plainAsked: false,
    asked: 0,
  };
  const replies: Reply[] = [];
  if (intro) {
    let text = ctx.knowledge.wording.triage_intro;
    const facts = describeFindings(flow, prefilled);
    if (facts) text += `\n${fill(ctx.knowledge.wording.triage_prefilled, { facts })}`;
    replies.push({ kind: "info", text, visibility: "private", personal: true });
  }
  replies.push(...advance(scope));
  return replies;
}

/**
 * Pre-filled findings as the runner might have put them, e.g. "it hurts on the outer side and
 * you're 45 or over", in question order. Each finding's `noted` wording says it.
 */
export function describeFindings(flow: TriageFlow, found: Findings): string {
  const parts: string[] = [];
  const seen = new Set<string>();
  for (const q of flow.questions) {
    if (q.type === "red_flags") continue;
    if (q.type === "pick") {
      // "you're 45 to 54" rather than three findings, when what was said fits one choice.
      const fits = fittingChoices(q, found);
      const known = questionFindings(flow, q).filter((f) => found[f] !== undefined);
      if (known.length > 0 && fits.length === 1) {
        parts.push(fits[0]!.noted);
        for (const f of known) seen.add(f);
        continue;
      }
    }
    for (const f of questionFindings(flow, q)) {
      const v = found[f];
      if (seen.has(f) || v === undefined) continue;
      seen.add(f);
      const text = flow.noted[f]?.[v];
      if (text) parts.push(text);
    }
  }
  if (parts.length <= 1) return parts.join("");
  return `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Asks the next question, or gives the outcome when the policy has enough to decide. */
export function advance(scope: TurnScope): Reply[] {
  const { ctx, session } = scope;
  const state = session.triage;
  if (!state) return [];
  const step = progress(ctx.knowledge.triage, state.findings);
  if (step.type === "ask") return [askQuestion(scope, state, step)];
  return [outcomeReply(scope, state, step)];
}

/** The options shown for a question, in display order (numbers in the terminal follow it). */
export function optionsFor(
  scope: TurnScope,
  question: Question,
  open: string[],
  plain: boolean,
): { set: Omit<ChoiceSet, "id">; answer: AnswerContext } {
  const w = scope.ctx.knowledge.wording;
  const flow = scope.ctx.knowledge.triage;
  if (question.type === "single" || question.type === "pick") {
    const choices =
      question.type === "pick"
        ? fittingChoices(question, scope.session.triage?.findings ?? {})
        : question.choices;
    const options = [
      ...choices.map((c) => ({ value: c.value, label: c.label, synonyms: c.synonyms })),
      { value: NOT_SURE, label: w.not_sure_label, synonyms: [] },
    ];
    return {
      set: { mode: "single", options: options.map(({ value, label }) => ({ value, label })) },
      answer: { mode: "single", options, unsureValue: NOT_SURE },
    };
  }
  const items =
    question.type === "red_flags"
      ? flow.red_flags
          .filter((r) => open.includes(r.finding))
          .map((r) => ({
            value: r.finding,
            label: plain ? r.plain : r.label,
            synonyms: [] as string[],
          }))
      : question.items
          .filter((i) => open.includes(i.finding))
          .map((i) => ({ value: i.finding, label: i.label, synonyms: i.synonyms }));
  const options = [
    ...items,
    { value: NONE, label: question.none_label, synonyms: [] },
    { value: UNSURE, label: question.unsure_label, synonyms: [] },
  ];
  return {
    set: {
      mode: "multi",
      options: options.map(({ value, label }): ChoiceOption => ({ value, label })),
      noneValue: NONE,
      submitLabel: "Done",
    },
    answer: { mode: "multi", options, noneValue: NONE, unsureValue: UNSURE },
  };
}

function askQuestion(
  scope: TurnScope,
  state: TriageState,
  step: Extract<Progress, { type: "ask" }>,
): Reply {
  const { session } = scope;
  const flow = scope.ctx.knowledge.triage;
  const q = step.question;
  state.questionId = q.id;
  state.open = step.findings;
  state.asked++;
  const plain = q.type === "red_flags" && state.plainAsked;
  const { set } = optionsFor(scope, q, step.findings, plain);
  let text = q.text;
  if (q.type === "red_flags") {
    // Flags that apply only to some runners come after the screen, with their own intro.
    const later = step.findings.every(
      (f) => flow.red_flags.find((r) => r.finding === f)?.applies_when !== undefined,
    );
    text = later ? q.later_text : plain ? q.plain_text : q.text;
    // Asked again (plainer words, or a flag that applies once the age is known): new ids, so
    // a click on the earlier copy of the screen is expired rather than read as this answer.
    if (later || plain) session.nonce = newNonce(scope.ctx.random);
  }
  const id = encodeSet({
    type: "question",
    nonce: session.nonce,
    questionId: q.id,
    version: state.version,
  });
  return {
    kind: "question",
    text,
    visibility: "private",
    personal: true,
    choices: { ...set, id },
    meta: { questionId: q.id },
  };
}

/**
 * Records the runner's answer to the current question. Returns false when the values don't
 * fit the question (the caller then says it didn't understand).
 */
export function applyAnswer(scope: TurnScope, values: string[]): boolean {
  const { ctx, session } = scope;
  const state = session.triage;
  const flow = ctx.knowledge.triage;
  const q = flow.questions.find((x) => x.id === state?.questionId);
  if (!state || !q) return false;
  const open = state.open ?? [];
  if (q.type === "single") {
    const allowed = new Set([...q.choices.map((c) => c.value), NOT_SURE]);
    const v = values[0];
    if (values.length !== 1 || v === undefined || !allowed.has(v)) return false;
    state.findings[q.sets] = v;
    return true;
  }
  if (q.type === "pick") {
    const v = values[0];
    if (values.length !== 1 || v === undefined) return false;
    if (v === NOT_SURE) {
      for (const f of open) state.findings[f] ??= NOT_SURE;
      return true;
    }
    const choice = q.choices.find((c) => c.value === v);
    if (!choice) return false;
    Object.assign(state.findings, choice.sets);
    return true;
  }
  const ticked = values.filter((v) => open.includes(v));
  const unsure = values.includes(UNSURE);
  const none = values.includes(NONE) || values.length === 0;
  if (ticked.length === 0 && !unsure && !none) return false;
  for (const f of ticked) state.findings[f] = "yes";
  const rest = open.filter((f) => !ticked.includes(f));
  if (q.type === "red_flags") {
    if (unsure && !state.plainAsked) {
      // Policy: ask once more in plainer words before treating an unsure flag as "no".
      state.plainAsked = true;
      return true;
    }
    for (const f of rest) state.findings[f] = "no";
    if (unsure) state.unsureFlags.push(...rest);
    return true;
  }
  for (const f of rest) state.findings[f] = unsure ? NOT_SURE : "no";
  return true;
}

function outcomeReply(
  scope: TurnScope,
  state: TriageState,
  step: Extract<Progress, { type: "done" }>,
): Reply {
  const { ctx, session } = scope;
  const k = ctx.knowledge;
  const flow = k.triage;
  const w = k.wording;
  const level = flow.levels.find((l) => l.id === step.level) ?? flow.levels[0]!;
  const condition = flow.conditions[step.condition];
  const urgent = levelRank(flow, level.id) < levelRank(flow, "consultation");
  const flags = flow.red_flags.filter((r) => step.redFlags.includes(r.finding));
  const setsLevel = flow.rules.some((r) => r.condition === step.condition && r.level === level.id);
  const advice = condition?.advice && setsLevel ? condition.advice : level.advice;
  const parts: string[] = [];
  if (urgent) parts.push(w.urgent_intro);
  parts.push(`${fill(w.outcome_heading, { title: level.title })}\n${advice}`);
  if (step.raisedBy) parts.push(step.raisedBy);
  if (condition && step.condition === RED_FLAG_CONDITION && flags.length > 0) {
    // Say which sign, why it matters, and what to do about that sign in particular.
    const name = `${condition.name}: ${flags.map((r) => r.sign).join("; ")}`;
    const explain = [...flags.map((r) => r.why), condition.explain].join(" ");
    parts.push(fill(w.outcome_condition, { name, explain }));
    const plan = [...new Set(flags.flatMap((r) => r.plan ?? condition.plan))];
    parts.push(`${w.outcome_plan_heading}\n${plan.map((p) => `- ${p}`).join("\n")}`);
  } else {
    if (flags.length > 0)
      parts.push(`You told me:\n${flags.map((r) => `- ${r.label}`).join("\n")}`);
    if (condition) {
      parts.push(fill(w.outcome_condition, { name: condition.name, explain: condition.explain }));
      const plan = [...condition.plan, ...flags.flatMap((r) => r.plan ?? [])];
      parts.push(
        `${w.outcome_plan_heading}\n${[...new Set(plan)].map((p) => `- ${p}`).join("\n")}`,
      );
    }
  }
  const warnings = [
    ...flow.red_flags.filter((r) => state.unsureFlags.includes(r.finding)).map((r) => r.warning),
    ...Object.entries(flow.unsure_warnings)
      .filter(([id]) => state.findings[id] === NOT_SURE)
      .map(([, text]) => text),
  ];
  if (warnings.length > 0)
    parts.push(`${w.outcome_unsure_warnings}\n${warnings.map((x) => `- ${x}`).join("\n")}`);
  parts.push(disclaimerBlock(k));
  const flagLinks = step.condition === RED_FLAG_CONDITION ? flags.flatMap((r) => r.faq) : [];
  const links = [...new Set([...flagLinks, ...(condition?.faq ?? [])])]
    .map((id) => k.faq.find((e) => e.id === id))
    .filter((e) => e !== undefined);
  const findings = { ...state.findings };
  const asked = state.asked;
  session.triage = undefined;
  return {
    kind: "outcome",
    text: parts.join("\n\n"),
    visibility: "private",
    personal: true,
    ...(links.length > 0
      ? {
          choices: {
            mode: "single" as const,
            id: encodeSet({ type: "links" }),
            options: links.map((e) => ({ value: e.id, label: truncate(e.question, 80) })),
          },
        }
      : {}),
    meta: {
      level: level.id,
      condition: step.condition,
      findings,
      redFlags: step.redFlags,
      questionsAsked: asked,
    },
  };
}

/** Starts a new session object. */
export function newSession(now: number, random: () => number): Session {
  return { v: SESSION_VERSION, nonce: newNonce(random), greeted: false, updatedAt: now };
}
