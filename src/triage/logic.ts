import type { Expr, Question, TriageFlow } from "../knowledge/triage-schema.ts";
import type { Findings } from "./extract.ts";

/** The condition an outcome names when red flags decide it (its wording is in triage.yaml). */
export const RED_FLAG_CONDITION = "red_flag";

/** The value recorded when a runner answers "not sure": it never satisfies a rule. */
export const NOT_SURE = "not_sure";

type Tri = "true" | "false" | "unknown";

/** Three-valued evaluation: "unknown" while a finding the answer depends on is unanswered. */
export function evaluate(expr: Expr, findings: Findings): Tri {
  if ("always" in expr) return "true";
  if ("finding" in expr) {
    const v = findings[expr.finding];
    if (v === undefined) return "unknown";
    return ("is" in expr ? v === expr.is : expr.in.includes(v)) ? "true" : "false";
  }
  if ("all" in expr) {
    let unknown = false;
    for (const e of expr.all) {
      const r = evaluate(e, findings);
      if (r === "false") return "false";
      if (r === "unknown") unknown = true;
    }
    return unknown ? "unknown" : "true";
  }
  let unknown = false;
  for (const e of expr.any) {
    const r = evaluate(e, findings);
    if (r === "true") return "true";
    if (r === "unknown") unknown = true;
  }
  return unknown ? "unknown" : "false";
}

/** The first unanswered finding that could settle an undecided expression, left to right. */
function firstOpenFinding(expr: Expr, findings: Findings): string | undefined {
  if ("always" in expr) return undefined;
  if ("finding" in expr) return findings[expr.finding] === undefined ? expr.finding : undefined;
  const children = "all" in expr ? expr.all : expr.any;
  for (const e of children) {
    if (evaluate(e, findings) === "unknown") return firstOpenFinding(e, findings);
  }
  return undefined;
}

/** Every finding an expression reads. */
export function findingsOf(expr: Expr): string[] {
  if ("always" in expr) return [];
  if ("finding" in expr) return [expr.finding];
  return ("all" in expr ? expr.all : expr.any).flatMap(findingsOf);
}

/** Where a runner is: the level and condition so far, or what to ask next. */
export type Progress =
  | { type: "ask"; question: Question; findings: string[] }
  | { type: "done"; level: string; condition: string; redFlags: string[]; raisedBy?: string };

/** Rank of a level: 0 is the most urgent. */
export function levelRank(flow: TriageFlow, level: string): number {
  const i = flow.levels.findIndex((l) => l.id === level);
  return i < 0 ? flow.levels.length : i;
}

function moreUrgent(flow: TriageFlow, a: string, b: string): string {
  return levelRank(flow, a) <= levelRank(flow, b) ? a : b;
}

/** The question that sets a finding. */
export function questionFor(flow: TriageFlow, finding: string): Question | undefined {
  return flow.questions.find((q) => questionFindings(flow, q).includes(finding));
}

/** The findings a question sets. */
export function questionFindings(flow: TriageFlow, q: Question): string[] {
  if (q.type === "red_flags") return flow.red_flags.map((r) => r.finding);
  if (q.type === "single") return [q.sets];
  return q.items.map((i) => i.finding);
}

/**
 * Decides the next step from the findings so far, following the policy: red flags first;
 * then the rules in order (the first match names the condition); then the raises. Only
 * questions whose answers can still change the outcome are asked.
 */
export function progress(flow: TriageFlow, findings: Findings): Progress {
  const redFlags = flow.red_flags.filter((r) => findings[r.finding] === "yes");
  let flagLevel: string | undefined;
  for (const r of redFlags) flagLevel = flagLevel ? moreUrgent(flow, flagLevel, r.level) : r.level;

  // Red flags first. Once one is known, only the more urgent ones are still worth asking.
  const screenQuestion = flow.questions.find((q) => q.type === "red_flags");
  const openFlags = flow.red_flags
    .filter((r) => findings[r.finding] === undefined)
    .filter((r) => !flagLevel || levelRank(flow, r.level) < levelRank(flow, flagLevel))
    .map((r) => r.finding);
  if (screenQuestion && openFlags.length > 0) {
    return { type: "ask", question: screenQuestion, findings: openFlags };
  }
  if (flagLevel && levelRank(flow, flagLevel) <= mostUrgentRuleRank(flow)) {
    // No rule can be more urgent than the red flag: asking more would not change the level.
    return done(flagLevel, RED_FLAG_CONDITION, redFlags);
  }

  for (const rule of flow.rules) {
    const r = evaluate(rule.when, findings);
    if (r === "false") continue;
    if (r === "unknown") return ask(flow, firstOpenFinding(rule.when, findings)!, findings);
    let level = flagLevel ? moreUrgent(flow, flagLevel, rule.level) : rule.level;
    let raisedBy: string | undefined;
    for (const raise of flow.raises) {
      if (raise.from !== level) continue;
      const rr = evaluate(raise.when, findings);
      if (rr === "unknown") return ask(flow, firstOpenFinding(raise.when, findings)!, findings);
      if (rr === "true") {
        level = raise.to;
        raisedBy = raise.reason;
      }
    }
    return done(level, rule.condition, redFlags, raisedBy);
  }
  // The lint check guarantees a final catch-all rule; this keeps the engine safe without one.
  return done(flagLevel ?? flow.levels[0]!.id, "unclear", redFlags);
}

function mostUrgentRuleRank(flow: TriageFlow): number {
  let best = flow.levels.length;
  for (const r of flow.rules) best = Math.min(best, levelRank(flow, r.level));
  for (const r of flow.raises) best = Math.min(best, levelRank(flow, r.to));
  return best;
}

function ask(flow: TriageFlow, finding: string, findings: Findings): Progress {
  const question = questionFor(flow, finding);
  if (!question) {
    // Unaskable finding (lint reports it): treat it as not sure so the flow can go on.
    return progress(flow, { ...findings, [finding]: NOT_SURE });
  }
  return {
    type: "ask",
    question,
    findings: questionFindings(flow, question).filter((f) => findings[f] === undefined),
  };
}

function done(
  level: string,
  condition: string,
  redFlags: TriageFlow["red_flags"],
  raisedBy?: string,
): Progress {
  return {
    type: "done",
    level,
    condition,
    redFlags: redFlags.map((r) => r.finding),
    ...(raisedBy ? { raisedBy } : {}),
  };
}
