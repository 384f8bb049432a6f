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

async function converse(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (d) => (out += d));
  const done = runTerminal({ engine: testEngine(), input, output, interactive: false });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return out;
}

describe("terminal adapter", () => {
  it("numbers choices and takes a number, several numbers for a checklist, or free text", async () => {
    const out = await converse(["check my knee", "12", "4", "1", "none", "1", "none"]);
    expect(out).toMatch(/ 1\) Short of breath/);
    expect(out).toMatch(/type the numbers that apply/);
    expect(out).toMatch(/How did it start\?/);
    expect(out).toMatch(/Patellofemoral pain/);
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

/** `npm start` in the terminal, in-process: piped lines in, what the chat and the screen show. */
async function startTerminal(
  env: Record<string, string>,
  lines: string[],
  opts: { now?: () => number; timeZone?: string; until?: RegExp } = {},
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
  input.write(lines.map((l) => `${l}\n`).join(""));
  if (opts.until) {
    // Something that arrives on its own (a check-in due at start): wait for it, then end.
    for (let i = 0; i < 200 && !opts.until.test(seen.out); i++) {
      await new Promise((r) => setTimeout(r, 25));
    }
  }
  input.end();
  await app.done;
  await app.shutdown();
  return seen;
}

/** Answers that reach a self-care outcome (runner's knee) and its check-in offer. */
const TO_OUTCOME = ["check my knee", "12", "4", "1", "none", "1", "none"];

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
    const first = await startTerminal({ KNEEBOT_DATA_DIR: dir }, [...TO_OUTCOME, "1"], {
      now: () => monday,
    });
    expect(first.out).toContain(w.followup_offer);
    expect(first.out).not.toMatch(/by DM/);
    expect(first.out).toContain(CHECK_IN_NOTE.kept);
    // Booked for the evening two days on, in the computer's time zone, not UTC.
    expect(first.out).toMatch(/Wednesday 2 December at 18:00 CET/);
    expect(first.out).not.toMatch(/UTC/);
    expect(first.out).not.toMatch(/checking in/);

    // kneebot wasn't running when it fell due: the next `npm start` shows it.
    const second = await startTerminal({ KNEEBOT_DATA_DIR: dir }, [], {
      now: () => monday + 3 * 86_400_000,
      until: /How's your knee today\?/,
    });
    expect(second.out).toMatch(/checking in, as you asked\. How's your knee today\?/);
    expect(second.out).toMatch(/1\) Better/);
  });

  it("with the memory store, says the check-in is forgotten at quit", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-term-"));
    const seen = await startTerminal({ KNEEBOT_DATA_DIR: dir, KNEEBOT_STORE: "memory" }, [
      ...TO_OUTCOME,
      "4",
    ]);
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
