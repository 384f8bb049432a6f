/** Shared plumbing for the command-line tools in bin/. */
import { resolve } from "node:path";
import { isKneebotError } from "../src/errors.ts";

/** The knowledge folder: KNEEBOT_KNOWLEDGE_DIR, or ./knowledge. */
export function knowledgeDir(): string {
  return resolve(process.env.KNEEBOT_KNOWLEDGE_DIR ?? "knowledge");
}

/** Runs a CLI body; a KneebotError prints its message (which says what to fix) and exits 1. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    if (isKneebotError(err)) {
      process.stderr.write(`${err.message}\n`);
    } else {
      process.stderr.write(
        `Unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`,
      );
    }
    process.exitCode = 1;
  }
}
