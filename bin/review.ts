/**
 * `npm run kb -- review [--since 30d] [--jsonl | --apply FILE]`: the unanswered questions of
 * the period, clustered, largest first, with the nearest entries. Interactive when stdin is a
 * terminal; `--jsonl` prints the clusters as JSON lines; `--apply FILE` reads those lines back,
 * each with an `action`, edits the knowledge, and says how many reviewed questions the bot now
 * answers. Acted-on clusters leave the queue (a record in the data folder).
 */
import { loadConfig } from "../src/config.ts";
import { KneebotError } from "../src/errors.ts";
import { questionId, type RecordedQuestion } from "../src/insights/cluster.ts";
import { openInsightStore, parsePeriod } from "../src/insights/open-store.ts";
import {
  type ApplyLine,
  type ApplyOutcome,
  applyAction,
  applyLineSchema,
  buildQueue,
  describeCluster,
  openQuestions,
  recount,
} from "../src/insights/review.ts";
import { readKnowledgeForReview } from "../src/insights/review-knowledge.ts";
import { addReviewed, readReviewed } from "../src/insights/review-state.ts";
import { lintKnowledge } from "../src/knowledge/lint.ts";
import { formatProblems, readKnowledge } from "../src/knowledge/load.ts";
import { MAX_UNANSWERED } from "../src/store/types.ts";
import { readJsonLines } from "./cli.ts";

/** `kb review`'s flags, for node:util parseArgs (bin/kb.ts reads the command line). */
export const REVIEW_FLAGS = {
  since: { type: "string" },
  jsonl: { type: "boolean" },
  apply: { type: "string" },
} as const;

/** The flags as parsed. */
export interface ReviewFlags {
  since?: string | undefined;
  jsonl?: boolean | undefined;
  apply?: string | undefined;
}

/** What the flags ask for. */
interface ReviewArgs {
  sinceMs: number;
  mode: { kind: "text" } | { kind: "jsonl" } | { kind: "apply"; file: string };
}

function reviewArgs(flags: ReviewFlags): ReviewArgs {
  let sinceMs = 30 * 86_400_000;
  if (flags.since !== undefined) {
    const ms = parsePeriod(flags.since);
    if (ms === undefined)
      throw new KneebotError("input", "--since takes a period like 30d, 12h or 4w");
    sinceMs = ms;
  }
  const mode: ReviewArgs["mode"] =
    flags.apply !== undefined
      ? { kind: "apply", file: flags.apply }
      : flags.jsonl
        ? { kind: "jsonl" }
        : { kind: "text" };
  return { sinceMs, mode };
}

function describeOutcome(o: ApplyOutcome): string {
  switch (o.type) {
    case "add-phrasings":
      return `${o.key}: ${o.added.length} phrasing(s) added to ${o.entry}`;
    case "out-of-scope":
      return `${o.key}: out of scope: ${o.added.join(", ") || "(already listed)"}`;
    case "draft":
      return `${o.key}: drafted ${o.file} (write its answer and a source; kb lint refuses it until then)`;
    case "skip":
      return `${o.key}: skipped (stays in the queue)`;
    case "dismiss":
      return `${o.key}: dismissed`;
  }
}

/** Applies lines, records the reviewed questions, lints and recounts; returns the report text. */
function applyLines(
  dir: string,
  dataDir: string,
  lines: readonly ApplyLine[],
  questions: readonly RecordedQuestion[],
): string {
  const out: string[] = [];
  const done: string[] = [];
  for (const line of lines) {
    const outcome = applyAction(dir, line);
    out.push(describeOutcome(outcome));
    if (outcome.type !== "skip") done.push(...line.ids);
  }
  addReviewed(dataDir, done);
  const { knowledge, problems } = readKnowledge(dir);
  const all = knowledge ? [...problems, ...lintKnowledge(knowledge)] : problems;
  if (all.length > 0) out.push(`kb lint: ${all.length} problem(s)\n${formatProblems(all)}`);
  const reviewed = new Set(done);
  const texts = questions.filter((q) => reviewed.has(questionId(q))).map((q) => q.text);
  // Unfinished drafts are left out of the recount: the bot cannot answer with them yet.
  const r = recount(readKnowledgeForReview(dir).knowledge, texts);
  out.push(
    `Re-matched ${r.total} reviewed question(s): ${r.answered} now answered, ${r.outOfScope} now out of scope.`,
  );
  return out.join("\n");
}

/** Parses an `--apply` file; every bad line is reported, with its number. */
function readApplyFile(file: string): ApplyLine[] {
  // Lines the bot marked unhelpful are for reading, not applying: they are skipped unchecked.
  const { lines, bad } = readJsonLines(
    file,
    applyLineSchema,
    (json) => (json as { type?: unknown } | null)?.type === "unhelpful",
  );
  if (bad.length > 0) throw new KneebotError("input", `${file}:\n${bad.join("\n")}`);
  return lines.map((l) => l.value);
}

/** Runs `kb review` with its flags. */
export async function runReview(flags: ReviewFlags, knowledgeDir: string): Promise<void> {
  const args = reviewArgs(flags);
  const config = loadConfig(process.env);
  const store = await openInsightStore(config);
  try {
    const all = await store.listUnanswered(MAX_UNANSWERED);
    const since = Date.now() - args.sinceMs;
    const open = openQuestions(all, since, readReviewed(config.dataDir));
    if (args.mode.kind === "apply") {
      const lines = readApplyFile(args.mode.file);
      process.stdout.write(`${applyLines(knowledgeDir, config.dataDir, lines, all)}\n`);
      return;
    }
    const { knowledge, skipped } = readKnowledgeForReview(knowledgeDir);
    if (skipped.length > 0 && args.mode.kind === "text")
      process.stdout.write(`Left out until they pass kb lint: ${skipped.join(", ")}\n`);
    const queue = buildQueue(knowledge, open);
    const unhelpful = (await store.feedbackSummary())
      .filter((f) => f.unhelpful > 0)
      .sort((a, b) => b.unhelpful - a.unhelpful);
    if (args.mode.kind === "jsonl") {
      for (const c of queue) process.stdout.write(`${JSON.stringify(c)}\n`);
      for (const f of unhelpful)
        process.stdout.write(`${JSON.stringify({ type: "unhelpful", ...f })}\n`);
      return;
    }
    process.stdout.write(
      `${open.length} unanswered question(s) to review in ${queue.length} cluster(s).\n`,
    );
    if (process.stdin.isTTY && process.stdout.isTTY && queue.length > 0) {
      // Loaded only here: the prompt library is for a person at a terminal.
      const { reviewInteractively } = await import("../src/insights/review-prompt.ts");
      const lines = await reviewInteractively(queue);
      process.stdout.write(`${applyLines(knowledgeDir, config.dataDir, lines, all)}\n`);
      return;
    }
    for (const [i, c] of queue.entries()) process.stdout.write(`${describeCluster(c, i + 1)}\n`);
    if (unhelpful.length > 0) {
      process.stdout.write("\nAnswers marked not helpful (all time):\n");
      for (const f of unhelpful)
        process.stdout.write(`  ${f.faqId}: ${f.unhelpful} not helpful, ${f.helpful} helpful\n`);
    }
  } finally {
    await store.close();
  }
}
