import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import {
  type DeliveryResult,
  type FollowUpJob,
  LATE_AFTER_MS,
  MAX_ATTEMPTS,
  type NewFollowUp,
  newJobId,
} from "../../src/followups/types.ts";
import { openDatabase } from "../../src/store/sqlite.ts";

const T0 = Date.UTC(2026, 10, 1, 12);
const HOUR = 60 * 60 * 1000;

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), "kneebot-sched-"));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function job(dueAt: number, userId = "u1", extra: Partial<NewFollowUp> = {}): NewFollowUp {
  return {
    id: newJobId(),
    platform: "slack",
    userId,
    dueAt,
    seq: 1,
    condition: "pfps",
    level: "self_care",
    ...extra,
  };
}

function setup(options: { file?: string } = {}) {
  const clock = { t: T0 };
  const db = openDatabase(options.file ?? join(dir, "kneebot.db"));
  const scheduler = createSqliteScheduler(db, { now: () => clock.t, pollMs: 3_600_000 });
  const delivered: Array<{ job: FollowUpJob; lateMs: number }> = [];
  let answer: (job: FollowUpJob) => DeliveryResult = () => ({ type: "sent" });
  scheduler.start(async (j, lateMs) => {
    delivered.push({ job: j, lateMs });
    return answer(j);
  });
  return {
    clock,
    db,
    scheduler,
    delivered,
    answer(fn: (job: FollowUpJob) => DeliveryResult) {
      answer = fn;
    },
  };
}

describe("SQLite scheduler", () => {
  it("delivers a job when the clock reaches it, once", async () => {
    const s = setup();
    const a = await s.scheduler.schedule(job(T0 + 2 * HOUR));
    await s.scheduler.schedule(job(T0 + 5 * HOUR));
    expect(await s.scheduler.runDue()).toBe(0);
    s.clock.t = T0 + 2 * HOUR;
    expect(await s.scheduler.runDue()).toBe(1);
    expect(s.delivered.map((d) => d.job.id)).toEqual([a.id]);
    expect(await s.scheduler.runDue()).toBe(0);
    expect((await s.scheduler.get("slack", "u1", a.id))?.status).toBe("sent");
    s.clock.t = T0 + 10 * HOUR;
    expect(await s.scheduler.runDue()).toBe(1);
    expect(s.delivered).toHaveLength(2);
    await s.scheduler.close();
    s.db.close();
  });

  it("is idempotent on the job id", async () => {
    const s = setup();
    const j = job(T0);
    await s.scheduler.schedule(j);
    await s.scheduler.schedule({ ...j, dueAt: T0 + HOUR });
    expect(await s.scheduler.list("slack", "u1")).toHaveLength(1);
    await s.scheduler.runDue();
    expect(s.delivered).toHaveLength(1);
    s.db.close();
  });

  it("retries transient failures with exponential backoff, then gives up as undeliverable", async () => {
    const s = setup();
    const j = await s.scheduler.schedule(job(T0));
    s.answer(() => ({ type: "retry", error: "http-503" }));
    await s.scheduler.runDue();
    let row = await s.scheduler.get("slack", "u1", j.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, lastError: "http-503" });
    // Not before the backoff.
    s.clock.t = T0 + 29_000;
    expect(await s.scheduler.runDue()).toBe(0);
    s.clock.t = T0 + 30_000;
    expect(await s.scheduler.runDue()).toBe(1);
    // Each retry waits twice as long as the one before.
    s.clock.t += 59_000;
    expect(await s.scheduler.runDue()).toBe(0);
    s.clock.t += 1_000;
    expect(await s.scheduler.runDue()).toBe(1);
    for (let i = 0; i < 20; i++) {
      s.clock.t += HOUR;
      await s.scheduler.runDue();
    }
    expect(s.delivered).toHaveLength(MAX_ATTEMPTS);
    row = await s.scheduler.get("slack", "u1", j.id);
    expect(row?.status).toBe("undeliverable");
    expect(row?.lastError).toMatch(/^attempts-exhausted/);
    s.db.close();
  });

  it("records a closed DM as undeliverable and never retries it", async () => {
    const s = setup();
    const j = await s.scheduler.schedule(job(T0));
    s.answer(() => ({ type: "undeliverable", reason: "dm-closed" }));
    await s.scheduler.runDue();
    for (let i = 0; i < 5; i++) {
      s.clock.t += 24 * HOUR;
      await s.scheduler.runDue();
    }
    expect(s.delivered).toHaveLength(1);
    expect(await s.scheduler.get("slack", "u1", j.id)).toMatchObject({
      status: "undeliverable",
      lastError: "dm-closed",
      attempts: 1,
    });
    expect(await s.scheduler.list("slack", "u1")).toEqual([]);
    s.db.close();
  });

  it("treats a throwing sender as a transient failure", async () => {
    const s = setup();
    const j = await s.scheduler.schedule(job(T0));
    s.answer(() => {
      throw new Error("socket hang up");
    });
    await s.scheduler.runDue();
    expect(await s.scheduler.get("slack", "u1", j.id)).toMatchObject({
      status: "pending",
      lastError: "exception",
    });
    s.db.close();
  });

  it("passes how late a delivery is, for the 24-hour rule", async () => {
    const s = setup();
    await s.scheduler.schedule(job(T0));
    await s.scheduler.schedule(job(T0 + HOUR));
    s.clock.t = T0 + HOUR + LATE_AFTER_MS + 1;
    await s.scheduler.runDue();
    const late = s.delivered.map((d) => d.lateMs).sort((a, b) => a - b);
    expect(late).toEqual([LATE_AFTER_MS + 1, LATE_AFTER_MS + HOUR + 1]);
    s.db.close();
  });

  it("lists, snoozes, cancels and forgets one user's jobs only", async () => {
    const s = setup();
    const a = await s.scheduler.schedule(job(T0 + 3 * HOUR));
    const b = await s.scheduler.schedule(job(T0 + HOUR));
    const other = await s.scheduler.schedule(job(T0 + HOUR, "u2"));
    expect((await s.scheduler.list("slack", "u1")).map((j) => j.id)).toEqual([b.id, a.id]);
    expect(await s.scheduler.list("discord", "u1")).toEqual([]);

    expect(await s.scheduler.snooze("slack", "u1", b.id, T0 + 5 * HOUR)).toBe(true);
    expect(await s.scheduler.snooze("slack", "u2", a.id, T0)).toBe(false);
    expect((await s.scheduler.list("slack", "u1")).map((j) => j.id)).toEqual([a.id, b.id]);

    expect(await s.scheduler.cancel("slack", "u1", a.id)).toBe(1);
    expect(await s.scheduler.cancel("slack", "u2", b.id)).toBe(0);
    s.clock.t = T0 + 4 * HOUR;
    await s.scheduler.runDue();
    expect(s.delivered.map((d) => d.job.id)).toEqual([other.id]);

    expect(await s.scheduler.cancel("slack", "u1")).toBe(1);
    s.clock.t = T0 + 10 * HOUR;
    await s.scheduler.runDue();
    expect(s.delivered).toHaveLength(1);

    await s.scheduler.forgetUser("slack", "u1");
    expect(await s.scheduler.get("slack", "u1", a.id)).toBeUndefined();
    const rows = s.db.prepare("SELECT COUNT(*) AS n FROM followups WHERE user_id = 'u1'").get();
    expect(rows).toEqual({ n: 0 });
    expect(await s.scheduler.get("slack", "u2", other.id)).toBeDefined();
    s.db.close();
  });

  it("picks up after a process that was dropped mid-send, without a graceful stop", async () => {
    const file = join(dir, "dropped.db");
    const clock = { t: T0 };
    const db1 = openDatabase(file);
    const first = createSqliteScheduler(db1, { now: () => clock.t, pollMs: 3_600_000 });
    const ids = [];
    for (let i = 0; i < 3; i++) ids.push((await first.schedule(job(T0 - i * HOUR))).id);
    const later = (await first.schedule(job(T0 + 6 * HOUR))).id;
    const hung: string[] = [];
    first.start(async (j) => {
      hung.push(j.id);
      return new Promise<DeliveryResult>(() => undefined);
    });
    void first.runDue();
    await new Promise((r) => setTimeout(r, 20));
    expect(hung.sort()).toEqual([...ids].sort());
    // No stop(), no close(): the "process" is simply gone; its claims stay in the file.
    const db2 = openDatabase(file);
    clock.t = T0 + 12 * HOUR;
    const second = createSqliteScheduler(db2, { now: () => clock.t, pollMs: 3_600_000 });
    const got: string[] = [];
    second.start(async (j) => {
      got.push(j.id);
      return { type: "sent" };
    });
    await second.runDue();
    expect(got.sort()).toEqual([...ids, later].sort());
    await second.runDue();
    expect(got).toHaveLength(4);
    db2.close();
    db1.close();
  });

  it("survives SIGKILL mid-send: every job delivered exactly once after restart", async () => {
    const file = join(dir, "crash.db");
    const log = join(dir, "sent.log");
    writeFileSync(log, "");
    const db = openDatabase(file);
    const setupScheduler = createSqliteScheduler(db, { now: () => T0 });
    const ids: string[] = [];
    // 10 due before the crash, 5 that fall due while the bot is down.
    for (let i = 0; i < 10; i++) ids.push((await setupScheduler.schedule(job(T0 - i * 1000))).id);
    for (let i = 0; i < 5; i++)
      ids.push((await setupScheduler.schedule(job(T0 + (i + 1) * HOUR, `u${i}`))).id);
    db.close();

    const child = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        fileURLToPath(new URL("./fixtures/crash-child.ts", import.meta.url)),
        file,
        log,
        String(T0),
        "6",
      ],
      { stdio: ["ignore", "ignore", "pipe"] },
    );
    let stderr = "";
    child.stderr.on("data", (d) => {
      stderr += String(d);
    });
    const exited = new Promise<NodeJS.Signals | null>((r) => child.on("exit", (_c, sig) => r(sig)));
    const deadline = Date.now() + 20_000;
    while (!existsSync(`${log}.hung`)) {
      if (Date.now() > deadline || child.exitCode !== null) throw new Error(`child: ${stderr}`);
      await new Promise((r) => setTimeout(r, 20));
    }
    child.kill("SIGKILL");
    expect(await exited).toBe("SIGKILL");
    const before = readFileSync(log, "utf8").split("\n").filter(Boolean);
    expect(before).toHaveLength(6);

    // Restart a day later: the hung claims' leases have expired, the later jobs are due.
    const db2 = openDatabase(file);
    const restarted = createSqliteScheduler(db2, { now: () => T0 + 24 * HOUR });
    const after: string[] = [];
    restarted.start(async (j) => {
      after.push(j.id);
      return { type: "sent" };
    });
    await restarted.runDue();
    const all = [...before, ...after];
    expect([...all].sort()).toEqual([...ids].sort());
    expect(new Set(all).size).toBe(all.length);
    const statuses = db2
      .prepare("SELECT status, COUNT(*) AS n FROM followups GROUP BY status")
      .all();
    expect(statuses).toEqual([{ status: "sent", n: 15 }]);
    await restarted.close();
    db2.close();
  }, 120_000);
});
