/**
 * Set-if-absent with a TTL, on both backends: this process's memory (lru-cache) and the real
 * Redis (SET NX PX), where two connections, as two processes would have, see one another's keys.
 */
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";
import { describe, expect, it } from "vitest";
import { isKneebotError } from "../../src/errors.ts";
import {
  createMemorySharedState,
  createRedisSharedState,
  type SharedState,
} from "../../src/shared-state.ts";
import { REDIS_NOTICE, redisUp, testClient, useRedis } from "../store/redis-env.ts";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function setIfAbsentSuite(state: () => SharedState) {
  it("is true the first time only, per key", async () => {
    const s = state();
    expect(await s.setIfAbsent("event:Ev1", 60_000)).toBe(true);
    expect(await s.setIfAbsent("event:Ev1", 60_000)).toBe(false);
    expect(await s.setIfAbsent("event:Ev2", 60_000)).toBe(true);
  });

  it("forgets a key once its TTL has run out", async () => {
    const s = state();
    expect(await s.setIfAbsent("event:short", 20)).toBe(true);
    let again = false;
    for (let i = 0; i < 500 && !again; i++) {
      await sleep(5);
      again = await s.setIfAbsent("event:short", 20);
    }
    expect(again).toBe(true);
  });
}

describe("memory shared state", () => {
  setIfAbsentSuite(() => createMemorySharedState());

  it("remembers at most maxKeys, forgetting the least recently set", async () => {
    const s = createMemorySharedState({ maxKeys: 3 });
    for (const k of ["a", "b", "c", "d"]) expect(await s.setIfAbsent(k, 60_000)).toBe(true);
    expect(await s.setIfAbsent("d", 60_000)).toBe(false);
    expect(await s.setIfAbsent("b", 60_000)).toBe(false);
    // "a" was pushed out: a repeat that old is taken as new (more lenient, never stricter).
    expect(await s.setIfAbsent("a", 60_000)).toBe(true);
  });

  it("keeps two instances apart (one per process)", async () => {
    const one = createMemorySharedState();
    const two = createMemorySharedState();
    expect(await one.setIfAbsent("event:E", 60_000)).toBe(true);
    expect(await two.setIfAbsent("event:E", 60_000)).toBe(true);
  });
});

describe.skipIf(!redisUp)(`Redis shared state${REDIS_NOTICE}`, () => {
  const redis = useRedis("shared", 2);
  const { prefix } = redis;

  setIfAbsentSuite(() => createRedisSharedState(redis.clients[0]!, { prefix }));

  it("is shared by two processes (two connections): only one claims a key", async () => {
    const [a, b] = redis.clients as [Redis, Redis];
    const one = createRedisSharedState(a, { prefix });
    const two = createRedisSharedState(b, { prefix });
    const claims = await Promise.all(
      Array.from({ length: 10 }, (_, i) => (i % 2 ? one : two).setIfAbsent("event:Race", 60_000)),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    // The key is named by a digest: what was claimed (a user id, say) is not readable in Redis.
    expect(await a.keys(`${prefix}*Race*`)).toEqual([]);
    const ttl = await a.pttl(`${prefix}once:${sha256("event:Race")}`);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
  });

  it("fails with a store error when Redis is gone", async () => {
    const broken = testClient();
    await broken.quit();
    const err = await createRedisSharedState(broken, { prefix })
      .setIfAbsent("event:X", 1000)
      .catch((e: unknown) => e);
    expect(isKneebotError(err, "store")).toBe(true);
  });
});

/** The digest the Redis backend names a key by. */
function sha256(key: string): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 32);
}
