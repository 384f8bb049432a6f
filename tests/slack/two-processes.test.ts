/**
 * Two Slack HTTP receivers on one Redis, as two processes behind a load balancer: each has its
 * own Bolt App, fake Slack, Redis connection, engine and shared state; only Redis is common.
 * A retry Slack sends to the other process is dropped there, and a flooding user gets one
 * limit across both, not one per process. The same flood with each process's own memory shows
 * what the test guards against.
 */
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine.ts";
import { createRateLimiter } from "../../src/rate-limit.ts";
import {
  createMemorySharedState,
  createRedisSharedState,
  type SharedState,
} from "../../src/shared-state.ts";
import { createRedisSessionStore } from "../../src/store/redis.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import { dmEvent, eventCallback } from "../helpers/fake-slack/payloads.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { REDIS_NOTICE, redisUp, useRedis } from "../store/redis-env.ts";

const BURST = 3;
const HANDLED = "slack turn handled";
const IGNORED = "slack retry ignored (already handled)";

/** One "process": its own connection to Redis (when given), engine and Slack adapter. */
async function startProcess(state: SharedState, redis?: Redis, prefix?: string) {
  const engine = createEngine({
    knowledge: shippedKnowledge(),
    rateLimiter: createRateLimiter({ burst: BURST, perMinute: 1, state }),
    ...(redis ? { sessions: createRedisSessionStore(redis, { prefix }) } : {}),
  });
  return startHarness("http", engine, { state });
}

/** Sends `count` DMs from one user, alternating between the processes, one after another. */
async function flood(procs: Harness[], user: string, count: number): Promise<number[]> {
  const replies: number[] = [];
  for (let i = 0; i < count; i++) {
    const h = procs[i % procs.length]!;
    const before = h.logs.filter((l) => l.msg === HANDLED).length;
    expect((await h.postEvent(eventCallback(dmEvent(user, "should I ice my knee?")))).status).toBe(
      200,
    );
    const line = await h.logged(HANDLED, before + 1);
    replies.push((line.obj as { replies: number }).replies);
  }
  return replies;
}

/** A phrase of the rate-limit notice (knowledge/wording.yaml), as it reaches Slack. */
const NOTICE = "faster than I can keep up";
const notices = (procs: Harness[]) =>
  procs
    .flatMap((h) => h.fake.calls("chat.postMessage"))
    .filter((c) => JSON.stringify(c.args).includes(NOTICE));

describe.skipIf(!redisUp)(`two Slack processes on one Redis${REDIS_NOTICE}`, () => {
  // Closed after the processes below (after-hooks run last-registered first).
  const redis = useRedis("slack-two", 2);
  const { prefix } = redis;
  let procs: Harness[] = [];
  beforeAll(async () => {
    const [a, b] = redis.clients as [Redis, Redis];
    procs = [
      await startProcess(createRedisSharedState(a, { prefix }), a, prefix),
      await startProcess(createRedisSharedState(b, { prefix }), b, prefix),
    ];
  });
  afterAll(async () => {
    for (const h of procs) await h.close();
  });

  it("handle a retried event once, whichever process the retry reaches", async () => {
    const [a, b] = procs as [Harness, Harness];
    const payload = eventCallback(dmEvent("URETRY", "should I ice my knee?"));
    expect((await a.postEvent(payload)).status).toBe(200);
    await a.logged(HANDLED);
    // Slack thought the first delivery went unanswered and retries it; the balancer picks b.
    expect((await b.postEvent(payload, { retryNum: 1 })).status).toBe(200);
    await b.logged(IGNORED);
    expect(b.logs.filter((l) => l.msg === HANDLED)).toHaveLength(0);
    expect(b.fake.calls("chat.postMessage")).toHaveLength(0);
    expect(a.fake.calls("chat.postMessage").length).toBeGreaterThan(0);
    // And back again: a retry reaching the first process is dropped there too.
    expect((await a.postEvent(payload, { retryNum: 2 })).status).toBe(200);
    await a.logged(IGNORED);
    expect(a.logs.filter((l) => l.msg === HANDLED)).toHaveLength(1);
  });

  it("limit a flooding user across both processes, with one notice", async () => {
    expect(shippedKnowledge().wording.rate_limited).toContain(NOTICE);
    const replies = await flood(procs, "UFLOOD", 8);
    // BURST answers in all, then one notice, then silence, though each process saw only half.
    expect(replies.slice(0, BURST).every((n) => n > 0)).toBe(true);
    expect(replies.slice(BURST)).toEqual([1, 0, 0, 0, 0]);
    expect(notices(procs)).toHaveLength(1);
  });
});

describe("two Slack processes each on their own memory (the case Redis fixes)", () => {
  let procs: Harness[] = [];
  afterEach(async () => {
    for (const h of procs) await h.close();
    procs = [];
  });

  it("let a flooding user have a burst in each process", async () => {
    procs = [
      await startProcess(createMemorySharedState()),
      await startProcess(createMemorySharedState()),
    ];
    const replies = await flood(procs, "UFLOOD", 8);
    // Each process answers BURST and sends its own notice: twice the limit, two notices.
    expect(replies.filter((n) => n > 0)).toHaveLength(2 * BURST + 2);
    expect(notices(procs)).toHaveLength(2);
  });
});
