/**
 * The interactive review, driven through the real @inquirer/core machinery on a fake terminal
 * (a stream in, a stream out): a single key takes the action at once, with no Enter; the arrow
 * keys move a cursor and Enter takes the highlighted action; any other key does nothing.
 */
import { PassThrough } from "node:stream";
import { ExitPromptError } from "@inquirer/core";
import { describe, expect, it } from "vitest";
import type { ReviewCluster } from "../../src/insights/review.ts";
import { REVIEW_KEYS, reviewInteractively } from "../../src/insights/review-prompt.ts";

const ENTER = "\r";
const DOWN = "\u001b[B";
const UP = "\u001b[A";
const LEFT = "\u001b[D";
const CTRL_C = "\u0003";

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
    /** Everything printed so far. */
    shown: () => shown,
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

/** Runs the review of `queue` on a fake terminal; `answer` and `shown` drive and read it. */
function review(queue: ReviewCluster[]) {
  const t = terminal();
  return { ...t, done: reviewInteractively(queue, { input: t.input, output: t.output }) };
}

const sauna = cluster("sauna", ["icing", "heat"]);
const dogs = cluster("dogs", ["shoes"]);
const tights = cluster("tights", ["shoes"]);

describe("kb review, interactively", () => {
  it("lists each action beside its key", async () => {
    const r = review([sauna]);
    await r.answer(header(1, "sauna"), []);
    await r.answer("Stop here and apply", [REVIEW_KEYS.quit]);
    expect(await r.done).toEqual([]);
    for (const line of [
      `${REVIEW_KEYS.add}) Add the examples as phrasings of an entry (icing, heat)`,
      `${REVIEW_KEYS.outOfScope}) Mark the topic out of scope`,
      `${REVIEW_KEYS.draft}) Draft a new entry`,
      `${REVIEW_KEYS.skip}) Skip (keep it for later)`,
      `${REVIEW_KEYS.dismiss}) Dismiss`,
      `${REVIEW_KEYS.quit}) Stop here and apply`,
    ])
      expect(r.shown()).toContain(line);
  });

  // No test below types Enter after an action's key: if a key waited for Enter, the next
  // cluster would never show and the test would fail on its timeout.
  it("a: adds to the only nearest entry at once, without asking which", async () => {
    const r = review([dogs, tights]);
    await r.answer(header(1, "dogs"), [REVIEW_KEYS.add]);
    await r.answer(header(2, "tights"), [REVIEW_KEYS.quit]);
    expect(await r.done).toEqual([
      {
        key: "dogs",
        examples: ["question about dogs"],
        ids: ["dogs-1", "dogs-2", "dogs-3"],
        action: { type: "add-phrasings", entry: "shoes" },
      },
    ]);
  });

  it("a, then a number: picks one of several nearest entries, both without Enter", async () => {
    const r = review([sauna, tights]);
    await r.answer(header(1, "sauna"), [REVIEW_KEYS.add]);
    await r.answer("Which entry?", ["2"]);
    await r.answer(header(2, "tights"), [REVIEW_KEYS.quit]);
    const lines = await r.done;
    expect(lines.map((l) => l.action)).toEqual([{ type: "add-phrasings", entry: "heat" }]);
    expect(lines[0]!.ids).toEqual(["sauna-1", "sauna-2", "sauna-3"]);
  });

  it("o: marks the topic out of scope with the words typed (the words end with Enter)", async () => {
    const r = review([cluster("parkrun", [])]);
    await r.answer(header(1, "parkrun"), [REVIEW_KEYS.outOfScope]);
    await r.answer("out of scope (comma separated)", ["parkrun, time trial", ENTER]);
    const [line] = await r.done;
    expect(line!.action).toEqual({ type: "out-of-scope", words: ["parkrun", "time trial"] });
  });

  it("d: drafts a new entry under the id typed", async () => {
    const r = review([cluster("ginger", ["diet"])]);
    await r.answer(header(1, "ginger"), [REVIEW_KEYS.draft]);
    await r.answer("New entry id", ["ginger-for-knees", ENTER]);
    expect((await r.done).map((l) => [l.key, l.action])).toEqual([
      ["ginger", { type: "draft", id: "ginger-for-knees" }],
    ]);
  });

  it("s: skips, which leaves no line, and goes on to the next cluster", async () => {
    const r = review([dogs, tights]);
    await r.answer(header(1, "dogs"), [REVIEW_KEYS.skip]);
    await r.answer(header(2, "tights"), [REVIEW_KEYS.dismiss]);
    expect((await r.done).map((l) => [l.key, l.action])).toEqual([["tights", { type: "dismiss" }]]);
  });

  it("x: dismisses", async () => {
    const r = review([dogs]);
    await r.answer(header(1, "dogs"), [REVIEW_KEYS.dismiss]);
    expect((await r.done).map((l) => [l.key, l.action])).toEqual([["dogs", { type: "dismiss" }]]);
  });

  it("q: stops at once, keeping what was chosen before, and asks no more", async () => {
    const r = review([dogs, tights, cluster("never-reached", ["shoes"])]);
    await r.answer(header(1, "dogs"), [REVIEW_KEYS.dismiss]);
    await r.answer(header(2, "tights"), [REVIEW_KEYS.quit]);
    expect((await r.done).map((l) => l.key)).toEqual(["dogs"]);
    expect(r.shown()).not.toContain("never-reached");
  });

  it("the arrow keys move the cursor (from Skip, round the ends) and Enter takes the action", async () => {
    const r = review([
      sauna,
      cluster("ginger", ["diet"]),
      cluster("weather", ["runners-knee"]),
      cluster("hills", ["runners-knee"]),
      tights,
    ]);
    // The cursor starts on Skip, so a lone Enter changes nothing.
    await r.answer(header(1, "sauna"), [ENTER]);
    // Up three times from Skip: draft, out of scope, add; then the entry, Down to the second.
    await r.answer(header(2, "ginger"), [UP, UP, UP, ENTER]);
    await r.answer(header(3, "weather"), [DOWN, ENTER]);
    // Down past Stop goes round to the top: dismiss, stop, add, out of scope, back up to add.
    await r.answer(header(4, "hills"), [DOWN, DOWN, DOWN, DOWN, UP, ENTER]);
    await r.answer(header(5, "tights"), [DOWN, DOWN, ENTER]);
    expect((await r.done).map((l) => [l.key, l.action])).toEqual([
      ["ginger", { type: "add-phrasings", entry: "diet" }],
      ["weather", { type: "dismiss" }],
      ["hills", { type: "add-phrasings", entry: "runners-knee" }],
    ]);
  });

  it("picks among several entries with the arrows and Enter", async () => {
    const r = review([sauna]);
    await r.answer(header(1, "sauna"), [REVIEW_KEYS.add]);
    await r.answer("Which entry?", [DOWN, ENTER]);
    expect((await r.done).map((l) => l.action)).toEqual([{ type: "add-phrasings", entry: "heat" }]);
  });

  it("ignores a key that is not an action: it neither picks nor moves the cursor", async () => {
    const r = review([dogs, tights]);
    // z, 7, ?, a space, Tab and Left do nothing, so Enter still takes Skip, where it started.
    const others = ["z", "7", "?", " ", "\t", LEFT];
    await r.answer(header(1, "dogs"), [...others, ENTER]);
    await r.answer(header(2, "tights"), [...others, REVIEW_KEYS.dismiss]);
    expect((await r.done).map((l) => [l.key, l.action])).toEqual([["tights", { type: "dismiss" }]]);
  });

  it("a capital key works as the small one", async () => {
    const r = review([dogs]);
    await r.answer(header(1, "dogs"), [REVIEW_KEYS.dismiss.toUpperCase()]);
    expect((await r.done).map((l) => l.action)).toEqual([{ type: "dismiss" }]);
  });

  it("Ctrl+C aborts the review as inquirer does, with an ExitPromptError", async () => {
    const r = review([dogs, tights]);
    await r.answer(header(1, "dogs"), [CTRL_C]);
    await expect(r.done).rejects.toBeInstanceOf(ExitPromptError);
  });
});
