import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createEngine } from "../../src/engine.ts";
import { createRateLimiter } from "../../src/rate-limit.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "../../src/store/memory.ts";
import {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
} from "../../src/store/sqlite.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Turn } from "../../src/types.ts";
import { chat } from "../helpers/conversation.ts";
import { seededRandom, shippedKnowledge, testEngine } from "../helpers/knowledge.ts";

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tempDb(): string {
  const d = mkdtempSync(join(tmpdir(), "kneebot-db-"));
  dirs.push(d);
  return join(d, "kneebot.db");
}

describe("engine", () => {
  it("continues a triage after a restart, on the same SQLite file", async () => {
    const file = tempDb();
    const db1 = openDatabase(file);
    const e1 = createEngine({
      knowledge: shippedKnowledge(),
      sessions: createSqliteSessionStore(db1),
      random: seededRandom(1),
    });
    const c1 = chat(e1);
    await c1.command("triage");
    await c1.click("none");
    const question = c1.last.find((r) => r.kind === "question")!;
    expect(question.meta?.questionId).toBe("onset");
    db1.close(); // the process "dies" here

    const db2 = openDatabase(file);
    const e2 = createEngine({
      knowledge: shippedKnowledge(),
      sessions: createSqliteSessionStore(db2),
      random: seededRandom(2),
    });
    // The button rendered before the restart still works.
    const replies = await e2.handle({
      platform: "test",
      userId: "u1",
      place: { kind: "dm" },
      type: "choice",
      setId: question.choices!.id,
      values: ["none"],
    });
    expect(replies.find((r) => r.kind === "question")?.meta?.questionId).toBe("onset");
    db2.close();
  });

  it("expires buttons from an older flow version", async () => {
    const sessions = createMemorySessionStore();
    const k = shippedKnowledge();
    const old = createEngine({ knowledge: k, sessions });
    const c = chat(old);
    await c.command("triage");
    const set = c.last.find((r) => r.kind === "question")!.choices!;
    const newer = createEngine({
      knowledge: { ...k, triage: { ...k.triage, version: k.triage.version + 1 } },
      sessions,
    });
    const replies = await newer.handle({
      platform: "test",
      userId: "u1",
      place: { kind: "dm" },
      type: "choice",
      setId: set.id,
      values: ["none"],
    });
    expect(replies.map((r) => r.kind)).toEqual(["expired"]);
    expect(replies[0]!.text).toMatch(/start again/);
  });

  it("forgets a user completely: the session is gone and the next message starts fresh", async () => {
    const sessions = createMemorySessionStore();
    const e = testEngine({ sessions });
    const c = chat(e);
    await c.command("triage");
    expect(await sessions.get("test:u1")).toBeDefined();
    const r = await c.say("forget me");
    expect(r[0]!.text).toMatch(/deleted everything/);
    expect(await sessions.get("test:u1")).toBeUndefined();
    const again = await c.say("hello");
    expect(again[0]!.kind).toBe("greeting");
  });

  it("records unanswered questions and feedback without user ids", async () => {
    const insights = createMemoryInsightStore();
    const e = testEngine({ insights });
    const c = chat(e, "user-secret-id");
    await c.say("can you write me a poem");
    await c.say("should I ice my knee?");
    await c.click("unhelpful");
    const unanswered = await insights.listUnanswered(10);
    expect(unanswered.map((u) => u.text)).toEqual(["can you write me a poem"]);
    expect(JSON.stringify(unanswered)).not.toContain("user-secret-id");
    expect(await insights.feedbackSummary()).toEqual([
      { faqId: "icing", helpful: 0, unhelpful: 1 },
    ]);
  });

  it("stores insights in SQLite too", async () => {
    const db = openDatabase(tempDb());
    const insights = createSqliteInsightStore(db);
    const e = testEngine({ insights });
    const c = chat(e);
    await c.say("should I ice my knee?");
    await c.click("helpful");
    expect(await insights.feedbackSummary()).toEqual([
      { faqId: "icing", helpful: 1, unhelpful: 0 },
    ]);
    db.close();
  });

  it("replies to an over-long message with its limit and keeps the session", async () => {
    const e = testEngine({ maxInputChars: 100 });
    const c = chat(e);
    await c.command("triage");
    const question = c.last.find((x) => x.kind === "question")!;
    const r = await c.say("x".repeat(101));
    expect(r).toHaveLength(1);
    expect(r[0]!.text).toContain("100 characters");
    const next = await c.clickSet(question.choices!.id, "none");
    expect(next.find((x) => x.kind === "question")?.meta?.questionId).toBe("onset");
  });

  it("rate limits a flooding user with one friendly reply, then silence, without slowing others", async () => {
    // The limiter's memory backend reads Date; only Date is faked.
    vi.useFakeTimers({ toFake: ["Date"], now: 0 });
    try {
      const e = testEngine({
        rateLimiter: createRateLimiter({ burst: 3, perMinute: 6 }),
        now: () => Date.now(),
      });
      const flood = chat(e, "flooder");
      const other = chat(e, "calm");
      const kinds: string[][] = [];
      for (let i = 0; i < 6; i++)
        kinds.push((await flood.say("should I ice my knee?")).map((r) => r.kind));
      expect(kinds.slice(0, 3).every((k) => k.includes("answer"))).toBe(true);
      expect(kinds[3]).toEqual(["rate-limited"]);
      expect(kinds[4]).toEqual([]);
      expect((await other.say("should I ice my knee?")).map((r) => r.kind)).toContain("answer");
      vi.setSystemTime(60_000);
      expect((await flood.say("should I ice my knee?")).map((r) => r.kind)).toContain("answer");
    } finally {
      vi.useRealTimers();
    }
  });

  it("answers malformed and hostile turns with a short reply and never throws", async () => {
    const e = testEngine();
    const bad = [
      { platform: "test", userId: "", place: { kind: "dm" }, type: "text", text: "hi" },
      { platform: "NOT VALID!", userId: "u", place: { kind: "dm" }, type: "text", text: "hi" },
      {
        platform: "test",
        userId: "u",
        place: { kind: "dm" },
        type: "choice",
        setId: 5,
        values: [],
      },
      { platform: "test", userId: "u", place: { kind: "dm" }, type: "nonsense" },
      null,
    ] as unknown as Turn[];
    for (const t of bad) {
      const r = await e.handle(t);
      expect(r.length).toBeGreaterThan(0);
      expect(r[0]!.text).not.toMatch(/Error|at .*\.ts/);
    }
  });

  it("apologises when the store fails, and loses nothing already saved", async () => {
    const inner = createMemorySessionStore();
    let failing = false;
    const flaky: SessionStore = {
      get: (k) => (failing ? Promise.reject(new Error("disk on fire")) : inner.get(k)),
      set: (k, s) => (failing ? Promise.reject(new Error("disk on fire")) : inner.set(k, s)),
      delete: (k) => inner.delete(k),
      close: () => inner.close(),
    };
    const e = testEngine({ sessions: flaky });
    const c = chat(e);
    await c.command("triage");
    const question = c.last.find((r) => r.kind === "question")!;
    failing = true;
    const r = await c.click("none");
    expect(r.map((x) => x.kind)).toEqual(["error"]);
    expect(r[0]!.text).toMatch(/something went wrong/i);
    failing = false;
    const retry = await c.clickSet(question.choices!.id, "none");
    expect(retry.find((x) => x.kind === "question")?.meta?.questionId).toBe("onset");
  });

  it("serialises quick turns from one user so no answer is lost", async () => {
    const sessions = createMemorySessionStore();
    const e = testEngine({ sessions });
    const c = chat(e);
    await c.command("triage");
    const base = { platform: "test", userId: "u1", place: { kind: "dm" as const } };
    const first = c.last.find((r) => r.kind === "question")!.choices!.id;
    // Two clicks arrive together: the second is for a question that isn't on screen yet.
    const [a, b] = await Promise.all([
      e.handle({ ...base, type: "choice", setId: first, values: ["none"] }),
      e.handle({ ...base, type: "text", text: "it built up over time" }),
    ]);
    expect(a.find((r) => r.kind === "question")?.meta?.questionId).toBe("onset");
    const after = b.find((r) => r.kind === "question")?.meta?.questionId;
    expect(after).toBeDefined();
    expect(after).not.toBe("onset");
    const s = await sessions.get("test:u1");
    expect(s?.triage?.findings).toMatchObject({ rf_pop: "no", onset: "gradual" });
  });

  it("greets on first contact with the disclaimer, once", async () => {
    const c = chat(testEngine());
    const first = await c.say("should I ice my knee?");
    expect(first[0]!.kind).toBe("greeting");
    expect(first[0]!.text).toMatch(/not a diagnosis/);
    const second = await c.say("should I ice my knee?");
    expect(second.some((r) => r.kind === "greeting")).toBe(false);
  });

  it("adds the disclaimer and 'get help sooner' to answers about symptoms", async () => {
    const c = chat(testEngine());
    const r = await c.say("why is my knee swollen");
    const answer = r.find((x) => x.kind === "answer")!;
    expect(answer.text).toMatch(/Get help sooner if/);
    expect(answer.text).toMatch(/not a diagnosis/);
  });
});
