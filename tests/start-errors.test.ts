/**
 * Errors a newcomer meets at `npm start`: no network for Discord or Slack, a refused token, no
 * Redis. Each is one line saying what failed and what to check, with no stack trace.
 */
import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { startApp } from "../bin/app.ts";
import { describeStartFailure, errorCode, startFailure } from "../bin/start-errors.ts";

const root = join(import.meta.dirname, "..");
/** A host that never resolves (RFC 6761), so "no network" needs no network. */
const OFFLINE = "http://kneebot-offline.invalid/api";
const DISCORD = {
  DISCORD_TOKEN: "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789ab",
  DISCORD_APPLICATION_ID: "123456789012345678",
};
const SLACK = { SLACK_BOT_TOKEN: "xoxb-1-2-abc", SLACK_APP_TOKEN: "xapp-1-abc" };

/** What startApp rejects with, as `npm start` would print it. */
async function startMessage(env: Record<string, string>): Promise<string> {
  const err = await startApp({ LOG_LEVEL: "silent", ...env }).then(
    () => new Error("started"),
    (e: unknown) => e,
  );
  return startFailure(err, env);
}

/** One line, no stack frames. */
function expectOneLine(text: string) {
  expect(text.trim().split("\n")).toHaveLength(1);
  expect(text).not.toMatch(/\n\s+at |\(node:/);
}

describe("start-up failures, in words", () => {
  let dir = "";
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("Discord with no network: says it couldn't reach Discord and to check the connection", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-start-"));
    const text = await startMessage({
      KNEEBOT_DATA_DIR: dir,
      ...DISCORD,
      DISCORD_API_URL: OFFLINE,
    });
    expect(text).toMatch(
      /^kneebot cannot start: Could not reach Discord: looking up kneebot-offline\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)\. Check this computer's internet connection and DISCORD_API_URL/,
    );
    expectOneLine(text);
  });

  it("Slack with no network: fails at once (no minutes of retries), in one line", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-start-"));
    const started = Date.now();
    const text = await startMessage({ KNEEBOT_DATA_DIR: dir, ...SLACK, SLACK_API_URL: OFFLINE });
    expect(text).toMatch(
      /^kneebot cannot start: Could not reach Slack: looking up kneebot-offline\.invalid failed \((ENOTFOUND|EAI_AGAIN)\)\. Check this computer's internet connection and SLACK_API_URL/,
    );
    expectOneLine(text);
    expect(Date.now() - started).toBeLessThan(60_000);
  });

  it("Redis that isn't running: names REDIS_URL and the way out, in one line", async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-start-"));
    const text = await startMessage({
      KNEEBOT_DATA_DIR: dir,
      KNEEBOT_STORE: "redis",
      REDIS_URL: "redis://127.0.0.1:1",
    });
    expect(text).toMatch(
      /^kneebot cannot start: Could not reach Redis at 127\.0\.0\.1:1 \(REDIS_URL\)\. Check that Redis runs .*KNEEBOT_STORE=sqlite/,
    );
    expectOneLine(text);
  });

  it("reads the code through fetch's cause chain, and names refused tokens and intents", () => {
    const fetchFailed = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED 10.0.0.1:443"), {
        code: "ECONNREFUSED",
      }),
    });
    expect(errorCode(fetchFailed)).toBe("ECONNREFUSED");
    expect(describeStartFailure("slack", fetchFailed)).toBe(
      "Could not connect to Slack at slack.com (ECONNREFUSED). Check the internet connection, and any firewall or proxy between this computer and slack.com.",
    );
    const token = Object.assign(new Error("An invalid token was provided."), {
      code: "TokenInvalid",
    });
    expect(describeStartFailure("discord", token)).toMatch(/^Discord refused DISCORD_TOKEN\./);
    const intents = Object.assign(new Error("Used disallowed intents"), {
      code: "DisallowedIntents",
    });
    expect(describeStartFailure("discord", intents)).toMatch(/Message Content Intent/);
    const odd = new Error("something odd\n    at somewhere (file.ts:1:1)");
    const line = describeStartFailure("discord", odd);
    expect(line).toBe(
      "Starting Discord failed (something odd). Check the Discord settings in your .env; LOG_LEVEL=debug logs more.",
    );
  });

  it("an unexpected crash is one line too, with the stack only under LOG_LEVEL=debug", () => {
    const err = new Error("boom");
    const plain = startFailure(err, {});
    expect(plain).toBe("kneebot crashed while starting: boom. Set LOG_LEVEL=debug to see where.");
    expect(startFailure(err, { LOG_LEVEL: "debug" })).toMatch(/boom\n\s+at /);
  });

  // Spawns Node and loads the whole app: a guard timeout for a very busy machine (see cli.test.ts).
  it("npm start prints that one line on stderr and exits 1", { timeout: 600_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), "kneebot-start-"));
    const { stderr, code } = await new Promise<{ stderr: string; code: number | null }>(
      (resolve) => {
        // `node --import tsx` is what the Dockerfile and the systemd unit run.
        const child = spawn(process.execPath, ["--import", "tsx", join(root, "bin/start.ts")], {
          cwd: root,
          env: {
            ...process.env,
            KNEEBOT_DATA_DIR: dir,
            LOG_LEVEL: "warn",
            ...DISCORD,
            DISCORD_API_URL: OFFLINE,
          },
        });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.on("close", (c) => resolve({ stderr: err, code: c }));
        child.stdin.end();
      },
    );
    expect(code).toBe(1);
    expect(stderr).toMatch(/^kneebot cannot start: Could not reach Discord/);
    expectOneLine(stderr);
  });
});
