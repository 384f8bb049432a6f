/** Shared plumbing for the command-line tools in bin/. */
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import { createInterface } from "node:readline";
import { type ParseArgsConfig, parseArgs } from "node:util";
import type { z } from "zod";
import { isKneebotError, KneebotError } from "../src/errors.ts";

/** Exit code for a command line a tool can't run (an unknown flag, a missing value). */
export const USAGE_EXIT_CODE = 2;

/** Prints one line, what to fix and then the usage, and exits with USAGE_EXIT_CODE. */
export function usageError(tool: string, usage: string, problem: string): never {
  process.stderr.write(`${tool}: ${problem}. Usage: ${usage}\n`);
  process.exit(USAGE_EXIT_CODE);
}

/**
 * Reads the command line (process.argv after the script) with node:util parseArgs, strictly:
 * an unknown flag, a flag missing its value or an unexpected argument stops the tool with
 * usageError. `config` is parseArgs's own (options, allowPositionals).
 */
export function parseCommandLine<T extends ParseArgsConfig>(
  tool: string,
  usage: string,
  config: T,
): ReturnType<typeof parseArgs<T>> {
  try {
    return parseArgs(config);
  } catch (err) {
    // Node's messages go on with advice about "--"; the first sentence says what is wrong.
    const first = (err instanceof Error ? err.message : String(err)).split(". ")[0] ?? "";
    usageError(
      tool,
      usage,
      first.replace(/'/g, "").replace(/^\w/, (c) => c.toLowerCase()),
    );
  }
}

/** The knowledge folder: KNEEBOT_KNOWLEDGE_DIR, or ./knowledge. */
export function knowledgeDir(): string {
  return resolve(process.env.KNEEBOT_KNOWLEDGE_DIR ?? "knowledge");
}

/** Runs a CLI body; a KneebotError prints its message (which says what to fix) and exits 1. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  // `npm run ask … | head` closes the pipe early: that's the reader's choice, not an error.
  process.stdout.on("error", (err: NodeJS.ErrnoException) => {
    if (err.code === "EPIPE") process.exit(0);
    throw err;
  });
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

/**
 * Reads JSON lines from stdin and calls `fn` with each line's string `field`, in order. A line
 * that isn't JSON or lacks the field is reported on stderr and answered with "" so the output
 * stays line-for-line with the input.
 */
export async function forEachJsonlField(field: string, fn: (value: string) => void): Promise<void> {
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (!raw.trim()) continue;
    let value = "";
    try {
      const parsed = JSON.parse(raw) as Record<string, unknown> | null;
      if (parsed && typeof parsed[field] === "string") value = parsed[field] as string;
      else
        process.stderr.write(
          `line ${line}: expected {"${field}": "..."}; using an empty ${field}\n`,
        );
    } catch {
      process.stderr.write(`line ${line}: not JSON; using an empty ${field}\n`);
    }
    fn(value);
  }
}

/** Reads a file the user named; a missing or unreadable one is a KneebotError saying which. */
export function readUserFile(file: string): string {
  try {
    return readFileSync(file, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why =
      code === "ENOENT"
        ? "no such file"
        : code === "EISDIR"
          ? "that is a folder, not a file"
          : code === "EACCES"
            ? "not allowed to read it"
            : (err as Error).message;
    throw new KneebotError("input", `cannot read ${file}: ${why}`, { cause: err });
  }
}

/**
 * Reads a JSON-lines file the user named and checks every line against `schema`: the lines that
 * fit, and one problem per line that doesn't ("line 3: findings: expected object…"), so a tool
 * can report them all at once. Lines for which `skip` says true are left out unchecked.
 */
export function readJsonLines<T>(
  file: string,
  schema: z.ZodType<T>,
  skip: (json: unknown) => boolean = () => false,
): { lines: Array<{ line: number; value: T }>; bad: string[] } {
  const lines: Array<{ line: number; value: T }> = [];
  const bad: string[] = [];
  readUserFile(file)
    .split("\n")
    .forEach((raw, i) => {
      if (!raw.trim()) return;
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        bad.push(`line ${i + 1}: not JSON`);
        return;
      }
      if (skip(json)) return;
      const parsed = schema.safeParse(json);
      if (parsed.success) lines.push({ line: i + 1, value: parsed.data });
      else {
        const issue = parsed.error.issues[0];
        const where = issue?.path.length ? `${issue.path.join(".")}: ` : "";
        bad.push(`line ${i + 1}: ${where}${issue?.message ?? "not valid"}`);
      }
    });
  return { lines, bad };
}
