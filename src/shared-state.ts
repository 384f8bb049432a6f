/**
 * Small state that every process of one bot must agree on: "has this id been seen?" (Slack
 * retry dedupe) and "how often has this key been used lately?" (the per-user rate limit).
 *
 * Two backends: memory (one process: the terminal chat, SQLite, tests) and Redis (any number
 * of processes behind a load balancer: a retry reaching another process is still a repeat, and
 * a user's limit is one limit, not one per process). The counters are rate-limiter-flexible's
 * fixed windows (RateLimiterMemory, RateLimiterRedis); set-if-absent is an lru-cache entry with
 * a TTL in memory and SET NX PX on Redis.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { LRUCache } from "lru-cache";
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes } from "rate-limiter-flexible";
import { KneebotError } from "./errors.ts";

/** A counter per key over fixed windows. */
export interface WindowCounter {
  /** Counts one use of `key`; resolves with the uses in its current window, this one included. */
  hit(key: string): Promise<number>;
}

/** What a counter is: a name (its keys' namespace) and a window length. */
export interface CounterOptions {
  name: string;
  windowMs: number;
  /** Uses per window the caller allows (uses beyond it are still counted). */
  limit: number;
}

/** State shared by every process of one bot (or kept in this one, for the memory backend). */
export interface SharedState {
  /** Which backend, for logs and tests. */
  readonly kind: "memory" | "redis";
  /** Sets `key` for `ttlMs` unless it is already set; true when this call set it. */
  setIfAbsent(key: string, ttlMs: number): Promise<boolean>;
  /** A counter with fixed windows, shared like everything else here. */
  counter(options: CounterOptions): WindowCounter;
}

/** Most keys the memory backend's set-if-absent remembers; the least recently set go first. */
export const MEMORY_MAX_KEYS = 20_000;

/** Whole seconds, at least one: the counters' windows are in seconds. */
const windowSeconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Reads the count out of what rate-limiter-flexible resolves or rejects with. */
async function countOf(attempt: Promise<RateLimiterRes>, name: string): Promise<number> {
  try {
    return (await attempt).consumedPoints;
  } catch (err) {
    // Over the limit is a rejection with a result, not an error.
    if (err instanceof RateLimiterRes) return err.consumedPoints;
    throw new KneebotError("store", `Could not count ${name}.`, { cause: err });
  }
}

/** State in this process only. */
export function createMemorySharedState(options: { maxKeys?: number } = {}): SharedState {
  const seen = new LRUCache<string, true>({ max: options.maxKeys ?? MEMORY_MAX_KEYS });
  return {
    kind: "memory",
    async setIfAbsent(key, ttlMs) {
      // has() ignores entries whose TTL ran out.
      if (seen.has(key)) return false;
      seen.set(key, true, { ttl: ttlMs });
      return true;
    },
    counter({ name, windowMs, limit }) {
      const limiter = new RateLimiterMemory({
        keyPrefix: name,
        points: limit,
        duration: windowSeconds(windowMs),
      });
      return { hit: (key) => countOf(limiter.consume(key), name) };
    },
  };
}

/**
 * A key as stored on Redis: a sha256 digest, so a user id in a key (the rate limit counts per
 * user) is never written to a store that "forget me" would otherwise have to search.
 */
function digest(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}

/**
 * State on Redis, shared by every process on the same Redis and prefix. Keys:
 * `<prefix>once:<digest>` for set-if-absent, `<prefix>count:<name>:<digest>` for counters.
 * Closing the state leaves `redis` open.
 */
export function createRedisSharedState(
  redis: Redis,
  options: { prefix?: string } = {},
): SharedState {
  const prefix = options.prefix ?? "kneebot:";
  return {
    kind: "redis",
    async setIfAbsent(key, ttlMs) {
      try {
        const ok = await redis.set(
          `${prefix}once:${digest(key)}`,
          "1",
          "PX",
          Math.max(1, ttlMs),
          "NX",
        );
        return ok === "OK";
      } catch (err) {
        throw new KneebotError("store", "Redis set-if-absent failed.", { cause: err });
      }
    },
    counter({ name, windowMs, limit }) {
      const limiter = new RateLimiterRedis({
        storeClient: redis,
        keyPrefix: `${prefix}count:${name}`,
        points: limit,
        duration: windowSeconds(windowMs),
      });
      return { hit: (key) => countOf(limiter.consume(digest(key)), name) };
    },
  };
}
