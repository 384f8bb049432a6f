/**
 * The interactive review, driven through the real @inquirer/prompts rawlist on a fake terminal
 * (a stream in, a stream out): a single key and Enter takes the action, the arrow keys work too.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ReviewCluster } from "../../src/insights/review.ts";
import { REVIEW_KEYS, reviewInteractively } from "../../src/insights/review-prompt.ts";

const ENTER = "\r";
const DOWN = "\u001b[B";

function cluster(key: string, nearest: string[]): ReviewCluster {
  return {
    type: "cluster",
    key,
    count: 3,
    examples: [`question about ${key}`],
    nearest: nearest.map((id, i) => ({ id, score: 0.3 - i / 10 })),
    ids: [`${key}-1`, `${key}-2`, `${key}-3`],
  };
}

/** A fake terminal: what the prompts print, and a way to wait for the n-th time a text shows. */
function terminal() {
  const input = new PassThrough();
  const output = new PassThrough();
  // Each prompt ends the stream it was given when it is done (a real stdout ignores that);
  // the fake terminal stays open for the next prompt, as a terminal does.
  output.end = () => output;
  let shown = "";
  const waiting: { text: string; times: number; resolve: () => void }[] = [];
  const count = (text: string) => shown.split(text).length - 1;
  output.on("data", (chunk: Buffer) => {
    shown += chunk.toString("utf8");
    for (const w of [...waiting])
      if (count(w.text) >= w.times) {
        waiting.splice(waiting.indexOf(w), 1);
        w.resolve();
      }
  });
  return {
    input,
    output,
    /** Waits until `text` has been printed (once is enough), then types `keys`. */
    async answer(text: string, keys: string[], times = 1): Promise<void> {
      if (count(text) < times)
        await new Promise<void>((resolve) => waiting.push({ text, times, resolve }));
      for (const k of keys) input.write(k);
    },
  };
}

/** Printed once per cluster, just before its prompt starts listening. */
const header = (n: number, key: string) => `#${n} [${key}]`;

describe("kb review, interactively", () => {
  it("takes each action from its single key, and from the arrow keys", async () => {
    const t = terminal();
    const queue = [
      cluster("sauna", ["icing", "heat"]),
      cluster("dogs", ["shoes"]),
      cluster("ginger", ["diet", "supplements"]),
      cluster("weather", ["runners-knee"]),
      cluster("tights", ["shoes"]),
      cluster("never-reached", ["shoes"]),
    ];
    const done = reviewInteractively(queue, { input: t.input, output: t.output });
    // a, then the second nearest entry by its number.
    await t.answer(header(1, "sauna"), [REVIEW_KEYS.add, ENTER]);
    await t.answer("Which entry?", ["2", ENTER]);
    await t.answer(header(2, "dogs"), [REVIEW_KEYS.dismiss, ENTER]);
    await t.answer(header(3, "ginger"), [REVIEW_KEYS.draft, ENTER]);
    await t.answer("New entry id", ["ginger-for-knees", ENTER]);
    // Arrows: the first Down picks the first action, each next one moves on: add, out of
    // scope, draft, skip, dismiss.
    await t.answer(header(4, "weather"), [DOWN, DOWN, DOWN, DOWN, DOWN, ENTER]);
    await t.answer(header(5, "tights"), [REVIEW_KEYS.quit, ENTER]);
    const lines = await done;
    expect(lines.map((l) => [l.key, l.action])).toEqual([
      ["sauna", { type: "add-phrasings", entry: "heat" }],
      ["dogs", { type: "dismiss" }],
      ["ginger", { type: "draft", id: "ginger-for-knees" }],
      ["weather", { type: "dismiss" }],
    ]);
    expect(lines[0]!.ids).toEqual(["sauna-1", "sauna-2", "sauna-3"]);
  });

  it("adds to the only nearest entry without asking which, and skips leave no line", async () => {
    const t = terminal();
    const queue = [cluster("dogs", ["shoes"]), cluster("tights", ["shoes"])];
    const done = reviewInteractively(queue, { input: t.input, output: t.output });
    await t.answer(header(1, "dogs"), [REVIEW_KEYS.add, ENTER]);
    await t.answer(header(2, "tights"), [REVIEW_KEYS.skip, ENTER]);
    expect(await done).toEqual([
      {
        key: "dogs",
        examples: ["question about dogs"],
        ids: ["dogs-1", "dogs-2", "dogs-3"],
        action: { type: "add-phrasings", entry: "shoes" },
      },
    ]);
  });

  it("marks a topic out of scope with the words typed", async () => {
    const t = terminal();
    const done = reviewInteractively([cluster("parkrun", [])], {
      input: t.input,
      output: t.output,
    });
    await t.answer(header(1, "parkrun"), [REVIEW_KEYS.outOfScope, ENTER]);
    await t.answer("out of scope (comma separated)", ["parkrun, time trial", ENTER]);
    const [line] = await done;
    expect(line!.action).toEqual({ type: "out-of-scope", words: ["parkrun", "time trial"] });
  });
});
