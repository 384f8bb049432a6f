/**
 * The interactive part of `kb review`: one prompt per cluster, answered with a single key
 * (a, o, d, s, x, q; no Enter) or with the arrow keys and Enter, through the key prompt
 * built on @inquirer/core. Returns the same lines an `--apply` file holds, so both paths
 * apply alike.
 */
import { input } from "@inquirer/prompts";
import { keyPrompt } from "./key-prompt.ts";
import { type ApplyLine, describeCluster, type ReviewCluster } from "./review.ts";

/** The streams the prompts use: the terminal by default; tests pass their own. */
export interface PromptIo {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
}

/** The key of each action on a cluster. */
export const REVIEW_KEYS = {
  add: "a",
  outOfScope: "o",
  draft: "d",
  skip: "s",
  dismiss: "x",
  quit: "q",
} as const;

type Choice = "add" | "oos" | "draft" | "skip" | "dismiss" | "quit";

/** Asks what to do with each cluster in turn, until the queue ends or the volunteer quits. */
export async function reviewInteractively(
  queue: readonly ReviewCluster[],
  io: PromptIo = {},
): Promise<ApplyLine[]> {
  const context = {
    ...(io.input ? { input: io.input } : {}),
    ...(io.output ? { output: io.output } : {}),
  };
  const out = io.output ?? process.stdout;
  const lines: ApplyLine[] = [];
  for (const [i, c] of queue.entries()) {
    out.write(`\n${describeCluster(c, i + 1)}\n`);
    const nearest = c.nearest[0]?.id;
    const choice = await keyPrompt<Choice>(
      {
        message: "What should happen to this cluster? (its key, or the arrows and Enter)",
        choices: [
          ...(nearest
            ? [
                {
                  key: REVIEW_KEYS.add,
                  value: "add" as const,
                  name: `Add the examples as phrasings of an entry (${c.nearest.map((e) => e.id).join(", ")})`,
                },
              ]
            : []),
          { key: REVIEW_KEYS.outOfScope, value: "oos", name: "Mark the topic out of scope" },
          { key: REVIEW_KEYS.draft, value: "draft", name: "Draft a new entry" },
          { key: REVIEW_KEYS.skip, value: "skip", name: "Skip (keep it for later)" },
          { key: REVIEW_KEYS.dismiss, value: "dismiss", name: "Dismiss" },
          { key: REVIEW_KEYS.quit, value: "quit", name: "Stop here and apply" },
        ],
        // A stray Enter skips, which changes nothing.
        cursorOn: "skip",
      },
      context,
    );
    if (choice === "quit") break;
    const base = { key: c.key, examples: c.examples, ids: c.ids };
    if (choice === "add") {
      // One nearest entry needs no second question; several are picked by number.
      const entry =
        c.nearest.length === 1
          ? nearest!
          : await keyPrompt(
              {
                message: "Which entry? (its number, or the arrows and Enter)",
                choices: c.nearest.map((e, k) => ({
                  key: String(k + 1),
                  value: e.id,
                  name: `${e.id} (${e.score.toFixed(2)})`,
                })),
              },
              context,
            );
      lines.push({ ...base, action: { type: "add-phrasings", entry } });
    } else if (choice === "oos") {
      const w = await input(
        { message: "Words or phrases to mark out of scope (comma separated):" },
        context,
      );
      const ws = w
        .split(",")
        .map((s) => s.trim())
        .filter((s) => s.length >= 2);
      if (ws.length > 0) lines.push({ ...base, action: { type: "out-of-scope", words: ws } });
    } else if (choice === "draft") {
      const id = await input({ message: "New entry id (like knee-cracking):" }, context);
      lines.push({ ...base, action: { type: "draft", id: id.trim() } });
    } else if (choice === "dismiss") {
      lines.push({ ...base, action: { type: "dismiss" } });
    }
  }
  return lines;
}
