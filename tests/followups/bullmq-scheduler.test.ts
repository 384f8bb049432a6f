import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createBullmqScheduler, FOLLOWUP_QUEUE } from "../../src/followups/bullmq-scheduler.ts";
import {
  type DeliveryResult,
  type FollowUpJob,
  type NewFollowUp,
  newJobId,
  type Scheduler,
} from "../../src/followups/types.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";
import { settle, waitFor } from "./wait.ts";

const HOUR = 60 * 60 * 1000;

function job(dueAt: number, userId = "U1"): NewFollowUp {
  return {
    id: newJobId(),
    platform: "slack",
    userId,
    dueAt,
    seq: 1,
    condition: "itbs",
    level: "self_care",
  };
}

describe.skipIf(!redisUp)(`BullMQ scheduler on the real Redis${REDIS_NOTICE}`, () => {
  let redis: Redis;
  const prefixes: string[] = [];
  const open: Scheduler[] = [];
  beforeAll(() => {
    redis = testClient();
  });
  afterEach(async () => {
    for (const s of open.splice(0)) await s.close();
  });
  afterAll(async () => {
    for (const p of prefixes) await deletePrefix(redis, p);
    await redis.quit();
  });

  function make(options: { prefix?: string; now?: () => number; backoffBaseMs?: number } = {}) {
    const prefix = options.prefix ?? uniquePrefix("bullmq");
    prefixes.push(prefix);
    const scheduler = createBullmqScheduler({
      url: REDIS_URL,
      prefix,
      backoffBaseMs: options.backoffBaseMs ?? 20,
      ...(options.now ? { now: options.now } : {}),
    });
    open.push(scheduler);
    const delivered: Array<{ job: FollowUpJob; lateMs: number }> = [];
    let answer: (job: FollowUpJob) => DeliveryResult = () => ({ type: "sent" });
    return {
      prefix,
      scheduler,
      delivered,
      answer(fn: (job: FollowUpJob) => DeliveryResult) {
        answer = fn;
      },
      start() {
        scheduler.start(async (j, lateMs) => {
          delivered.push({ job: j, lateMs });
          return answer(j);
        });
      },
    };
  }

  it("delivers a delayed job once it is due, and records it as sent", async () => {
    const s = make();
    s.start();
    const j = await s.scheduler.schedule(job(Date.now() + 150));
    await waitFor(
      async () => (await s.scheduler.get("slack", "U1", j.id))?.status === "sent",
      "sent",
    );
    expect(s.delivered.map((d) => d.job.id)).toEqual([j.id]);
    expect(await s.scheduler.list("slack", "U1")).toEqual([]);
  });

  it("runDue hands over what is due by the injected clock, without waiting", async () => {
    const clock = { t: Date.now() };
    const s = make({ now: () => clock.t });
    s.start();
    const soon = await s.scheduler.schedule(job(clock.t + 2 * HOUR));
    await s.scheduler.schedule(job(clock.t + 48 * HOUR));
    expect(await s.scheduler.runDue()).toBe(0);
    clock.t += 3 * HOUR;
    expect(await s.scheduler.runDue()).toBe(1);
    await waitFor(() => s.delivered.length === 1, "the due job");
    expect(s.delivered[0]!.job.id).toBe(soon.id);
    expect(s.delivered[0]!.lateMs).toBeGreaterThanOrEqual(HOUR);
    expect(await s.scheduler.list("slack", "U1")).toHaveLength(1);
  });

  it("records a closed DM as undeliverable and does not retry", async () => {
    const s = make();
    s.answer(() => ({ type: "undeliverable", reason: "dm-closed" }));
    s.start();
    const j = await s.scheduler.schedule(job(Date.now()));
    await waitFor(
      async () => (await s.scheduler.get("slack", "U1", j.id))?.status === "undeliverable",
      "undeliverable",
    );
    await settle(300); // backoff is 20 ms here: a retry would have shown up
    expect(s.delivered).toHaveLength(1);
    expect(await s.scheduler.get("slack", "U1", j.id)).toMatchObject({ lastError: "dm-closed" });
  });

  it("retries transient failures with backoff until sent", async () => {
    const s = make();
    let calls = 0;
    s.answer(() => (++calls < 3 ? { type: "retry", error: "http-503" } : { type: "sent" }));
    s.start();
    const j = await s.scheduler.schedule(job(Date.now()));
    await waitFor(
      async () => (await s.scheduler.get("slack", "U1", j.id))?.status === "sent",
      "sent",
    );
    expect(s.delivered.map((d) => d.job.attempts)).toEqual([1, 2, 3]);
  });

  it("lists, snoozes, cancels and forgets", async () => {
    const clock = { t: Date.now() };
    const s = make({ now: () => clock.t });
    s.start();
    const a = await s.scheduler.schedule(job(clock.t + 3 * HOUR));
    const b = await s.scheduler.schedule(job(clock.t + HOUR));
    const other = await s.scheduler.schedule(job(clock.t + HOUR, "U2"));
    expect((await s.scheduler.schedule({ ...a, dueAt: 0 })).dueAt).toBe(a.dueAt);
    expect((await s.scheduler.list("slack", "U1")).map((j) => j.id)).toEqual([b.id, a.id]);
    expect(await s.scheduler.snooze("slack", "U1", b.id, clock.t + 5 * HOUR)).toBe(true);
    expect(await s.scheduler.snooze("slack", "U2", a.id, clock.t)).toBe(false);
    expect((await s.scheduler.list("slack", "U1")).map((j) => j.id)).toEqual([a.id, b.id]);
    expect(await s.scheduler.cancel("slack", "U1", a.id)).toBe(1);
    expect(await s.scheduler.cancel("slack", "U2", b.id)).toBe(0);
    clock.t += 4 * HOUR;
    expect(await s.scheduler.runDue()).toBe(1);
    await waitFor(() => s.delivered.length === 1, "delivery");
    expect(s.delivered[0]!.job.id).toBe(other.id);
    expect(await s.scheduler.cancel("slack", "U1")).toBe(1);
    clock.t += 10 * HOUR;
    expect(await s.scheduler.runDue()).toBe(0);
    await s.scheduler.forgetUser("slack", "U1");
    const left = await redis.keys(`${s.prefix}fu:*U1*`);
    expect(left).toEqual([]);
    for (const id of [a.id, b.id]) expect(await redis.exists(`${s.prefix}fu:job:${id}`)).toBe(0);
    expect(await s.scheduler.get("slack", "U2", other.id)).toBeDefined();
  });

  it("on start, re-queues a pending check-in whose BullMQ job was lost (crash mid-schedule)", async () => {
    const s = make();
    const j = await s.scheduler.schedule(job(Date.now()));
    const queue = new Queue(FOLLOWUP_QUEUE, { connection: redis, prefix: `${s.prefix}bull` });
    expect(await queue.remove(j.id)).toBe(1);
    await queue.close();
    s.start();
    await waitFor(() => s.delivered.length === 1, "the re-queued check-in");
    expect(s.delivered[0]!.job.id).toBe(j.id);
  });

  it("delivers each job exactly once with two workers on one queue", async () => {
    const prefix = uniquePrefix("two-workers");
    const one = make({ prefix });
    const two = make({ prefix });
    one.start();
    two.start();
    const ids: string[] = [];
    const due = Date.now() + 200;
    for (let i = 0; i < 60; i++)
      ids.push((await (i % 2 ? one : two).scheduler.schedule(job(due, `U${i % 7}`))).id);
    const all = () => [...one.delivered, ...two.delivered].map((d) => d.job.id);
    await waitFor(() => new Set(all()).size === ids.length, "all 60 deliveries");
    await settle(300);
    expect(all().sort()).toEqual([...ids].sort());
    expect(one.delivered.length + two.delivered.length).toBe(60);
  });
});
