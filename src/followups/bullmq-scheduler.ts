/**
 * The scale-out scheduler: BullMQ delayed jobs on Redis, for several bot processes. Any process
 * may schedule; every process that called start() runs a worker, and BullMQ hands each due job
 * to exactly one of them (a lock per active job).
 *
 * What lives where: the BullMQ job carries only our job id (no user or health data); the job
 * itself is a JSON record at `<prefix>fu:job:<id>`, and `<prefix>fu:user:<platform>:<userId>`
 * is the set of a user's job ids, for list, stop and "forget me". Status changes go through one
 * Lua script that checks the current status, so a cancel and a delivery never both win.
 *
 * Duplicates: a worker dying after the platform accepted the DM and before the record says
 * "sent" leaves a stalled job that another worker runs again; that run sends with the same key
 * and `resend: true`, so the platform's copy is found instead of a second DM.
 */
import { Queue, UnrecoverableError, Worker } from "bullmq";
import { Redis } from "ioredis";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import { DEFAULT_REDIS_PREFIX } from "../store/redis.ts";
import {
  type DeliverFn,
  type FollowUpJob,
  type FollowUpStatus,
  MAX_ATTEMPTS,
  type NewFollowUp,
  type Scheduler,
} from "./types.ts";

/** Options for the BullMQ scheduler. */
export interface BullmqSchedulerOptions {
  /** redis:// or rediss:// URL. */
  url: string;
  /** Prefix of every key (default "kneebot:"); tests use a unique one each. */
  prefix?: string;
  /** Attempts before a transiently failing job becomes undeliverable (default MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Base of BullMQ's exponential retry delay (default 30 s). */
  backoffBaseMs?: number;
  /** Jobs one worker delivers at once (default 8). */
  concurrency?: number;
  /**
   * How long an active job's lock lasts without renewal, and how often workers look for jobs
   * whose worker died (default BullMQ's 30 s).
   */
  lockMs?: number;
  /** Finished records are kept this long, then Redis drops them (default 30 days). */
  keepFinishedMs?: number;
  now?: () => number;
  logger?: Logger;
}

/** The BullMQ queue name. */
export const FOLLOWUP_QUEUE = "followups";
const DAY = 24 * 60 * 60 * 1000;

// KEYS[1] record; ARGV[1] JSON patch, ARGV[2] PX (0 keeps the TTL), ARGV[3..] allowed statuses.
const TRANSITION = `
local v = redis.call("get", KEYS[1])
if not v then return false end
local j = cjson.decode(v)
local ok = false
for i = 3, #ARGV do if j.status == ARGV[i] then ok = true end end
if not ok then return false end
for k, val in pairs(cjson.decode(ARGV[1])) do j[k] = val end
local s = cjson.encode(j)
if tonumber(ARGV[2]) > 0 then redis.call("set", KEYS[1], s, "PX", ARGV[2]) else redis.call("set", KEYS[1], s, "KEEPTTL") end
return s`;

/** A Scheduler on Redis with BullMQ. It opens its own connections and closes them in close(). */
export function createBullmqScheduler(options: BullmqSchedulerOptions): Scheduler {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const keepFinished = options.keepFinishedMs ?? 30 * DAY;
  const bullPrefix = `${prefix}bull`;
  // BullMQ needs maxRetriesPerRequest: null on connections it blocks on.
  const redis = new Redis(options.url, { maxRetriesPerRequest: null });
  const queue = new Queue<{ id: string }>(FOLLOWUP_QUEUE, {
    connection: redis,
    prefix: bullPrefix,
  });
  const jobKey = (id: string) => `${prefix}fu:job:${id}`;
  const userKey = (platform: string, userId: string) => `${prefix}fu:user:${platform}:${userId}`;
  let worker: { w: Worker<{ id: string }>; conn: Redis } | undefined;

  const read = async (id: string): Promise<FollowUpJob | undefined> => {
    const json = await redis.get(jobKey(id));
    return json ? (JSON.parse(json) as FollowUpJob) : undefined;
  };
  const transition = async (
    id: string,
    from: FollowUpStatus[],
    patch: Partial<FollowUpJob>,
    ttlMs = 0,
  ): Promise<boolean> => {
    const r = await redis.eval(TRANSITION, 1, jobKey(id), JSON.stringify(patch), ttlMs, ...from);
    return r !== null;
  };
  const enqueue = async (id: string, dueAt: number) => {
    await queue.add(
      "checkin",
      { id },
      {
        jobId: id,
        delay: Math.max(0, dueAt - now()),
        attempts: maxAttempts,
        backoff: { type: "exponential", delay: options.backoffBaseMs ?? 30_000 },
        removeOnComplete: true,
        removeOnFail: true,
      },
    );
  };
  const finish = (id: string, status: FollowUpStatus, patch: Partial<FollowUpJob> = {}) =>
    transition(id, ["pending"], { ...patch, status }, keepFinished);

  const processor = async (
    deliver: DeliverFn,
    bullJob: { data: { id: string }; attemptsMade: number },
  ) => {
    const job = await read(bullJob.data.id);
    // Cancelled, forgotten, or already sent by a worker that died before BullMQ heard of it.
    if (job?.status !== "pending") return;
    const attempts = bullJob.attemptsMade + 1;
    // An attempt started before (a retry, or a worker that died mid-send): send idempotently.
    const resend = job.attempts > 0;
    await transition(job.id, ["pending"], { attempts: Math.max(attempts, job.attempts + 1) });
    let result: Awaited<ReturnType<DeliverFn>>;
    try {
      result = await deliver({ ...job, attempts }, Math.max(0, now() - job.dueAt), { resend });
    } catch (err) {
      logger.error({ err, jobId: job.id }, "follow-up delivery threw");
      result = { type: "retry", error: "exception" };
    }
    // A crash before this write is covered by the keyed resend of the stalled job.
    if (result.type === "sent") {
      await finish(job.id, "sent");
      return;
    }
    if (result.type === "undeliverable") {
      await finish(job.id, "undeliverable", { lastError: result.reason.slice(0, 200) });
      throw new UnrecoverableError(result.reason);
    }
    if (attempts >= maxAttempts) {
      await finish(job.id, "undeliverable", {
        lastError: `attempts-exhausted: ${result.error}`.slice(0, 200),
      });
      return;
    }
    await transition(job.id, ["pending"], { lastError: result.error.slice(0, 200) });
    throw new Error(result.error);
  };

  const reconcile = async () => {
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}fu:job:*`, "COUNT", 500);
      cursor = next;
      if (keys.length === 0) continue;
      for (const json of await redis.mget(keys)) {
        const job = json ? (JSON.parse(json) as FollowUpJob) : undefined;
        if (job?.status === "pending" && !(await queue.getJob(job.id)))
          await enqueue(job.id, job.dueAt);
      }
    } while (cursor !== "0");
  };

  const stop = async () => {
    const w = worker;
    worker = undefined;
    if (!w) return;
    await w.w.close();
    await w.conn.quit().catch(() => undefined);
  };

  return {
    async schedule(input: NewFollowUp) {
      const job: FollowUpJob = {
        ...input,
        createdAt: input.createdAt ?? now(),
        attempts: 0,
        status: "pending",
      };
      const created = await redis.set(jobKey(job.id), JSON.stringify(job), "NX");
      if (created !== "OK") return (await read(job.id))!;
      await redis.sadd(userKey(job.platform, job.userId), job.id);
      await enqueue(job.id, job.dueAt);
      return job;
    },
    async get(platform, userId, id) {
      const job = await read(id);
      return job && job.platform === platform && job.userId === userId ? job : undefined;
    },
    async list(platform, userId) {
      const ids = await redis.smembers(userKey(platform, userId));
      if (ids.length === 0) return [];
      const rows = await redis.mget(ids.map(jobKey));
      return rows
        .filter((r): r is string => r !== null)
        .map((r) => JSON.parse(r) as FollowUpJob)
        .filter((j) => j.status === "pending")
        .sort((a, b) => a.dueAt - b.dueAt || (a.id < b.id ? -1 : 1));
    },
    async cancel(platform, userId, id) {
      const ids = id === undefined ? await redis.smembers(userKey(platform, userId)) : [id];
      let n = 0;
      for (const one of ids) {
        const job = await read(one);
        if (!job || job.platform !== platform || job.userId !== userId) continue;
        if (await finish(one, "cancelled")) {
          n++;
          await queue.remove(one).catch(() => 0);
        }
      }
      return n;
    },
    async snooze(platform, userId, id, until) {
      const job = await read(id);
      if (!job || job.platform !== platform || job.userId !== userId) return false;
      // An active job (being sent right now) is locked: remove() says 0 and we refuse.
      const existing = await queue.getJob(id);
      if (existing && (await queue.remove(id)) === 0) return false;
      if (!(await transition(id, ["pending"], { dueAt: until }))) return false;
      await enqueue(id, until);
      return true;
    },
    async forgetUser(platform, userId) {
      const key = userKey(platform, userId);
      const ids = await redis.smembers(key);
      for (const id of ids) await queue.remove(id).catch(() => 0);
      if (ids.length > 0) await redis.del(...ids.map(jobKey));
      await redis.del(key);
    },
    start(deliver) {
      if (worker) return;
      // Re-queue pending records that have no BullMQ job: a crash between writing the record and
      // adding the job, or a job BullMQ failed after repeated stalls. add() with an existing
      // jobId is a no-op, so every process may do this at once.
      reconcile().catch((err: unknown) => logger.error({ err }, "follow-up reconcile failed"));
      const conn = new Redis(options.url, { maxRetriesPerRequest: null });
      const w = new Worker<{ id: string }>(FOLLOWUP_QUEUE, (job) => processor(deliver, job), {
        connection: conn,
        prefix: bullPrefix,
        concurrency: options.concurrency ?? 8,
        ...(options.lockMs
          ? { lockDuration: options.lockMs, stalledInterval: options.lockMs }
          : {}),
        // A job whose worker died is taken over by another (idempotently: the send is keyed by
        // the job); as with SQLite, only a job that keeps killing its worker is given up.
        maxStalledCount: maxAttempts * 2,
      });
      w.on("error", (err) => logger.error({ err }, "follow-up worker error"));
      worker = { w, conn };
    },
    async runDue() {
      // Hands jobs that are due by our clock (tests move it) to the workers straight away.
      const t = now();
      let n = 0;
      for (const bullJob of await queue.getDelayed(0, 999)) {
        const job = bullJob.id ? await read(bullJob.id) : undefined;
        if (job && job.dueAt <= t) {
          await bullJob.promote().catch(() => undefined);
          n++;
        }
      }
      return n;
    },
    stop,
    async close() {
      await stop();
      await queue.close();
      await redis.quit().catch(() => undefined);
    },
  };
}
