/**
 * The engine under fuzz: the real engine on the shipped knowledge, with the real follow-up
 * hooks on a SQLite scheduler, no rate limiter (a limited user may legitimately get silence),
 * and a fake clock. Building an engine compiles the matcher (~15 ms), far more than a turn
 * costs, so one engine serves every sequence: its stores are swapped for fresh ones per
 * sequence, and the engine keeps nothing else between turns.
 */
import { afterAll } from "vitest";
import { decodeSet } from "../../src/engine/ids.ts";
import { createEngine, type KneebotEngine, sessionKey } from "../../src/engine.ts";
import { createFollowUps } from "../../src/followups/conversation.ts";
import { withProcessLock } from "../../src/followups/local-lock.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Knowledge } from "../../src/knowledge/load.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "../../src/store/memory.ts";
import { decodeSession, encodeSession } from "../../src/store/session-codec.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Place, Reply } from "../../src/types.ts";
import { seededRandom, shippedKnowledge } from "../helpers/knowledge.ts";
import { allProblems } from "./limits.ts";

/** A user of the fuzzed conversations: platform and id (one id on two platforms on purpose). */
export const ROSTER = [
  { platform: "discord", userId: "301234567890123456" },
  { platform: "slack", userId: "U1" },
  { platform: "discord", userId: "U1" },
  { platform: "terminal", userId: "local" },
  { platform: "slack", userId: "U2" },
] as const;

/** Where a turn happens. */
export const PLACES: readonly Place[] = [
  { kind: "dm" },
  { kind: "channel", id: "C1" },
  { kind: "channel", id: "C2" },
];

/** Start of the fake clock (a Monday, 10:00 UTC). */
export const T0 = Date.UTC(2026, 10, 2, 10);

/** A DM check-in the scheduler delivered during a sequence. */
export interface Delivered {
  platform: string;
  userId: string;
  replies: Reply[];
}

/** Builds the fuzz harness; its SQLite file is closed after the test file. */
export function createFuzzHarness() {
  const k: Knowledge = shippedKnowledge();
  const clock = { t: T0 };
  let rng = seededRandom(1);
  let store: SessionStore = createMemorySessionStore();
  // What the engine last wrote per key, checked with the stores' own codec.
  let written = new Map<string, string>();
  const swappable: SessionStore = {
    get: (key) => store.get(key),
    set: (key, s) => {
      written.set(key, encodeSession(s));
      return store.set(key, s);
    },
    delete: (key) => {
      written.delete(key);
      return store.delete(key);
    },
    close: async () => undefined,
  };
  const sessions = withProcessLock(swappable);
  const db = openDatabase(":memory:");
  const scheduler = createSqliteScheduler(db, { now: () => clock.t, pollMs: 3_600_000 });
  const now = () => clock.t;
  const build = (): KneebotEngine => {
    const followUps = createFollowUps({ scheduler, knowledge: k, sessions, now });
    return createEngine({
      knowledge: k,
      sessions,
      insights: createMemoryInsightStore(),
      followUps,
      now,
      random: () => rng(),
    });
  };
  const engine = build();
  // A second engine that never saw the sequence: it only knows what the store holds.
  const fresh = build();
  let delivered: Delivered[] = [];
  const deliveries = createFollowUps({ scheduler, knowledge: k, sessions, now });
  scheduler.start(
    deliveries.deliverWith(async (platform, userId, replies) => {
      delivered.push({ platform, userId, replies });
      return { type: "sent" };
    }),
  );
  afterAll(async () => {
    await scheduler.close();
    db.close();
  });

  return {
    knowledge: k,
    engine,
    clock,
    scheduler,
    /** Fresh stores, clock and random source for a new sequence. */
    reset(seed: number) {
      store = createMemorySessionStore();
      written = new Map();
      db.exec("DELETE FROM followups");
      clock.t = T0;
      rng = seededRandom(seed);
      delivered = [];
    },
    /** Moves the clock and delivers what fell due; returns the DMs sent. */
    async tick(ms: number): Promise<Delivered[]> {
      clock.t += ms;
      delivered = [];
      await scheduler.runDue();
      return delivered;
    },
    /** Raw session of a user, as stored. */
    session: (platform: string, userId: string) => store.get(sessionKey(platform, userId)),
    /**
     * Problems with a user's stored session: it must round-trip through JSON, match the shape,
     * point at real questions and levels, and a fresh engine must answer "help" and
     * "check my knee" from it normally.
     */
    async sessionProblems(platform: string, userId: string): Promise<string[]> {
      const problems: string[] = [];
      const key = sessionKey(platform, userId);
      const read = decodeSession(written.get(key));
      if (read.type === "invalid") problems.push(`session shape: ${read.problem}`);
      const s = await store.get(key);
      if (s) {
        const round = JSON.parse(JSON.stringify(s)) as unknown;
        if (JSON.stringify(round) !== JSON.stringify(s)) problems.push("session not JSON-stable");
        const qid = s.triage?.questionId;
        if (qid !== undefined && !k.triage.questions.some((q) => q.id === qid))
          problems.push(`session asks unknown question ${qid}`);
      }
      const base = { platform, userId, place: { kind: "dm" as const } };
      const help = await fresh.handle({ ...base, type: "text", text: "help" });
      problems.push(...allProblems(help).map((p) => `fresh help: ${p}`));
      if (!help.some((r) => r.text === k.wording.help))
        problems.push(`fresh engine: "help" answered ${JSON.stringify(help.map((r) => r.kind))}`);
      const check = await fresh.handle({ ...base, type: "text", text: "check my knee" });
      problems.push(...allProblems(check).map((p) => `fresh check: ${p}`));
      const q = check.find((r) => r.kind === "question");
      const ref = q?.choices ? decodeSet(q.choices.id) : undefined;
      if (ref?.type !== "question")
        problems.push(
          `fresh engine: "check my knee" answered ${JSON.stringify(check.map((r) => r.kind))}`,
        );
      return problems;
    },
  };
}

/** The harness type. */
export type FuzzHarness = ReturnType<typeof createFuzzHarness>;
