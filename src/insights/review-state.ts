/**
 * The review record: which recorded questions a volunteer has already acted on, so they leave
 * the `kb review` queue. A small JSON file in the data folder holding question identities
 * (hashes of time and text), never the text itself.
 */
import { existsSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { KneebotError } from "../errors.ts";
import { MAX_UNANSWERED } from "../store/types.ts";

/** File name of the review record inside the data folder. */
export const REVIEW_FILE = "review-state.json";

const stateSchema = z.object({ v: z.literal(1), reviewed: z.array(z.string()) });

/** Reads the identities already reviewed; an absent file means none. */
export function readReviewed(dataDir: string): Set<string> {
  const path = join(dataDir, REVIEW_FILE);
  if (!existsSync(path)) return new Set();
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(path, "utf8"));
  } catch (cause) {
    throw new KneebotError("store", `${REVIEW_FILE} is not JSON; delete it to start afresh`, {
      cause,
    });
  }
  const parsed = stateSchema.safeParse(raw);
  if (!parsed.success)
    throw new KneebotError(
      "store",
      `${REVIEW_FILE} has an unknown shape; delete it to start afresh`,
    );
  return new Set(parsed.data.reviewed);
}

/** Adds identities to the record (newest kept when it grows past the store's own cap). */
export function addReviewed(dataDir: string, ids: Iterable<string>): void {
  const all = [...readReviewed(dataDir), ...ids];
  const kept = [...new Set(all)].slice(-2 * MAX_UNANSWERED);
  const path = join(dataDir, REVIEW_FILE);
  writeFileSync(`${path}.tmp`, `${JSON.stringify({ v: 1, reviewed: kept })}\n`);
  renameSync(`${path}.tmp`, path);
}
