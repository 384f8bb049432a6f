/**
 * The per-user rate limit on both backends of the shared state: this process's memory (with a
 * fake Date, which rate-limiter-flexible's memory store reads) and the real Redis, where two
 * limiters on two connections, as two processes would have, share one limit.
 */
import { createHash } from "node:crypto";
import fc from "fast-check";
import type { Redis } from "ioredis";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { isKneebotError } from "../../src/errors.ts";
import {
  createRateLimiter,
  type RateDecision,
  type RateLimiter,
  rateWindowMs,
} from "../../src/rate-limit.ts";
import {
  createMemorySharedState,
  createRedisSharedState,
  type SharedState,
} from "../../src/shared-state.ts";
import { REDIS_NOTICE, redisUp, testClient, useRedis } from "../store/redis-env.ts";

/** What n messages in one window should get: burst answers, one notice, then silence. */
function oneWindow(burst: number, n: number): RateDecision[] {
  return Array.from({ length: n }, (_, i) =>
    i < burst ? "ok" : i === burst ? "limited-first" : "limited",
  );
}

async function take(limiter: RateLimiter, key: string, n: number): Promise<RateDecision[]> {
  const out: RateDecision[] = [];
  for (let i = 0; i < n; i++) out.push(await limiter.take(key));
  return out;
}

describe("rateWindowMs", () => {
  it("is burst/perMinute minutes, in whole seconds, at least one", () => {
    expect(rateWindowMs(8, 20)).toBe(24_000);
    expect(rateWindowMs(3, 60)).toBe(3_000);
    expect(rateWindowMs(1, 1000)).toBe(1_000);
    expect(rateWindowMs(2, 7)).toBe(18_000);
  });
});

/** The checks every backend must pass; `state` builds a fresh one. */
function limiterSuite(state: () => SharedState) {
  it("allows a burst, then one limited-first, then silence", async () => {
    const limiter = createRateLimiter({ burst: 3, perMinute: 20, state: state() });
    const decisions = await take(limiter, "slack:U1", 6);
    expect(decisions).toEqual(["ok", "ok", "ok", "limited-first", "limited", "limited"]);
    expect(decisions).toEqual(oneWindow(3, 6));
  });

  it("keeps one key's flood from affecting another key", async () => {
    const limiter = createRateLimiter({ burst: 8, perMinute: 20, state: state() });
    const flood = await take(limiter, "discord:attacker", 200);
    expect(flood.filter((d) => d === "ok")).toHaveLength(8);
    expect(flood.filter((d) => d === "limited-first")).toHaveLength(1);
    expect((await take(limiter, "discord:runner", 8)).every((d) => d === "ok")).toBe(true);
    expect(await limiter.take("discord:runner")).toBe("limited-first");
  });
}

describe("createRateLimiter in memory", () => {
  limiterSuite(() => createMemorySharedState());

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: 1_700_000_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("starts a new window, with a new notice, once the window has passed", async () => {
    const limiter = createRateLimiter({ burst: 3, perMinute: 20 });
    await take(limiter, "u", 5);
    vi.setSystemTime(Date.now() + rateWindowMs(3, 20) - 1);
    expect(await limiter.take("u")).toBe("limited");
    vi.setSystemTime(Date.now() + 1);
    expect(await take(limiter, "u", 5)).toEqual(oneWindow(3, 5));
  });

  it.each([
    { burst: 0, perMinute: 20 },
    { burst: 8, perMinute: 0 },
    { burst: 1.5, perMinute: 20 },
  ])("rejects bad options %o", (options) => {
    try {
      createRateLimiter(options);
      expect.unreachable("should throw");
    } catch (err) {
      expect(isKneebotError(err, "config")).toBe(true);
    }
  });

  it("never allows more than burst per window, and one notice per window (property)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 5000 })), {
          maxLength: 200,
        }),
        async (burst, perMinute, steps) => {
          const start = Date.now();
          const limiter = createRateLimiter({ burst, perMinute });
          const windows = new Map<string, { start: number; oks: number; notices: number }>();
          const windowMs = rateWindowMs(burst, perMinute);
          for (const [key, dt] of steps) {
            vi.setSystemTime(Date.now() + dt);
            const d = await limiter.take(key);
            let w = windows.get(key);
            // A window starts at the first message after the previous one ended.
            if (!w || Date.now() - w.start >= windowMs) {
              w = { start: Date.now(), oks: 0, notices: 0 };
              windows.set(key, w);
            }
            if (d === "ok") w.oks++;
            if (d === "limited-first") w.notices++;
            expect(w.oks).toBeLessThanOrEqual(burst);
            expect(w.notices).toBeLessThanOrEqual(1);
            // Nothing is refused before the burst is spent.
            if (d !== "ok") expect(w.oks).toBe(burst);
          }
          vi.setSystemTime(start + 10 * 24 * 3600 * 1000);
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe.skipIf(!redisUp)(`createRateLimiter on Redis${REDIS_NOTICE}`, () => {
  const redis = useRedis("rate", 2);
  const { prefix } = redis;
  let run = 0;

  // A fresh prefix per test, so the windows of one test never reach the next.
  limiterSuite(() => createRedisSharedState(redis.clients[0]!, { prefix: `${prefix}${run++}:` }));

  it("is one limit across two processes (two connections, two limiters)", async () => {
    const [a, b] = redis.clients as [Redis, Redis];
    const p = `${prefix}shared:`;
    const one = createRateLimiter({
      burst: 4,
      perMinute: 20,
      state: createRedisSharedState(a, { prefix: p }),
    });
    const two = createRateLimiter({
      burst: 4,
      perMinute: 20,
      state: createRedisSharedState(b, { prefix: p }),
    });
    const decisions: RateDecision[] = [];
    for (let i = 0; i < 10; i++) decisions.push(await (i % 2 ? one : two).take("slack:UFLOOD"));
    expect(decisions).toEqual(oneWindow(4, 10));
    // The count and its window live in Redis, under the prefix.
    // The counter's key is a digest: no user id is written to Redis.
    expect(await a.keys(`${p}*UFLOOD*`)).toEqual([]);
    const digest = createHash("sha256").update("slack:UFLOOD").digest("hex").slice(0, 32);
    const ttl = await a.pttl(`${p}count:rate:${digest}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(rateWindowMs(4, 20));
  });

  it("says so with a store error when Redis cannot count", async () => {
    const broken = testClient();
    await broken.quit();
    const limiter = createRateLimiter({
      burst: 2,
      perMinute: 20,
      state: createRedisSharedState(broken, { prefix }),
    });
    const err = await limiter.take("slack:U1").catch((e: unknown) => e);
    expect(isKneebotError(err, "store")).toBe(true);
  });
});
