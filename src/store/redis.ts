/**
 * Sessions and insights on Redis (ioredis), for running several bot processes on one Redis.
 *
 * Turns of one user are serialised across processes by `withLock`: a lock key set with
 * SET NX PX and a random token, renewed while the turn runs, released by a compare-and-delete
 * script so a process never frees a lock another one holds. A waiter retries with a small
 * growing backoff up to a bound, then fails with a KneebotError "store" (the user sees the
 * usual short apology and can simply send the message again).
 */
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import { KneebotError } from "../errors.ts";
import { DEFAULT_SESSION_TTL_MS } from "./sqlite.ts";
import { type InsightStore, MAX_UNANSWERED, type Session, type SessionStore } from "./types.ts";

/** Options for the Redis session store. */
export interface RedisSessionStoreOptions {
  /** Prefix of every key (default "kneebot:"); tests use a unique one each. */
  prefix?: string;
  ttlMs?: number;
  /** How long a lock is held without renewal before Redis drops it (default 15 s). */
  lockLeaseMs?: number;
  /** How long a turn waits for another process's turn of the same user (default 10 s). */
  lockWaitMs?: number;
}

/** The default key prefix. */
export const DEFAULT_REDIS_PREFIX = "kneebot:";

const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const RENEW = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A SessionStore on Redis, with a cross-process `withLock`. Closing it leaves `redis` open. */
export function createRedisSessionStore(
  redis: Redis,
  options: RedisSessionStoreOptions = {},
): SessionStore {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const ttl = Math.max(1, Math.floor(options.ttlMs ?? DEFAULT_SESSION_TTL_MS));
  const lease = options.lockLeaseMs ?? 15_000;
  const waitMs = options.lockWaitMs ?? 10_000;
  const sessionKey = (key: string) => `${prefix}session:${key}`;
  const lockKey = (key: string) => `${prefix}lock:${key}`;

  const wrap = async <T>(what: string, fn: () => Promise<T>): Promise<T> => {
    try {
      return await fn();
    } catch (err) {
      if (err instanceof KneebotError) throw err;
      throw new KneebotError("store", `Redis ${what} failed.`, { cause: err });
    }
  };

  return {
    get: (key) =>
      wrap("read", async () => {
        const json = await redis.get(sessionKey(key));
        if (json === null) return undefined;
        try {
          return JSON.parse(json) as Session;
        } catch {
          // A damaged value must not wedge the user: drop it and start fresh.
          await redis.del(sessionKey(key));
          return undefined;
        }
      }),
    set: (key, session) =>
      wrap("write", async () => {
        await redis.set(sessionKey(key), JSON.stringify(session), "PX", ttl);
      }),
    delete: (key) =>
      wrap("delete", async () => {
        await redis.del(sessionKey(key));
      }),
    async withLock(key, fn) {
      const lk = lockKey(key);
      const token = randomBytes(12).toString("base64url");
      const deadline = Date.now() + waitMs;
      let pause = 2;
      for (;;) {
        const ok = await wrap("lock", () => redis.set(lk, token, "PX", lease, "NX"));
        if (ok === "OK") break;
        if (Date.now() >= deadline) {
          throw new KneebotError(
            "store",
            `Timed out after ${waitMs} ms waiting for another process's turn of the same user.`,
          );
        }
        await sleep(pause + Math.random() * pause);
        pause = Math.min(pause * 2, 50);
      }
      // Renew while the turn runs, so a slow turn never loses the lock half-way.
      const renew = setInterval(() => {
        redis.eval(RENEW, 1, lk, token, String(lease)).catch(() => undefined);
      }, lease / 3);
      renew.unref();
      try {
        return await fn();
      } finally {
        clearInterval(renew);
        await redis.eval(RELEASE, 1, lk, token).catch(() => undefined);
      }
    },
    async close() {},
  };
}

export { MAX_UNANSWERED } from "./types.ts";

/** Unanswered questions and feedback on Redis, with no user ids. Closing it leaves `redis` open. */
export function createRedisInsightStore(
  redis: Redis,
  options: { prefix?: string } = {},
): InsightStore {
  const prefix = options.prefix ?? DEFAULT_REDIS_PREFIX;
  const unanswered = `${prefix}insights:unanswered`;
  const feedback = `${prefix}insights:feedback`;
  return {
    async recordUnanswered(r) {
      await redis
        .multi()
        .lpush(unanswered, JSON.stringify(r))
        .ltrim(unanswered, 0, MAX_UNANSWERED - 1)
        .exec();
    },
    async recordFeedback(r) {
      await redis.hincrby(feedback, `${r.faqId}:${r.helpful ? "h" : "u"}`, 1);
    },
    async listUnanswered(limit) {
      if (limit <= 0) return [];
      const rows = await redis.lrange(unanswered, 0, limit - 1);
      return rows.map(
        (json) =>
          JSON.parse(json) as { text: string; score: number; outOfScope: boolean; at: number },
      );
    },
    async feedbackSummary() {
      const all = await redis.hgetall(feedback);
      const by = new Map<string, { helpful: number; unhelpful: number }>();
      for (const [field, count] of Object.entries(all)) {
        const at = field.lastIndexOf(":");
        const faqId = field.slice(0, at);
        const f = by.get(faqId) ?? { helpful: 0, unhelpful: 0 };
        if (field.slice(at + 1) === "h") f.helpful += Number(count);
        else f.unhelpful += Number(count);
        by.set(faqId, f);
      }
      return [...by]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([faqId, f]) => ({ faqId, ...f }));
    },
    async close() {},
  };
}
