/**
 * Loads the knowledge for reviewing: drafts that `kb review` wrote (and nobody finished yet)
 * fail `kb lint` on purpose, but must not stop the next review, so FAQ files with problems are
 * left out of a temporary copy and named instead.
 */
import { cpSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { KneebotError } from "../errors.ts";
import { formatProblems, type Knowledge, readKnowledge } from "../knowledge/load.ts";

/** The knowledge in `dir`, without FAQ files that fail validation; `skipped` names them. */
export function readKnowledgeForReview(dir: string): { knowledge: Knowledge; skipped: string[] } {
  const first = readKnowledge(dir);
  if (first.knowledge) return { knowledge: first.knowledge, skipped: [] };
  const skipped = [...new Set(first.problems.map((p) => p.file))];
  if (!skipped.every((f) => /^faq\/[^/]+\.md$/.test(f)))
    throw new KneebotError("knowledge", formatProblems(first.problems));
  const copy = mkdtempSync(join(tmpdir(), "kneebot-review-"));
  try {
    cpSync(dir, copy, {
      recursive: true,
      filter: (src) => !skipped.some((f) => src === join(dir, f)),
    });
    const again = readKnowledge(copy);
    if (!again.knowledge) throw new KneebotError("knowledge", formatProblems(again.problems));
    return { knowledge: { ...again.knowledge, dir }, skipped };
  } finally {
    rmSync(copy, { recursive: true, force: true });
  }
}
