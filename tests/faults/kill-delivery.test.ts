/**
 * Exactly once as the runner sees it: delivery processes are killed with SIGKILL at random
 * moments while they send due check-ins to the fake Discord and fake Slack (whose answers come
 * back slowly, so kills land between "the platform accepted it" and "marked sent"). Then one
 * more run finishes the work, and the test counts what the fakes accepted per check-in:
 * 0 lost, 0 doubled, and every record "sent". SQLite (one process at a time) and Redis with
 * BullMQ (two processes). Bounded by count: kills, check-ins; generous timeouts.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import Database from "better-sqlite3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBullmqScheduler } from "../../src/followups/bullmq-scheduler.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { NewFollowUp, Scheduler } from "../../src/followups/types.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import { waitFor } from "../followups/wait.ts";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack/server.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";

const root = join(import.meta.dirname, "../..");
const JOBS = 120;
const KILLS = 10;

let discord: FakeDiscord;
let slack: FakeSlack;
// A deterministic random sequence, so a failure can be reproduced.
let seed = 16;
const random = () => {
  seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
  return seed / 2 ** 31;
};

beforeAll(async () => {
  discord = await FakeDiscord.start();
  slack = await startFakeSlack();
  // Slow answers after the effect: the window a kill must not turn into a duplicate.
  discord.responseDelayMs = () => 150 + Math.floor(random() * 600);
  slack.answerDelays.set("chat.postMessage", () => 150 + Math.floor(random() * 600));
});
afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  await discord.close();
  await slack.close();
});

/** 120 due check-ins, half on Discord and half on Slack, one user each. */
function dueJobs(): NewFollowUp[] {
  const now = Date.now();
  return Array.from({ length: JOBS }, (_, i) => {
    const onDiscord = i % 2 === 0;
    const userId = onDiscord ? discord.addUser(`runner${i}`).id : `UK${i}X${seed}`;
    return {
      id: `f${String(i).padStart(4, "0")}${Math.floor(random() * 1e12).toString(16)}`,
      platform: onDiscord ? "discord" : "slack",
      userId,
      dueAt: now - 60_000,
      seq: 1,
      condition: "pfps",
      level: "self_care",
    };
  });
}

/** Messages each fake accepted for `job` (by the check-in's button set id). */
function accepted(job: NewFollowUp): number {
  const set = `u.${job.id}`;
  if (job.platform === "discord") {
    return discord.sent.filter(
      (s) =>
        s.via === "channel" &&
        s.dmUserId === job.userId &&
        JSON.stringify(s.components).includes(set),
    ).length;
  }
  return (slack.history.get(`D${job.userId}`) ?? []).filter((m) =>
    JSON.stringify(m.blocks).includes(set),
  ).length;
}

/** A delivery process, loaded and waiting for GO (spawned as node itself, so -9 reaches it). */
interface Child {
  child: ChildProcess;
  warm: Promise<void>;
  ready: Promise<void>;
}

/** Every process started, so none outlives a failed test. */
const children = new Set<ChildProcess>();

function spawnChild(env: Record<string, string>): Child {
  const child = spawn(
    process.execPath,
    ["--import", "tsx", join(import.meta.dirname, "delivery-child.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        ...env,
        FAULT_DISCORD_API: discord.apiUrl,
        FAULT_DISCORD_TOKEN: discord.token,
        FAULT_SLACK_API: slack.apiUrl,
      },
      stdio: ["pipe", "pipe", "pipe"],
    },
  );
  children.add(child);
  child.once("exit", () => children.delete(child));
  let out = "";
  let err = "";
  child.stderr!.on("data", (d) => (err += d));
  const seen = (word: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => out.includes(word) && resolve();
      child.stdout!.on("data", (d) => {
        out += d;
        check();
      });
      child.on("exit", (code, signal) => {
        if (signal !== "SIGKILL" && signal !== "SIGTERM")
          reject(new Error(`delivery child exited ${code}: ${err.slice(-2000)}`));
      });
    });
  return { child, warm: seen("WARM"), ready: seen("READY") };
}

async function go(c: Child): Promise<void> {
  await c.warm;
  c.child.stdin!.write("GO\n");
  await c.ready;
}

const exited = (child: ChildProcess) =>
  child.exitCode !== null || child.signalCode !== null
    ? Promise.resolve()
    : new Promise<void>((r) => child.once("exit", () => r()));

/**
 * Runs `processes` delivery processes and kills one with SIGKILL `KILLS` times, each time at a
 * random count of newly accepted messages (1 to 4), so the kill lands while the fakes still
 * hold the answers to sends they accepted: the window where a resend would be a duplicate.
 * A loaded spare process takes over at once. Then the rest is delivered.
 */
async function crashLoop(
  env: Record<string, string>,
  processes: number,
  jobs: NewFollowUp[],
  statuses: () => Promise<string[]>,
): Promise<{ kills: number; inWindow: number; resendsCaught: number }> {
  const caught = () => discord.nonceHits.length + historyHits();
  const caughtBefore = caught();
  const total = () => jobs.reduce((n, j) => n + accepted(j), 0);
  // Every process is started and loaded up front (the machine may be slow), so each kill is
  // followed at once by a takeover.
  const spares = Array.from({ length: processes + KILLS }, () => spawnChild(env));
  await Promise.all(spares.map((c) => c.warm));
  const running = spares.splice(0, processes);
  await Promise.all(running.map(go));
  let kills = 0;
  let inWindow = 0;
  while (kills < KILLS) {
    const target = total() + 1 + Math.floor(random() * 4);
    await waitFor(() => total() >= target, "deliveries to kill during", 120_000);
    const at = Math.floor(random() * running.length);
    const victim = running[at]!;
    victim.child.kill("SIGKILL");
    kills++;
    // Sends the fakes accepted whose answers were still held back when the process died.
    if (discord.heldAnswers > 0 || slack.heldAnswers > 0) inWindow++;
    await exited(victim.child);
    running[at] = spares.shift()!;
    await go(running[at]!);
  }
  await waitFor(
    async () => (await statuses()).every((s) => s === "sent"),
    "every check-in marked sent",
    180_000,
  );
  for (const r of running) {
    r.child.kill("SIGTERM");
    await exited(r.child);
  }
  return { kills, inWindow, resendsCaught: caught() - caughtBefore };
}

/** Slack resends that found their message already in the DM's history. */
const historyHits = () =>
  slack
    .calls("conversations.history")
    .filter((c) =>
      ((c.result.messages as { metadata?: unknown }[] | undefined) ?? []).some(
        (m) => m.metadata !== undefined,
      ),
    ).length;

function expectExactlyOnce(jobs: NewFollowUp[]): void {
  const counts = jobs.map(accepted);
  const lost = counts.filter((n) => n === 0).length;
  const doubled = counts.filter((n) => n > 1).length;
  expect({ lost, doubled }).toEqual({ lost: 0, doubled: 0 });
}

describe("kill -9 during delivery", () => {
  it("SQLite, one process: 10 kills, 120 check-ins, 0 lost, 0 doubled", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-kill-"));
    const file = join(dir, "kneebot.db");
    const seedDb = openDatabase(file);
    const scheduler: Scheduler = createSqliteScheduler(seedDb);
    const jobs = dueJobs();
    for (const j of jobs) await scheduler.schedule(j);
    await scheduler.close();
    seedDb.close();
    const statuses = async () => {
      const db = new Database(file, { readonly: true, fileMustExist: true });
      try {
        return db.prepare("SELECT status FROM followups").pluck().all() as string[];
      } finally {
        db.close();
      }
    };
    const { kills, inWindow, resendsCaught } = await crashLoop(
      { FAULT_STORE: "sqlite", FAULT_DATA_DIR: dir },
      1,
      jobs,
      statuses,
    );
    expect(kills).toBeGreaterThanOrEqual(10);
    expect(inWindow).toBeGreaterThanOrEqual(5);
    // The resends after those kills were answered by the nonce or found in the history.
    expect(resendsCaught).toBeGreaterThan(0);
    expect(await statuses()).toHaveLength(JOBS);
    expectExactlyOnce(jobs);
    rmSync(dir, { recursive: true, force: true });
  }, 900_000);

  it.skipIf(!redisUp)(
    `Redis, two processes: 10 kills, 120 check-ins, 0 lost, 0 doubled${REDIS_NOTICE}`,
    async () => {
      const prefix = uniquePrefix("kill");
      const scheduler = createBullmqScheduler({ url: REDIS_URL, prefix });
      const jobs = dueJobs();
      for (const j of jobs) await scheduler.schedule(j);
      await scheduler.close();
      const redis = testClient();
      const statuses = async () => {
        const rows = await redis.mget(jobs.map((j) => `${prefix}fu:job:${j.id}`));
        return rows.map((r) => (r ? (JSON.parse(r) as { status: string }).status : "missing"));
      };
      try {
        const { kills, inWindow, resendsCaught } = await crashLoop(
          { FAULT_STORE: "redis", FAULT_REDIS_URL: REDIS_URL, FAULT_REDIS_PREFIX: prefix },
          2,
          jobs,
          statuses,
        );
        expect(kills).toBeGreaterThanOrEqual(10);
        expect(inWindow).toBeGreaterThanOrEqual(5);
        // The resends after those kills were answered by the nonce or found in the history.
        expect(resendsCaught).toBeGreaterThan(0);
        expectExactlyOnce(jobs);
      } finally {
        await deletePrefix(redis, prefix);
        redis.disconnect();
      }
    },
    900_000,
  );
});
