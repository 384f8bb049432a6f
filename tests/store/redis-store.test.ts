import type { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isKneebotError } from "../../src/errors.ts";
import { createRedisInsightStore, createRedisSessionStore } from "../../src/store/redis.ts";
import type { Session } from "../../src/store/types.ts";
import { deletePrefix, REDIS_NOTICE, redisUp, testClient, uniquePrefix } from "./redis-env.ts";

const session = (n: number): Session => ({ v: 2, nonce: "abc123", greeted: true, updatedAt: n });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(!redisUp)(`Redis session and insight stores${REDIS_NOTICE}`, () => {
  let redis: Redis;
  const prefix = uniquePrefix("store");
  beforeAll(() => {
    redis = testClient();
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    await redis.quit();
  });

  it("gets, sets and deletes sessions with a TTL", async () => {
    const store = createRedisSessionStore(redis, { prefix, ttlMs: 60_000 });
    expect(await store.get("slack:U1")).toBeUndefined();
    await store.set("slack:U1", session(1));
    expect(await store.get("slack:U1")).toEqual(session(1));
    const ttl = await redis.pttl(`${prefix}session:slack:U1`);
    expect(ttl).toBeGreaterThan(50_000);
    expect(ttl).toBeLessThanOrEqual(60_000);
    await store.delete("slack:U1");
    expect(await store.get("slack:U1")).toBeUndefined();
  });

  it("expires sessions after the TTL", async () => {
    const store = createRedisSessionStore(redis, { prefix, ttlMs: 30 });
    await store.set("slack:U2", session(2));
    for (let i = 0; i < 100 && (await store.get("slack:U2")); i++) await sleep(10);
    expect(await store.get("slack:U2")).toBeUndefined();
  });

  it("drops a damaged session instead of failing every turn", async () => {
    const store = createRedisSessionStore(redis, { prefix });
    await redis.set(`${prefix}session:slack:U3`, "{not json");
    expect(await store.get("slack:U3")).toBeUndefined();
    expect(await redis.exists(`${prefix}session:slack:U3`)).toBe(0);
  });

  it("withLock runs one holder at a time across store instances", async () => {
    const other = testClient();
    const a = createRedisSessionStore(redis, { prefix });
    const b = createRedisSessionStore(other, { prefix });
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        (i % 2 ? a : b).withLock!("slack:U4", async () => {
          inside++;
          most = Math.max(most, inside);
          await sleep(2);
          order.push(i);
          inside--;
        }),
      ),
    );
    expect(most).toBe(1);
    expect(order).toHaveLength(20);
    expect(await redis.exists(`${prefix}lock:slack:U4`)).toBe(0);
    await other.quit();
  });

  it("releases the lock when the turn throws, and keeps it renewed while a turn is slow", async () => {
    const store = createRedisSessionStore(redis, { prefix, lockLeaseMs: 60 });
    await expect(
      store.withLock!("slack:U5", async () => {
        throw new Error("boom");
      }),
    ).rejects.toThrow("boom");
    expect(await redis.exists(`${prefix}lock:slack:U5`)).toBe(0);
    let overlapped = false;
    let holding = false;
    const slow = store.withLock!("slack:U5", async () => {
      holding = true;
      await sleep(250); // four leases long: only renewal keeps others out
      holding = false;
    });
    await sleep(5);
    await store.withLock!("slack:U5", async () => {
      overlapped = holding;
    });
    await slow;
    expect(overlapped).toBe(false);
  });

  it("gives up waiting for a held lock with a store error", async () => {
    const store = createRedisSessionStore(redis, { prefix, lockWaitMs: 50 });
    await redis.set(`${prefix}lock:slack:U6`, "someone-else", "PX", 5_000);
    const err = await store.withLock!("slack:U6", async () => "never").catch((e: unknown) => e);
    expect(isKneebotError(err, "store")).toBe(true);
    // Never releases a lock it does not hold.
    expect(await redis.get(`${prefix}lock:slack:U6`)).toBe("someone-else");
  });

  it("records insights without user ids", async () => {
    const insights = createRedisInsightStore(redis, { prefix });
    await insights.recordUnanswered({ text: "a", score: 0.1, outOfScope: false, at: 1 });
    await insights.recordUnanswered({ text: "b", score: 0.2, outOfScope: true, at: 2 });
    await insights.recordFeedback({ faqId: "shoes", helpful: true, at: 1 });
    await insights.recordFeedback({ faqId: "shoes", helpful: false, at: 2 });
    await insights.recordFeedback({ faqId: "itb-relief", helpful: true, at: 3 });
    expect(await insights.listUnanswered(1)).toEqual([
      { text: "b", score: 0.2, outOfScope: true, at: 2 },
    ]);
    expect(await insights.listUnanswered(10)).toHaveLength(2);
    expect(await insights.feedbackSummary()).toEqual([
      { faqId: "itb-relief", helpful: 1, unhelpful: 0 },
      { faqId: "shoes", helpful: 1, unhelpful: 1 },
    ]);
  });
});
