/**
 * Follow-up throughput: check-ins scheduled per second and delivered per second (to a no-op
 * sender), on SQLite (a file in a temp folder) and on Redis with BullMQ (skipped when no Redis
 * answers at REDIS_URL or 127.0.0.1:6379). `npm run bench` prints the result.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { createBullmqScheduler } from "../src/followups/bullmq-scheduler.ts";
import { createSqliteScheduler } from "../src/followups/sqlite-scheduler.ts";
import { type NewFollowUp, newJobId, type Scheduler } from "../src/followups/types.ts";
import { openDatabase } from "../src/store/sqlite.ts";

const SQLITE_JOBS = 5_000;
const REDIS_JOBS = 2_000;

const job = (i: number, dueAt: number): NewFollowUp => ({
  id: newJobId(),
  platform: "bench",
  userId: `U${i % 500}`,
  dueAt,
  seq: 1,
  condition: "pfps",
  level: "self_care",
});

const perSecond = (n: number, startedNs: bigint) =>
  n / (Number(process.hrtime.bigint() - startedNs) / 1e9);

async function measure(
  scheduler: Scheduler,
  n: number,
  parallel: number,
): Promise<{ scheduled: number; delivered: number }> {
  const due = Date.now();
  let t = process.hrtime.bigint();
  for (let i = 0; i < n; i += parallel) {
    const chunk = [];
    for (let j = i; j < Math.min(n, i + parallel); j++) chunk.push(scheduler.schedule(job(j, due)));
    await Promise.all(chunk);
  }
  const scheduled = perSecond(n, t);
  let delivered = 0;
  const all = new Promise<void>((resolve) => {
    t = process.hrtime.bigint();
    scheduler.start(async () => {
      if (++delivered === n) resolve();
      return { type: "sent" };
    });
  });
  await scheduler.runDue();
  await all;
  return { scheduled, delivered: perSecond(n, t) };
}

async function redisUrl(): Promise<string | undefined> {
  const url = process.env.REDIS_URL ?? "redis://127.0.0.1:6379";
  const probe = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 1000,
    retryStrategy: () => null,
  });
  probe.on("error", () => undefined);
  try {
    await probe.connect();
    await probe.ping();
    return url;
  } catch {
    return undefined;
  } finally {
    probe.disconnect();
  }
}

/** Scheduled/s and delivered/s on SQLite, and on Redis when one answers. */
export async function benchFollowUps(): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const dir = mkdtempSync(join(tmpdir(), "kneebot-bench-fu-"));
  try {
    const db = openDatabase(join(dir, "bench.db"));
    const sqlite = createSqliteScheduler(db, { batch: 64 });
    const r = await measure(sqlite, SQLITE_JOBS, 1);
    out["SQLite scheduled/s"] = r.scheduled;
    out["SQLite delivered/s"] = r.delivered;
    await sqlite.close();
    db.close();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  const url = await redisUrl();
  if (!url) return out;
  const prefix = `kneebot-bench:${randomBytes(4).toString("hex")}:`;
  const redis = createBullmqScheduler({ url, prefix, concurrency: 50 });
  try {
    const r = await measure(redis, REDIS_JOBS, 100);
    out["Redis+BullMQ scheduled/s"] = r.scheduled;
    out["Redis+BullMQ delivered/s"] = r.delivered;
  } finally {
    await redis.close();
    const admin = new Redis(url);
    let cursor = "0";
    do {
      const [next, keys] = await admin.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 1000);
      cursor = next;
      if (keys.length > 0) await admin.del(...keys);
    } while (cursor !== "0");
    await admin.quit();
  }
  return out;
}
