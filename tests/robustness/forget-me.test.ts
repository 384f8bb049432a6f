/**
 * "Forget me" leaves nothing, with the real runtime: SQLite (sessions, follow-ups, feedback and
 * unanswered questions in one temp file) and, when Redis is up, Redis sessions and insights with
 * BullMQ follow-ups. A runner triages, gets an outcome, books a check-in, rates an answer and
 * asks something the bot can't answer; so does another runner. Then the first says "forget me".
 * Every store is scanned afterwards for the runner's id and its log hash: nothing is left, the
 * anonymous records never held either id, and the other runner's data is intact and still works.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Queue } from "bullmq";
import type { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { FOLLOWUP_QUEUE } from "../../src/followups/bullmq-scheduler.ts";
import { hashUserId } from "../../src/logger.ts";
import { createRuntime, DATABASE_FILE, type Runtime } from "../../src/runtime.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { Reply } from "../../src/types.ts";
import { dm, runTriage } from "../followups/helpers.ts";
import { waitFor } from "../followups/wait.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";

const KNOWLEDGE = fileURLToPath(new URL("../../knowledge", import.meta.url));
const DAY = 24 * 60 * 60 * 1000;
/** Distinctive ids, so a scan for them can't match anything else. */
const VICTIM = "UVICTIM4242";
const OTHER = "UOTHER7777";
const BASE_ENV = {
  KNEEBOT_KNOWLEDGE_DIR: KNOWLEDGE,
  LOG_LEVEL: "silent",
  KNEEBOT_RATE_LIMIT: "1000/10000",
  KNEEBOT_HASH_SALT: "forget-me-test-salt",
};

/** Questions the bot has no answer for (whatever the matcher makes of them, none is a command). */
const OFF_TOPIC = [
  "who won the football last night",
  "what is the capital of france",
  "can you recommend a good podcast",
];

/** What one runner left behind, as the runtime reports it before "forget me". */
interface Footprint {
  jobIds: string[];
  /** The session's nonce: a piece of its JSON to look for in raw files. */
  nonce: string;
}

/** Triage → outcome → check-in booked → an answer rated → a question the bot can't answer. */
async function leaveTraces(runtime: Runtime, userId: string): Promise<Footprint> {
  const user = dm(userId);
  const outcome = await runTriage(runtime.engine, user);
  expect(outcome.some((r) => r.kind === "outcome")).toBe(true);
  const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"));
  const booked = await runtime.engine.handle(user.pick(offer, "2d"));
  expect(booked.map((r) => r.kind)).toContain("followup");
  let replies: Reply[] = await runtime.engine.handle(user.text("does ice help?"));
  const suggested = replies.find((r) => r.kind === "did-you-mean");
  if (suggested)
    replies = await runtime.engine.handle(
      user.pick(suggested, suggested.choices!.options[0]!.value),
    );
  const answer = replies.find((r) => r.kind === "answer");
  const rated = await runtime.engine.handle(user.pick(answer, "helpful"));
  expect(rated.map((r) => r.text)).toContain(runtime.knowledge.wording.feedback_thanks);
  // Off-topic questions: those the matcher can't place become anonymous unanswered records.
  for (const text of OFF_TOPIC)
    expect(await runtime.engine.handle(user.text(text))).not.toEqual([]);
  const jobs = await runtime.scheduler.list("slack", userId);
  expect(jobs).toHaveLength(1);
  const session = await runtime.sessions.get(`slack:${userId}`);
  return { jobIds: jobs.map((j) => j.id), nonce: session!.nonce };
}

/** Says "forget me" and checks the confirmation. */
async function forget(runtime: Runtime, userId: string): Promise<void> {
  const replies = await runtime.engine.handle(dm(userId).text("forget me"));
  expect(replies.map((r) => r.text)).toContain(runtime.knowledge.wording.forget_confirm);
}

/** The strings that would identify the runner: the id itself and the hash logs use. */
function identifiers(runtime: Runtime, userId: string): string[] {
  return [userId, hashUserId(runtime.config.hashSalt, "slack", userId)];
}

/** After "forget me": the other runner's session, check-in and answers still work. */
async function otherStillWorks(runtime: Runtime, other: Footprint): Promise<void> {
  expect(await runtime.sessions.get(`slack:${OTHER}`)).toBeDefined();
  const jobs = await runtime.scheduler.list("slack", OTHER);
  expect(jobs.map((j) => j.id)).toEqual(other.jobIds);
  const help = await runtime.engine.handle(dm(OTHER).text("my follow ups"));
  expect(help.some((r) => r.choices?.id === `u.${other.jobIds[0]}`)).toBe(true);
}

describe("forget me with the SQLite store", () => {
  const dir = mkdtempSync(join(tmpdir(), "kneebot-forget-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("deletes the session and follow-ups; feedback and questions never held an id", async () => {
    const clock = { t: Date.UTC(2026, 10, 2, 10) };
    const config = loadConfig({ ...BASE_ENV, KNEEBOT_DATA_DIR: dir });
    const runtime = await createRuntime(config, { now: () => clock.t, followUpPollMs: 3_600_000 });
    const victim = await leaveTraces(runtime, VICTIM);
    const other = await leaveTraces(runtime, OTHER);
    const ids = identifiers(runtime, VICTIM);

    // Before: the scan does find the runner (so it would notice a leftover).
    const db = openDatabase(join(dir, DATABASE_FILE));
    const dump = () => {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table'")
        .all()
        .map((r) => (r as { name: string }).name);
      return Object.fromEntries(
        tables.map((t) => [t, JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())]),
      );
    };
    const before = dump();
    expect(before.sessions).toContain(VICTIM);
    expect(before.followups).toContain(VICTIM);

    await forget(runtime, VICTIM);

    const after = dump();
    for (const [table, rows] of Object.entries(after)) {
      for (const id of ids) expect(rows, `${table} mentions ${id}`).not.toContain(id);
      for (const jobId of victim.jobIds) expect(rows, `${table} keeps a job`).not.toContain(jobId);
    }
    // The raw files too (the database and its WAL, as `strings` would read them): deleted rows
    // are zeroed (secure_delete) and the WAL was checkpointed and emptied after the forget.
    const raw = () =>
      ["", "-wal"]
        .map((ext) => join(dir, `${DATABASE_FILE}${ext}`))
        .filter((f) => existsSync(f))
        .map((f) => readFileSync(f).toString("latin1"))
        .join("\n");
    for (const needle of [...ids, ...victim.jobIds, victim.nonce])
      expect(raw().includes(needle), `raw files hold ${needle}`).toBe(false);
    expect(raw()).toContain(OTHER);
    expect(await runtime.sessions.get(`slack:${VICTIM}`)).toBeUndefined();
    expect(await runtime.scheduler.list("slack", VICTIM)).toEqual([]);
    expect(await runtime.scheduler.get("slack", VICTIM, victim.jobIds[0]!)).toBeUndefined();
    // The anonymous records: both runners' feedback and questions are there, with no ids at all.
    for (const table of ["feedback", "unanswered"]) {
      const columns = db
        .prepare(`SELECT name FROM pragma_table_info('${table}')`)
        .all()
        .map((r) => (r as { name: string }).name);
      expect(columns.some((c) => /user|platform|key/i.test(c))).toBe(false);
      for (const id of [...ids, ...identifiers(runtime, OTHER)])
        expect(before[table]).not.toContain(id);
    }
    expect(await runtime.insights.feedbackSummary()).toEqual(
      expect.arrayContaining([expect.objectContaining({ helpful: 2 })]),
    );

    await otherStillWorks(runtime, other);
    // Time passes: only the other runner's check-in is delivered.
    const sent: string[] = [];
    clock.t += 3 * DAY;
    runtime.startDelivery(async (_p, userId) => {
      sent.push(userId);
      return { type: "sent" };
    });
    await runtime.scheduler.runDue();
    await waitFor(() => sent.length >= 1, "the other runner's check-in");
    expect(sent).toEqual([OTHER]);
    // The forgotten runner is a stranger now: a fresh greeting, nothing remembered.
    const again = await runtime.engine.handle(dm(VICTIM).text("my follow ups"));
    expect(again[0]?.kind).toBe("greeting");
    expect(again.map((r) => r.text)).toContain(runtime.knowledge.wording.followups_none);
    db.close();
    await runtime.close();
    // And after a clean shutdown (the runner came back as a stranger above, so a new session
    // holds the id now; nothing of the old one is left).
    for (const needle of [...victim.jobIds, victim.nonce])
      expect(raw().includes(needle), `raw files hold ${needle} after shutdown`).toBe(false);
  });
});

/** Every key under `prefix` with its value, whatever the Redis type. */
async function redisDump(redis: Redis, prefix: string): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    for (const key of keys) {
      const type = await redis.type(key);
      let value: unknown;
      if (type === "string") value = await redis.get(key);
      else if (type === "hash") value = await redis.hgetall(key);
      else if (type === "set") value = await redis.smembers(key);
      else if (type === "list") value = await redis.lrange(key, 0, -1);
      else if (type === "zset") value = await redis.zrange(key, 0, -1, "WITHSCORES");
      else if (type === "stream") value = await redis.xrange(key, "-", "+");
      else value = type;
      out.set(key, JSON.stringify(value));
    }
  } while (cursor !== "0");
  return out;
}

describe.skipIf(!redisUp)(`forget me with KNEEBOT_STORE=redis${REDIS_NOTICE}`, () => {
  const prefix = uniquePrefix("forget");
  const admin = testClient();
  afterAll(async () => {
    await deletePrefix(admin, prefix);
    await admin.quit();
  });

  it("deletes the session key, the follow-up records and the BullMQ jobs", async () => {
    const clock = { t: Date.now() };
    const config = loadConfig({ ...BASE_ENV, KNEEBOT_STORE: "redis", REDIS_URL });
    const runtime = await createRuntime(config, { now: () => clock.t, redisPrefix: prefix });
    const queue = new Queue(FOLLOWUP_QUEUE, { connection: admin, prefix: `${prefix}bull` });
    try {
      const victim = await leaveTraces(runtime, VICTIM);
      const other = await leaveTraces(runtime, OTHER);
      const ids = identifiers(runtime, VICTIM);
      const queued = async () =>
        (
          await queue.getJobs(["delayed", "waiting", "active", "prioritized", "waiting-children"])
        ).map((j) => j.id);
      const before = await redisDump(admin, prefix);
      expect([...before].some(([k, v]) => k.includes(VICTIM) || v.includes(VICTIM))).toBe(true);
      expect(await queued()).toEqual(expect.arrayContaining([...victim.jobIds, ...other.jobIds]));

      await forget(runtime, VICTIM);

      const after = await redisDump(admin, prefix);
      for (const [key, value] of after) {
        for (const id of ids) {
          expect(key, `key ${key}`).not.toContain(id);
          expect(value, `value of ${key}`).not.toContain(id);
        }
      }
      // No follow-up record or user index left, no BullMQ job in any state that would run.
      for (const jobId of victim.jobIds) {
        expect(after.has(`${prefix}fu:job:${jobId}`)).toBe(false);
        expect(after.has(`${prefix}bull:${FOLLOWUP_QUEUE}:${jobId}`)).toBe(false);
        expect(await queue.getJob(jobId)).toBeUndefined();
      }
      expect(after.has(`${prefix}fu:user:slack:${VICTIM}`)).toBe(false);
      expect(after.has(`${prefix}session:slack:${VICTIM}`)).toBe(false);
      // Only BullMQ's capped event log still names the (random) job id: "added", "delayed",
      // "removed". It holds no user id and the id now resolves to nothing.
      const naming = [...after]
        .filter(([k, v]) => victim.jobIds.some((j) => k.includes(j) || v.includes(j)))
        .map(([k]) => k);
      expect(naming.every((k) => k === `${prefix}bull:${FOLLOWUP_QUEUE}:events`)).toBe(true);
      const stillQueued = await queued();
      for (const jobId of victim.jobIds) expect(stillQueued).not.toContain(jobId);
      expect(stillQueued).toEqual(expect.arrayContaining(other.jobIds));
      // Feedback and unanswered questions: present, and never with an id in them.
      for (const key of [`${prefix}insights:feedback`, `${prefix}insights:unanswered`]) {
        const value = before.get(key);
        expect(value, key).toBeDefined();
        for (const id of [...ids, ...identifiers(runtime, OTHER)]) expect(value).not.toContain(id);
      }

      await otherStillWorks(runtime, other);
      const sent: string[] = [];
      runtime.startDelivery(async (_p, userId) => {
        sent.push(userId);
        return { type: "sent" };
      });
      clock.t += 3 * DAY;
      await runtime.scheduler.runDue();
      await waitFor(() => sent.length >= 1, "the other runner's check-in");
      expect(sent).toEqual([OTHER]);
    } finally {
      await queue.close();
      await runtime.close();
    }
  }, 120_000);
});
