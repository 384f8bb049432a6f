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

/** The findings a question sets (worked out once per flow and question: every turn asks). */
export function questionFindings(flow: TriageFlow, q: Question): readonly string[] {
  let byQuestion = findingsCache.get(flow);
  if (!byQuestion) {
    byQuestion = new WeakMap();
    findingsCache.set(flow, byQuestion);
  }
  let found = byQuestion.get(q);
  if (!found) {
    found = Object.freeze(setBy(flow, q));
    byQuestion.set(q, found);
  }
  return found;
}
const findingsCache = new WeakMap<TriageFlow, WeakMap<Question, readonly string[]>>();

function setBy(flow: TriageFlow, q: Question): string[] {
  if (q.type === "red_flags") return flow.red_flags.map((r) => r.finding);
  if (q.type === "single") return [q.sets];
  if (q.type === "pick") return [...new Set(q.choices.flatMap((c) => Object.keys(c.sets)))];
  return q.items.map((i) => i.finding);
}

type PickQuestion = Extract<Question, { type: "pick" }>;

/** The choices of a pick question that agree with what is already known. */
export function fittingChoices(q: PickQuestion, findings: Findings): PickQuestion["choices"] {
  return q.choices.filter((c) =>
    Object.entries(c.sets).every(([f, v]) => {
      const known = findings[f];
      return known === undefined || known === NOT_SURE || known === v;
    }),
  );
}

/**
 * Findings that follow from others through a pick question: when every choice that fits what
 * is known agrees on a finding ("52" fits only 45–54 and 55+, both under 16 = no), it is known.
 */
export function withImplied(flow: TriageFlow, given: Findings): Findings {
  let out = given;
  for (const q of flow.questions) {
    if (q.type !== "pick") continue;
    const fits = fittingChoices(q, given);
    if (fits.length === 0) continue;
    for (const f of questionFindings(flow, q)) {
      if (out[f] !== undefined) continue;
      const values = new Set(fits.map((c) => c.sets[f]));
      const [only] = values;
      if (values.size === 1 && only !== undefined) {
        if (out === given) out = { ...given };
        out[f] = only;
      }
    }
  }
  return out;
}

/** The unanswered findings in the undecided parts of an expression. */
function openFindings(expr: Expr, findings: Findings): string[] {
  if (evaluate(expr, findings) !== "unknown") return [];
  if ("finding" in expr) return [expr.finding];
  if ("always" in expr) return [];
  return ("all" in expr ? expr.all : expr.any).flatMap((e) => openFindings(e, findings));
}

type RedFlag = TriageFlow["red_flags"][number];

function applies(flag: RedFlag, findings: Findings): "true" | "false" | "unknown" {
  return flag.applies_when ? evaluate(flag.applies_when, findings) : "true";
}

/** The red flags that are "yes" and known to apply to this runner. */
export function flagsRaised(flow: TriageFlow, given: Findings): RedFlag[] {
  const findings = withImplied(flow, given);
  return flow.red_flags.filter(
    (r) => findings[r.finding] === "yes" && applies(r, findings) === "true",
  );
}

/**
 * Findings whose answers can still change the outcome: those in the undecided parts of the
 * rules that can still be the first match, of the raises those rules' levels allow, and of
 * the conditions that say whether a red flag applies. A checklist shows only these.
 */
export function relevantFindings(flow: TriageFlow, findings: Findings): Set<string> {
  const out = new Set<string>();
  const levels = new Set<string>();
  for (const rule of flow.rules) {
    const r = evaluate(rule.when, findings);
    if (r === "false") continue;
    levels.add(rule.level);
    for (const f of openFindings(rule.when, findings)) out.add(f);
    if (r === "true") break;
  }
  for (const raise of flow.raises)
    if (levels.has(raise.from)) for (const f of openFindings(raise.when, findings)) out.add(f);
  for (const flag of flow.red_flags)
    if (flag.applies_when && findings[flag.finding] === undefined)
      for (const f of openFindings(flag.applies_when, findings)) out.add(f);
  return out;
}

/**
 * Decides the next step from the findings so far, following the policy: red flags first
 * (a flag that applies only to some runners once it is known to apply); then the rules in
 * order (the first match names the condition); then the raises. Only questions whose answers
 * can still change the outcome are asked.
 */
export function progress(flow: TriageFlow, given: Findings): Progress {
  const findings = withImplied(flow, given);
  const redFlags = flagsRaised(flow, findings);
  let flagLevel: string | undefined;
  for (const r of redFlags) flagLevel = flagLevel ? moreUrgent(flow, flagLevel, r.level) : r.level;
  const beats = (level: string, than: string | undefined) =>
    than === undefined || levelRank(flow, level) < levelRank(flow, than);

  // Red flags first. Once one is known, only the more urgent ones are still worth asking.
  const screenQuestion = flow.questions.find((q) => q.type === "red_flags");
  const openFlags = flow.red_flags
    .filter((r) => findings[r.finding] === undefined && applies(r, findings) === "true")
    .filter((r) => beats(r.level, flagLevel))
    .map((r) => r.finding);
  if (screenQuestion && openFlags.length > 0) {
    return { type: "ask", question: screenQuestion, findings: openFlags };
  }

  /** A red flag that may apply, more urgent than `level`: ask what decides whether it does. */
  const pendingFlag = (level: string | undefined): Progress | undefined => {
    for (const r of flow.red_flags) {
      const v = findings[r.finding];
      if ((v !== undefined && v !== "yes") || !r.applies_when || !beats(r.level, level)) continue;
      if (applies(r, findings) !== "unknown") continue;
      return ask(flow, firstOpenFinding(r.applies_when, findings)!, findings);
    }
    return undefined;
  };

  for (const [i, rule] of flow.rules.entries()) {
    const r = evaluate(rule.when, findings);
    if (r === "false") continue;
    if (r === "unknown") {
      if (flagLevel && !rulesCanBeat(flow, findings, i, flagLevel)) {
        // No rule left can be more urgent than the red flag: only a flag still can.
        return pendingFlag(flagLevel) ?? done(flagLevel, RED_FLAG_CONDITION, redFlags);
      }
      return ask(flow, firstOpenFinding(rule.when, findings)!, findings);
    }
    let level = rule.level;
    let raisedBy: string | undefined;
    for (const raise of flow.raises) {
      if (raise.from !== level || !beats(raise.to, flagLevel)) continue;
      const rr = evaluate(raise.when, findings);
      if (rr === "unknown") return ask(flow, firstOpenFinding(raise.when, findings)!, findings);
      if (rr === "true") {
        level = raise.to;
        raisedBy = raise.reason;
      }
    }
    if (flagLevel && !beats(level, flagLevel)) {
      return pendingFlag(flagLevel) ?? done(flagLevel, RED_FLAG_CONDITION, redFlags);
    }
    return pendingFlag(level) ?? done(level, rule.condition, redFlags, raisedBy);
  }
  // The lint check guarantees a final catch-all rule; this keeps the engine safe without one.
  return done(flagLevel ?? flow.levels[0]!.id, "unclear", redFlags);
}

/** Whether a rule from `from` on (up to the first certain match) could beat `level`. */
function rulesCanBeat(flow: TriageFlow, findings: Findings, from: number, level: string): boolean {
  const rank = levelRank(flow, level);
  for (const rule of flow.rules.slice(from)) {
    const r = evaluate(rule.when, findings);
    if (r === "false") continue;
    if (levelRank(flow, rule.level) < rank) return true;
    for (const raise of flow.raises)
      if (raise.from === rule.level && levelRank(flow, raise.to) < rank) return true;
    if (r === "true") return false;
  }
  return false;
}

function ask(flow: TriageFlow, finding: string, findings: Findings): Progress {
  const question = questionFor(flow, finding);
  if (!question) {
    // Unaskable finding (lint reports it): treat it as not sure so the flow can go on.
    return progress(flow, { ...findings, [finding]: NOT_SURE });
  }
  let open = questionFindings(flow, question).filter((f) => findings[f] === undefined);
  if (question.type === "checklist") {
    // Show only the items whose answers still matter (always the one that made us ask).
    const relevant = relevantFindings(flow, findings);
    open = open.filter((f) => f === finding || relevant.has(f));
  }
  return { type: "ask", question, findings: open };
}

function done(level: string, condition: string, redFlags: RedFlag[], raisedBy?: string): Progress {
  return {
    type: "done",
    level,
    condition,
    redFlags: redFlags.map((r) => r.finding),
    ...(raisedBy ? { raisedBy } : {}),
  };
}
