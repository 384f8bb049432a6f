/**
 * The review queue behind `kb review`: unanswered questions clustered, each cluster with the
 * entries nearest to it, and the actions a volunteer can take on a cluster.
 */
import { z } from "zod";
import { KneebotError } from "../errors.ts";
import type { Knowledge } from "../knowledge/load.ts";
import { createMatcher } from "../matcher.ts";
import { clusterQuestions, questionId, type RecordedQuestion, stopwordsOf } from "./cluster.ts";
import { addOutOfScope, addPhrasings, draftEntry } from "./knowledge-edit.ts";

/** One cluster as `kb review --jsonl` prints it, and as `--apply` reads it back. */
export interface ReviewCluster {
  type: "cluster";
  key: string;
  count: number;
  examples: string[];
  /** The three entries nearest to the cluster's most common question, with their scores. */
  nearest: Array<{ id: string; score: number }>;
  /** The identities of its questions (see questionId), so an action can take them off the queue. */
  ids: string[];
}

/** A cluster as text, numbered `n`: count, examples and the nearest entries. */
export function describeCluster(c: ReviewCluster, n: number): string {
  const near = c.nearest.map((e) => `${e.id} ${e.score.toFixed(2)}`).join(", ");
  return [
    `#${n} [${c.key}] ${c.count} question${c.count === 1 ? "" : "s"}`,
    ...c.examples.map((e) => `    "${e}"`),
    `    nearest: ${near || "none"}`,
  ].join("\n");
}

/** What to do with a cluster; tagged by `type`. */
export const reviewActionSchema = z.discriminatedUnion("type", [
  z.object({
    type: z.literal("add-phrasings"),
    entry: z.string(),
    /** Defaults to the cluster's examples. */
    phrasings: z.array(z.string().min(2)).optional(),
  }),
  z.object({ type: z.literal("out-of-scope"), words: z.array(z.string().min(2)).min(1) }),
  z.object({
    type: z.literal("draft"),
    id: z.string(),
    /** Defaults to the cluster's first example. */
    question: z.string().min(5).optional(),
  }),
  z.object({ type: z.literal("skip") }),
  z.object({ type: z.literal("dismiss") }),
]);

/** One action on a cluster. */
export type ReviewAction = z.infer<typeof reviewActionSchema>;

/** A line of an `--apply` file: the cluster as printed, plus the action to take. */
export const applyLineSchema = z.object({
  key: z.string(),
  examples: z.array(z.string()),
  ids: z.array(z.string()),
  action: reviewActionSchema,
});

/** A parsed `--apply` line. */
export type ApplyLine = z.infer<typeof applyLineSchema>;

/** Questions from `questions` at or after `since` that the bot did not answer and nobody reviewed. */
export function openQuestions(
  questions: readonly RecordedQuestion[],
  since: number,
  reviewed: ReadonlySet<string>,
): RecordedQuestion[] {
  return questions.filter((q) => q.at >= since && !q.outOfScope && !reviewed.has(questionId(q)));
}

/** Clusters the open questions, largest first, each with its three nearest entries. */
export function buildQueue(
  knowledge: Pick<Knowledge, "faq" | "lexicon">,
  questions: readonly RecordedQuestion[],
): ReviewCluster[] {
  const matcher = createMatcher(knowledge);
  const stop = stopwordsOf(knowledge.lexicon);
  return clusterQuestions(questions, stop).map((c) => ({
    type: "cluster",
    key: c.key,
    count: c.items.length,
    examples: c.examples,
    nearest: matcher
      .explain(c.examples[0]!)
      .candidates.slice(0, 3)
      .map((k) => ({ id: k.id, score: Math.round(k.score * 1000) / 1000 })),
    ids: c.items.map(questionId),
  }));
}

/** What applying one line did, for the summary. */
export type ApplyOutcome =
  | { type: "add-phrasings"; key: string; entry: string; added: string[] }
  | { type: "out-of-scope"; key: string; added: string[] }
  | { type: "draft"; key: string; file: string }
  | { type: "skip"; key: string }
  | { type: "dismiss"; key: string };

/**
 * Applies one action to the knowledge folder `dir`. Every type except `skip` takes the
 * cluster's questions off the queue (the caller records `line.ids` as reviewed).
 */
export function applyAction(dir: string, line: ApplyLine): ApplyOutcome {
  const { action, key } = line;
  switch (action.type) {
    case "add-phrasings":
      return {
        type: "add-phrasings",
        key,
        entry: action.entry,
        added: addPhrasings(dir, action.entry, action.phrasings ?? line.examples),
      };
    case "out-of-scope":
      return { type: "out-of-scope", key, added: addOutOfScope(dir, action.words) };
    case "draft": {
      const question = action.question ?? line.examples[0];
      if (!question) throw new KneebotError("input", `cluster ${key}: a draft needs a question`);
      return {
        type: "draft",
        key,
        file: draftEntry(dir, { id: action.id, question, phrasings: line.examples }),
      };
    }
    case "skip":
      return { type: "skip", key };
    case "dismiss":
      return { type: "dismiss", key };
  }
}

/** Re-runs the matcher on `questions`: how many it now answers (or now calls out of scope). */
export function recount(
  knowledge: Pick<Knowledge, "faq" | "lexicon">,
  questions: readonly string[],
): { total: number; answered: number; outOfScope: number } {
  const matcher = createMatcher(knowledge);
  let answered = 0;
  let outOfScope = 0;
  for (const q of questions) {
    const r = matcher.match(q);
    if (r.id) answered++;
    else if (r.outOfScope) outOfScope++;
  }
  return { total: questions.length, answered, outOfScope };
}
