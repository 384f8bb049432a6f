import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import { afterEach, describe, expect, it } from "vitest";
import { createTerminalChat, runTerminal } from "../adapters/terminal/index.ts";
import { screenLine, TERMINAL_LOG_FILE } from "../adapters/terminal/log.ts";
import { CHECK_IN_NOTE, parsePick, renderText } from "../adapters/terminal/render.ts";
import { startApp } from "../bin/app.ts";
import { shippedKnowledge, testEngine } from "./helpers/knowledge.ts";
import { apology } from "./helpers/scripted-engine.ts";
import { converse } from "./helpers/terminal.ts";

describe("terminal adapter", () => {
  it("reads several numbers as several ticks of a checklist", async () => {
    const engine = testEngine();
    const picks: string[][] = [];
    const recording = {
      handle: (turn: Parameters<typeof engine.handle>[0]) => {
        if (turn.type === "choice") picks.push(turn.values);
        return engine.handle(turn);
      },
      apology: () => engine.apology(),
    };
    const input = new PassThrough();
    const output = new PassThrough();
    let out = "";
    output.on("data", (d) => (out += d));
    const done = runTerminal({ engine: recording, input, output, interactive: false });
    input.end("check my knee\n1 2\n");
    await done;
    expect(out).toMatch(/type the numbers that apply/);
    // The first two warning signs, ticked together in one answer: urgent advice follows.
    expect(picks).toHaveLength(1);
    expect(picks[0]).toHaveLength(2);
    expect(out).toContain(shippedKnowledge().wording.urgent_intro.replace(/\*\*/g, ""));
  });

  it("prints a check-in that falls due while it runs, and takes a number for its choices", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = "";
    output.on("data", (d) => (out += d));
    const seen: string[] = [];
    const engine = {
      handle: async (turn: Parameters<ReturnType<typeof testEngine>["handle"]>[0]) => {
        seen.push(turn.type === "choice" ? `${turn.setId}=${turn.values.join(",")}` : turn.type);
        return [{ kind: "info" as const, text: "noted", visibility: "private" as const }];
      },
      apology,
    };
    const chat = createTerminalChat({ engine, input, output, interactive: false });
    const running = chat.run();
    const result = await chat.sendDirect("terminal", "local", [
      {
        kind: "followup",
        text: "How's your knee today?",
        visibility: "private",
        choices: {
          mode: "single",
          id: "u.job1",
          options: [
            { value: "better", label: "Better" },
            { value: "worse", label: "Worse" },
          ],
        },
      },
    ]);
    expect(result).toEqual({ type: "sent" });
    expect(await chat.sendDirect("discord", "local", [])).toEqual({
      type: "undeliverable",
      reason: "wrong-platform",
    });
    input.end("2\n");
    await running;
    expect(out).toMatch(/How's your knee today\?\n {2}1\) Better/);
    expect(seen).toEqual(["u.job1=worse"]);
  });

  it("understands /commands", async () => {
    const out = await converse(["/help", "/privacy"]);
    expect(out).toMatch(/Here's what I can do/);
    expect(out).toMatch(/What I keep/);
  });

  it("renders bold only on a colour terminal", () => {
    expect(renderText("**Go** now", { color: false })).toBe("Go now");
    expect(renderText("**Go** now", { color: true })).toBe("\u001b[1mGo\u001b[22m now");
  });

  it("maps numbers onto the options on screen and rejects ones that aren't there", () => {
    const set = {
      mode: "multi" as const,
      id: "x",
      options: [
        { value: "a", label: "A" },
        { value: "b", label: "B" },
      ],
    };
    expect(parsePick("1 2", set)).toEqual(["a", "b"]);
    expect(parsePick("3", set)).toBeUndefined();
    expect(parsePick("one", set)).toBeUndefined();
    expect(parsePick("1 2", { ...set, mode: "single" })).toBeUndefined();
  });
});

/** `npm start` in the terminal, in-process, driven line by line like a person typing. */
async function openTerminal(
  env: Record<string, string>,
  opts: { now?: () => number; timeZone?: string } = {},
) {
  const input = new PassThrough();
  const output = new PassThrough();
  const screen = new PassThrough();
  const seen = { out: "", screen: "" };
  output.on("data", (d) => (seen.out += d));
  screen.on("data", (d) => (seen.screen += d));
  const app = await startApp(env, {
    input,
    output,
    screen,
    timeZone: opts.timeZone ?? "Europe/Paris",
    ...(opts.now ? { now: opts.now } : {}),
  });
  /** Waits (up to a minute, for a busy machine) until `ok` holds. */
  const until = async (ok: () => boolean) => {
    for (let i = 0; i < 2400 && !ok(); i++) await new Promise((r) => setTimeout(r, 25));
    // A turn's replies are written in one go; let the stream deliver the rest of them.
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
  };
  return {
    seen,
    /** Types one line and returns what the bot printed in answer. */
    async say(line: string): Promise<string> {
      const before = seen.out.length;
      input.write(`${line}\n`);
      await until(() => seen.out.length > before);
      return seen.out.slice(before);
    },
    /** Waits for something that arrives on its own (a check-in due at start). */
    waitFor: (re: RegExp) => until(() => re.test(seen.out)),
    /** Ctrl+D: the end of input, then the shutdown `npm start` does. */
    async close() {
      input.end();
      await app.done;
      await app.shutdown();
      return seen;
    },
  };
}

/** `npm start` in the terminal with piped lines: what the chat and the screen show. */
async function startTerminal(env: Record<string, string>, lines: string[]) {
  const t = await openTerminal(env);
  for (const line of lines) await t.say(line);
  return t.close();
}

type Terminal = Awaited<ReturnType<typeof openTerminal>>;

/** Options of the last choices in a chunk of output, and whether they are a checklist. */
function lastChoices(chunk: string): { labels: string[]; multi: boolean } {
  const at = chunk.lastIndexOf("\n  1) ");
  if (at < 0) return { labels: [], multi: false };
  const tail = chunk.slice(at);
  const labels = [...tail.matchAll(/^ {2}\d+\) (.+)$/gm)].map((m) => m[1]!);
  return { labels, multi: /type the numbers that apply/.test(tail) };
}

/**
 * Runs a knee check to the check-in offer, as an adult whose front-of-knee pain built up over
 * time would: nothing on any checklist ("none" typed as a number, or in words), and a number
 * for every single question. Returns everything printed.
 */
async function checkToOffer(t: Terminal, offer: string): Promise<string> {
  let chunk = await t.say("check my knee");
  let all = chunk;
  let checklists = 0;
  for (let step = 0; step < 20 && !chunk.includes(offer); step++) {
    const { labels, multi } = lastChoices(chunk);
    expect(labels.length, `no choices in:\n${chunk}`).toBeGreaterThan(0);
    let answer: string;
    if (multi) {
      const none = labels.findIndex((l) => /^(none|neither)/i.test(l));
      // The warning signs by number; later checklists in words, as runners type.
      answer = checklists++ > 0 && /^none/i.test(labels[none]!) ? "none" : String(none + 1);
    } else {
      const pick = labels.findIndex((l) => /built up|^16 to 44|^front/i.test(l));
      answer = String(pick + 1 || 1);
    }
    chunk = await t.say(answer);
    all += chunk;
  }
  return all;
}

describe("npm start in the terminal", () => {
  const w = shippedKnowledge().wording;
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("keeps JSON logs off the screen: they go to a file in the data folder; warnings show in words", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-term-"));
    const seen = await startTerminal({ KNEEBOT_DATA_DIR: dir, KNEEBOT_TYPO: "1" }, [
      "should I ice my knee?",
    ]);
    expect(seen.out).toMatch(/Ice can ease pain/);
    expect(seen.out).not.toMatch(/"level"|\{"/);
    expect(seen.out).not.toMatch(/shutting down|HASH_SALT/);
    // The unknown setting is a warning: on the screen as a sentence, not JSON.
    expect(seen.screen).toBe(
      "kneebot warning: KNEEBOT_TYPO is not a kneebot setting and is ignored.\n",
    );
    const log = readFileSync(join(dir, TERMINAL_LOG_FILE), "utf8");
    expect(log).toMatch(/KNEEBOT_HASH_SALT is not set/);
    expect(log).toMatch(/shutting down/);
    for (const line of log.trim().split("\n")) expect(() => JSON.parse(line)).not.toThrow();
  });

  it("shows an error in one sentence that names the log file", () => {
    const line = JSON.stringify({
      level: "error",
      msg: "follow-up poll failed",
      err: { message: "disk I/O error", stack: "Error: disk I/O error\n    at x" },
    });
    expect(screenLine(line, "data/kneebot.log")).toBe(
      "kneebot error: follow-up poll failed (disk I/O error). Details are in data/kneebot.log.",
    );
    expect(screenLine(JSON.stringify({ level: "info", msg: "ready" }), "x")).toBeUndefined();
    expect(screenLine("not json", "x")).toBeUndefined();
  });

  it("answers every piped line: one local person is never rate-limited", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-term-"));
    const lines = Array.from({ length: 30 }, () => "should I ice my knee?");
    const seen = await startTerminal({ KNEEBOT_DATA_DIR: dir, KNEEBOT_RATE_LIMIT: "2/1" }, lines);
    expect(seen.out).not.toContain(w.rate_limited);
    expect(seen.out.match(/Ice can ease pain/g)?.length).toBe(30);
  });

  it("says how a check-in reaches the terminal, shows local time, and delivers it at the next start", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-term-"));
    const monday = Date.UTC(2026, 10, 30, 9); // Monday 30 November, 10:00 in Paris
    const t1 = await openTerminal({ KNEEBOT_DATA_DIR: dir }, { now: () => monday });
    const check = await checkToOffer(t1, w.followup_offer);
    // Numbers and words both answered the questions, and the check reached its outcome.
    expect(check).toMatch(/type the numbers that apply/);
    expect(check).toMatch(/Likely:/);
    await t1.say("1");
    const first = await t1.close();
    expect(first.out).toContain(w.followup_offer);
    expect(first.out).not.toMatch(/by DM/);
    expect(first.out).toContain(CHECK_IN_NOTE.kept);
    // Booked for the evening two days on, in the computer's time zone, not UTC.
    expect(first.out).toMatch(/Wednesday 2 December at 18:00 CET/);
    expect(first.out).not.toMatch(/UTC/);
    expect(first.out).not.toMatch(/checking in/);

    // kneebot wasn't running when it fell due: the next `npm start` shows it.
    const t2 = await openTerminal(
      { KNEEBOT_DATA_DIR: dir },
      { now: () => monday + 3 * 86_400_000 },
    );
    await t2.waitFor(/How's your knee today\?/);
    const second = await t2.close();
    expect(second.out).toMatch(/checking in, as you asked\. How's your knee today\?/);
    expect(second.out).toMatch(/1\) Better/);
  });

  it("with the memory store, says the check-in is forgotten at quit", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-term-"));
    const t = await openTerminal({ KNEEBOT_DATA_DIR: dir, KNEEBOT_STORE: "memory" });
    await checkToOffer(t, w.followup_offer);
    await t.say("4");
    const seen = await t.close();
    expect(seen.out).toContain(CHECK_IN_NOTE["this-run"]);
    expect(existsSync(join(dir, TERMINAL_LOG_FILE))).toBe(true);
  });

  it("help doesn't mention buttons the terminal doesn't have", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-term-"));
    const seen = await startTerminal({ KNEEBOT_DATA_DIR: dir }, ["/help", "help"]);
    expect(seen.out).toMatch(/Here's what I can do/);
    expect(seen.out).not.toMatch(/button/i);
    expect(seen.out).toMatch(/1\) Yes, check my knee/);
  });
});
