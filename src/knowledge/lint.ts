import { createMatcher } from "../matcher.ts";
import { words } from "../text/tokens.ts";
import type { Findings } from "../triage/extract.ts";
import {
  type findingsOf,
  NOT_SURE,
  progress,
  questionFindings,
  RED_FLAG_CONDITION,
} from "../triage/logic.ts";
import type { Knowledge, KnowledgeProblem } from "./load.ts";
import type { Question } from "./triage-schema.ts";

/** Longest question id: it travels inside every button id. */
const MAX_QUESTION_ID = 20;
/** Longest choice label that fits every platform's buttons. */
const MAX_LABEL = 75;
/** Bound on the states explored when looking for unreachable questions. */
const MAX_STATES = 200_000;

/**
 * Cross-reference checks over loaded knowledge: links exist, rules only use findings that a
 * question sets, every condition and level has wording, every question can be reached, no
 * alternate phrasing belongs to two entries, and every phrasing reaches its own entry.
 */
export function lintKnowledge(k: Knowledge): KnowledgeProblem[] {
  const problems: KnowledgeProblem[] = [];
  const add = (file: string, field: string, message: string) =>
    problems.push({ file, field, message });
  lintFaq(k, add);
  lintTriage(k, add);
  return problems;
}

type Add = (file: string, field: string, message: string) => void;

function lintFaq(k: Knowledge, add: Add): void {
  const ids = new Set(k.faq.map((e) => e.id));
  const seen = new Map<string, string>();
  for (const e of k.faq) {
    e.related.forEach((r, i) => {
      if (!ids.has(r)) add(e.file, `related.${i}`, `"${r}" is not an FAQ id`);
      if (r === e.id) add(e.file, `related.${i}`, "an entry can't be related to itself");
    });
    [e.question, ...e.alternates].forEach((p, i) => {
      const key = words(p).join(" ");
      const field = i === 0 ? "question" : `alternates.${i - 1}`;
      const other = seen.get(key);
      if (other && other !== e.id)
        add(
          e.file,
          field,
          `"${p}" is also a phrasing of ${other}; keep each phrasing in one entry`,
        );
      else if (other === e.id) add(e.file, field, `"${p}" is written twice in this entry`);
      seen.set(key, e.id);
    });
  }
  // Families (lexicon.yaml): each member an entry, each kind of question one the lexicon asks,
  // each entry in one family at most.
  const family = new Map<string, number>();
  k.lexicon.families.forEach((f, i) => {
    for (const [ask, id] of Object.entries(f.members)) {
      const field = `families.${i}.members.${ask}`;
      if (!ids.has(id)) add("lexicon.yaml", field, `"${id}" is not an FAQ id`);
      if (!(ask in k.lexicon.asks))
        add("lexicon.yaml", field, `"${ask}" is not a kind of question listed under asks`);
      const other = family.get(id);
      if (other !== undefined && other !== i)
        add("lexicon.yaml", field, `"${id}" is also in family ${other}; keep each entry in one`);
      family.set(id, i);
    }
  });
  for (const id of Object.keys(k.examples)) {
    if (!ids.has(id)) add("examples.yaml", `examples.${id}`, `"${id}" is not an FAQ id`);
  }
  k.lexicon.family_comparisons.forEach((id, i) => {
    if (!ids.has(id)) add("lexicon.yaml", `family_comparisons.${i}`, `"${id}" is not an FAQ id`);
  });
  // Each phrasing, asked as written, gets its entry answered or offered: a phrasing the bot
  // can't reach (a word it reads as another body part, nothing it counts as a knee question)
  // teaches it nothing.
  const matcher = createMatcher(k);
  for (const e of k.faq) {
    [e.question, ...e.alternates].forEach((p, i) => {
      const m = matcher.match(p);
      if (m.id === e.id || m.alternatives.includes(e.id)) return;
      add(
        e.file,
        i === 0 ? "question" : `alternates.${i - 1}`,
        `"${p}" doesn't reach this entry (the bot ${m.id ? `answers ${m.id}` : "doesn't answer it"}): reword it, or add its key words to keywords or knowledge/lexicon.yaml`,
      );
    });
  }
}

function lintTriage(k: Knowledge, add: Add): void {
  const flow = k.triage;
  const file = "triage.yaml";
  const faqIds = new Set(k.faq.map((e) => e.id));
  const levels = new Set(flow.levels.map((l) => l.id));
  const setBy = new Map<string, string>();

  flow.questions.forEach((q, i) => {
    if (q.id.length > MAX_QUESTION_ID)
      add(file, `questions.${i}.id`, `keep question ids to ${MAX_QUESTION_ID} characters`);
    for (const f of questionFindings(flow, q)) {
      if (setBy.has(f))
        add(file, `questions.${i}`, `finding ${f} is also set by question ${setBy.get(f)}`);
      setBy.set(f, q.id);
      if (!flow.findings[f])
        add(file, `questions.${i}`, `finding ${f} is not in the findings vocabulary`);
    }
    for (const [label, field] of labelsOf(q)) {
      if (label.length > MAX_LABEL)
        add(
          file,
          `questions.${i}.${field}`,
          `label is ${label.length} characters; keep it to ${MAX_LABEL}`,
        );
    }
    if (q.type === "single") {
      const values = flow.findings[q.sets]?.values ?? [];
      q.choices.forEach((c, j) => {
        if (!values.includes(c.value))
          add(
            file,
            `questions.${i}.choices.${j}.value`,
            `"${c.value}" is not a value of ${q.sets} (${values.join(", ")})`,
          );
      });
      for (const v of values) {
        if (!q.choices.some((c) => c.value === v))
          add(file, `questions.${i}.choices`, `no choice gives ${q.sets} = ${v}`);
      }
    }
    if (q.type === "pick") {
      const all = questionFindings(flow, q);
      q.choices.forEach((c, j) => {
        for (const f of all) {
          const v = c.sets[f];
          const values = flow.findings[f]?.values ?? [];
          if (v === undefined)
            add(file, `questions.${i}.choices.${j}.sets`, `every choice must set ${f}`);
          else if (!values.includes(v))
            add(file, `questions.${i}.choices.${j}.sets.${f}`, `${f} has no value "${v}"`);
        }
      });
    }
    if (q.type === "checklist") {
      q.items.forEach((item, j) => {
        if (!isYesNo(flow.findings[item.finding]?.values))
          add(
            file,
            `questions.${i}.items.${j}`,
            `${item.finding} must be a yes/no finding to sit in a checklist`,
          );
      });
    }
  });
  if (flow.questions[0]?.type !== "red_flags")
    add(file, "questions.0", "the red-flag screen must be the first question");
  if (flow.questions.filter((q) => q.type === "red_flags").length !== 1)
    add(file, "questions", "there must be exactly one red_flags question");

  const checkExpr = (expr: Parameters<typeof findingsOf>[0], field: string) => {
    for (const leaf of leaves(expr)) {
      const def = flow.findings[leaf.finding];
      if (!def) {
        add(file, field, `finding ${leaf.finding} is not in the findings vocabulary`);
        continue;
      }
      if (!setBy.has(leaf.finding))
        add(file, field, `finding ${leaf.finding} is used by a rule but no question sets it`);
      for (const v of leaf.values) {
        if (!def.values.includes(v))
          add(
            file,
            field,
            `${leaf.finding} has no value "${v}" (values: ${def.values.join(", ")})`,
          );
      }
    }
  };
  flow.red_flags.forEach((r, i) => {
    if (!levels.has(r.level)) add(file, `red_flags.${i}.level`, `"${r.level}" is not a level`);
    if (!isYesNo(flow.findings[r.finding]?.values))
      add(
        file,
        `red_flags.${i}.finding`,
        `${r.finding} must be a yes/no finding in the vocabulary`,
      );
    if (r.applies_when) checkExpr(r.applies_when, `red_flags.${i}.applies_when`);
    r.faq.forEach((f, j) => {
      if (!faqIds.has(f)) add(file, `red_flags.${i}.faq.${j}`, `"${f}" is not an FAQ id`);
    });
    if (flow.findings[r.finding]?.negative)
      add(
        file,
        `findings.${r.finding}.negative`,
        "red flags can't have negative phrases: only the screen rules them out",
      );
  });

  flow.rules.forEach((r, i) => {
    checkExpr(r.when, `rules.${i}.when`);
    if (!levels.has(r.level)) add(file, `rules.${i}.level`, `"${r.level}" is not a level`);
    if (!flow.conditions[r.condition])
      add(file, `rules.${i}.condition`, `condition ${r.condition} has no wording under conditions`);
  });
  const last = flow.rules[flow.rules.length - 1];
  if (!last || !("always" in last.when))
    add(file, "rules", "the last rule must be a catch-all (`when: { always: true }`)");
  flow.raises.forEach((r, i) => {
    checkExpr(r.when, `raises.${i}.when`);
    if (!levels.has(r.from)) add(file, `raises.${i}.from`, `"${r.from}" is not a level`);
    if (!levels.has(r.to)) add(file, `raises.${i}.to`, `"${r.to}" is not a level`);
  });
  if (!flow.conditions[RED_FLAG_CONDITION])
    add(
      file,
      "conditions",
      `add wording for ${RED_FLAG_CONDITION} (used when a red flag decides the outcome)`,
    );
  for (const [id, c] of Object.entries(flow.conditions)) {
    c.faq.forEach((f, j) => {
      if (!faqIds.has(f)) add(file, `conditions.${id}.faq.${j}`, `"${f}" is not an FAQ id`);
    });
  }
  for (const [id, def] of Object.entries(flow.findings)) {
    if (def.phrases && !Array.isArray(def.phrases)) {
      for (const v of Object.keys(def.phrases)) {
        if (!def.values.includes(v))
          add(file, `findings.${id}.phrases.${v}`, `${id} has no value "${v}"`);
      }
    }
    if (Array.isArray(def.phrases) && !isYesNo(def.values))
      add(file, `findings.${id}.phrases`, "a multi-valued finding needs phrases per value");
  }
  for (const [id, byValue] of Object.entries(flow.noted)) {
    const values = flow.findings[id]?.values;
    if (!values) add(file, `noted.${id}`, `${id} is not in the findings vocabulary`);
    for (const v of Object.keys(byValue))
      if (values && !values.includes(v)) add(file, `noted.${id}.${v}`, `${id} has no value "${v}"`);
  }
  for (const [id, def] of Object.entries(flow.findings)) {
    if (flow.red_flags.some((r) => r.finding === id)) continue;
    // Whatever the runner's words can set, the bot must be able to say back in plain words.
    const said = Array.isArray(def.phrases) ? ["yes"] : Object.keys(def.phrases ?? {});
    if (def.negative?.length) said.push("no");
    for (const v of said)
      if (!flow.noted[id]?.[v])
        add(file, `noted.${id}`, `add how "${id}: ${v}" reads when noted from a message`);
  }
  for (const id of Object.keys(flow.unsure_warnings)) {
    const q = setBy.get(id);
    if (!q || q === flow.questions.find((x) => x.type === "red_flags")?.id)
      add(file, `unsure_warnings.${id}`, `${id} must be set by a question that offers "not sure"`);
  }
  for (const q of unreachableQuestions(k))
    add(file, `questions (${q})`, "this question can never be asked: no answers lead to it");
}

function isYesNo(values: string[] | undefined): boolean {
  return (
    Array.isArray(values) && values.length === 2 && values.includes("yes") && values.includes("no")
  );
}

function labelsOf(q: Question): Array<[string, string]> {
  if (q.type === "single" || q.type === "pick")
    return q.choices.map((c, j) => [c.label, `choices.${j}.label`]);
  if (q.type === "checklist") return q.items.map((c, j) => [c.label, `items.${j}.label`]);
  return [];
}

function leaves(
  expr: Parameters<typeof findingsOf>[0],
): Array<{ finding: string; values: string[] }> {
  if ("always" in expr) return [];
  if ("finding" in expr)
    return [{ finding: expr.finding, values: "is" in expr ? [expr.is] : expr.in }];
  return ("all" in expr ? expr.all : expr.any).flatMap(leaves);
}

/** Explores every path through the flow (one answer of each kind per question) and returns
 * the ids of questions no path asks. */
export function unreachableQuestions(k: Knowledge): string[] {
  const flow = k.triage;
  const asked = new Set<string>();
  const seen = new Set<string>();
  const queue: Findings[] = [{}];
  while (queue.length > 0 && seen.size < MAX_STATES) {
    const state = queue.pop()!;
    const key = JSON.stringify(Object.entries(state).sort());
    if (seen.has(key)) continue;
    seen.add(key);
    const step = progress(flow, state);
    if (step.type !== "ask") continue;
    asked.add(step.question.id);
    for (const next of answersOf(step.question, step.findings)) queue.push({ ...state, ...next });
  }
  return flow.questions.map((q) => q.id).filter((id) => !asked.has(id));
}

function answersOf(q: Question, open: string[]): Findings[] {
  if (q.type === "pick") {
    const unsure = Object.fromEntries(open.map((f) => [f, NOT_SURE]));
    return [...q.choices.map((c) => ({ ...c.sets })), unsure];
  }
  if (q.type === "single") {
    const f = q.sets;
    return [...q.choices.map((c) => ({ [f]: c.value })), { [f]: NOT_SURE }];
  }
  const all = (v: string): Findings => Object.fromEntries(open.map((f) => [f, v]));
  const outs: Findings[] = [all("no"), all(NOT_SURE)];
  for (const f of open) outs.push({ ...all("no"), [f]: "yes" });
  return outs;
}
