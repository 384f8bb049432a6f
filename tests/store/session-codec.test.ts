/**
 * The session codec: sessions written by version 1 (fixtures/sessions-v1.json, real sessions
 * the previous engine wrote: an FAQ answered, a triage half-way, an offer, a typo'd warning
 * sign, a typed answer to confirm, an outcome with a check-in offer, a check-in awaiting an
 * answer) load in every store after the change to version 2, and a conversation goes on from
 * one. Anything unusable becomes a fresh session, dropped from the store and logged once,
 * without its content.
 */
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { Redis } from "ioredis";
import { pino } from "pino";
import { describe, expect, it } from "vitest";
import { createEngine } from "../../src/engine.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { createRedisSessionStore } from "../../src/store/redis.ts";
import {
  decodeSession,
  encodeSession,
  SESSION_VERSION,
  type Session,
} from "../../src/store/session-codec.ts";
import { createSqliteSessionStore, openDatabase } from "../../src/store/sqlite.ts";
import type { SessionStore } from "../../src/store/types.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { REDIS_NOTICE, redisUp, useRedis } from "./redis-env.ts";

const V1: Record<string, Record<string, unknown>> = JSON.parse(
  readFileSync(join(import.meta.dirname, "fixtures/sessions-v1.json"), "utf8"),
);
const FIXTURES = Object.entries(V1);

/** What version 2 makes of a version 1 session: the same, without `lastOutcome`. */
function upgraded(v1: Record<string, unknown>): Record<string, unknown> {
  const { lastOutcome: _gone, ...rest } = v1;
  return { ...rest, v: 2 };
}

/** A logger that keeps its lines, to count the warnings and check what they hold. */
function captureLogger() {
  const lines: string[] = [];
  const logger = pino({ level: "debug" }, { write: (line: string) => lines.push(line) });
  return { logger, lines };
}

const BROKEN: Array<[string, string, string]> = [
  ["damaged JSON", '{"v":1,"nonce":', "not JSON"],
  ["an array", "[1,2]", "not an object"],
  ["no version", JSON.stringify({ nonce: "n", greeted: true, updatedAt: 1 }), "no version"],
  [
    "a newer version",
    JSON.stringify({ v: SESSION_VERSION + 1, nonce: "n", greeted: true, updatedAt: 1 }),
    `version ${SESSION_VERSION + 1} is newer`,
  ],
  [
    "a wrong field (health details in it)",
    JSON.stringify({
      v: 1,
      nonce: "n",
      greeted: "yes",
      offer: { findings: { rf_locked: 1 } },
      updatedAt: 1,
    }),
    "bad fields: greeted, offer",
  ],
];

describe("decodeSession", () => {
  it("has version-1 fixtures of every part of a session", () => {
    const fields = new Set(FIXTURES.flatMap(([, s]) => Object.keys(s)));
    for (const f of ["triage", "offer", "shown", "confirm", "lastOutcome", "checkIn"])
      expect(fields).toContain(f);
    expect(FIXTURES.every(([, s]) => s.v === 1)).toBe(true);
  });

  it.each(FIXTURES)("upgrades the version-1 session %s", (_name, v1) => {
    const read = decodeSession(JSON.stringify(v1));
    expect(read).toEqual({ type: "session", session: upgraded(v1), migratedFrom: 1 });
  });

  it("reads what it writes, unchanged and not marked as migrated", () => {
    for (const [, v1] of FIXTURES) {
      const session = upgraded(v1) as Session;
      expect(decodeSession(encodeSession(session))).toEqual({ type: "session", session });
    }
  });

  it("keeps a field it does not know (an optional field a later release added)", () => {
    const later = { ...upgraded(V1["mid-triage"]!), mood: { today: "fine" } };
    expect(decodeSession(JSON.stringify(later))).toEqual({ type: "session", session: later });
  });

  it("says when nothing is stored", () => {
    expect(decodeSession(null)).toEqual({ type: "none" });
    expect(decodeSession(undefined)).toEqual({ type: "none" });
  });

  it.each(BROKEN)("calls %s invalid, naming fields but never values", (_what, raw, problem) => {
    const read = decodeSession(raw);
    expect(read.type).toBe("invalid");
    if (read.type === "invalid") {
      expect(read.problem).toContain(problem);
      expect(read.problem).not.toMatch(/rf_locked|yes/);
    }
  });
});

/** A store under test, and a way to put raw text where it keeps a session. */
interface Backend {
  name: string;
  open(logger: ReturnType<typeof captureLogger>["logger"]): SessionStore;
  writeRaw(key: string, raw: string): Promise<void>;
  hasRaw(key: string): Promise<boolean>;
}

function sqliteBackend(): Backend {
  const db = openDatabase(":memory:");
  return {
    name: "SQLite",
    open: (logger) => createSqliteSessionStore(db, { logger }),
    async writeRaw(key, raw) {
      db.prepare("INSERT OR REPLACE INTO sessions (key, data, expires_at) VALUES (?, ?, ?)").run(
        key,
        raw,
        Date.now() + 60_000,
      );
    },
    async hasRaw(key) {
      return db.prepare("SELECT 1 FROM sessions WHERE key = ?").get(key) !== undefined;
    },
  };
}

function redisBackend(redis: () => Redis, prefix: string): Backend {
  return {
    name: "Redis",
    open: (logger) => createRedisSessionStore(redis(), { prefix, logger }),
    async writeRaw(key, raw) {
      await redis().set(`${prefix}session:${key}`, raw, "PX", 60_000);
    },
    async hasRaw(key) {
      return (await redis().exists(`${prefix}session:${key}`)) === 1;
    },
  };
}

/** The same checks on each store that can hold raw text. */
function storeSuite(backend: () => Backend) {
  it.each(FIXTURES)("loads the version-1 session %s", async (name, v1) => {
    const b = backend();
    const { logger, lines } = captureLogger();
    const store = b.open(logger);
    await b.writeRaw(`test:${name}`, JSON.stringify(v1));
    expect(await store.get(`test:${name}`)).toEqual(upgraded(v1));
    expect(lines).toEqual([]);
  });

  it("goes on with a conversation a version-1 session left half-way (an offer of a check)", async () => {
    const b = backend();
    const store = b.open(captureLogger().logger);
    await b.writeRaw("slack:U-offer", JSON.stringify(V1.offer));
    const engine = createEngine({ knowledge: shippedKnowledge(), sessions: store });
    const replies = await engine.handle({
      platform: "slack",
      userId: "U-offer",
      place: { kind: "dm" },
      type: "text",
      text: "yeah go on",
    });
    // The offer's findings were kept: the check starts from them, no greeting again.
    expect(replies.map((r) => r.kind)).not.toContain("greeting");
    expect(replies.map((r) => r.text).join("\n")).toContain("it hurts on the outer side");
    expect(replies.find((r) => r.kind === "question")?.meta?.questionId).toBe("red_flags");
    expect((await store.get("slack:U-offer"))?.v).toBe(SESSION_VERSION);
  });

  it.each(BROKEN)(
    "drops %s, logs it once without content, and starts afresh",
    async (what, raw) => {
      const b = backend();
      const { logger, lines } = captureLogger();
      const store = b.open(logger);
      const key = `test:broken-${what.replace(/\W+/g, "-")}`;
      await b.writeRaw(key, raw);
      expect(await store.get(key)).toBeUndefined();
      expect(await b.hasRaw(key)).toBe(false);
      expect(await store.get(key)).toBeUndefined();
      expect(lines).toHaveLength(1);
      const line = JSON.parse(lines[0]!) as Record<string, unknown>;
      expect(line).toMatchObject({ level: 40, msg: expect.stringContaining("stored session") });
      expect(lines[0]).not.toContain(key);
      expect(lines[0]).not.toMatch(/rf_locked|"yes"/);
    },
  );
}

describe("SQLite sessions through the codec", () => {
  storeSuite(sqliteBackend);
});

describe.skipIf(!redisUp)(`Redis sessions through the codec${REDIS_NOTICE}`, () => {
  const redis = useRedis("codec");
  storeSuite(() => redisBackend(() => redis.clients[0]!, redis.prefix));
});

describe("memory sessions through the codec", () => {
  it("keeps a copy, not the caller's object, and checks it on the way out", async () => {
    const store = createMemorySessionStore();
    const session = upgraded(V1["mid-triage"]!) as Session;
    await store.set("test:m", session);
    session.greeted = false;
    expect(await store.get("test:m")).toEqual(upgraded(V1["mid-triage"]!));
    // A session the engine got wrong is not handed back as if it were fine.
    const { logger, lines } = captureLogger();
    const strict = createMemorySessionStore({ logger });
    await strict.set("test:bad", { ...session, nonce: "has spaces" });
    expect(await strict.get("test:bad")).toBeUndefined();
    expect(lines).toHaveLength(1);
  });
});

describe("loading the engine", () => {
  /** How many better-sqlite3 files a fresh process has loaded after importing `module`. */
  function sqliteFilesLoadedBy(module: string): number {
    const script = `import { createRequire } from "node:module";
await import(${JSON.stringify(`./${module}`)});
const cache = createRequire(import.meta.url).cache;
process.stdout.write(String(Object.keys(cache).filter((k) => k.includes("better-sqlite3")).length));`;
    const out = execFileSync(
      process.execPath,
      ["--import", "tsx", "--input-type=module", "-e", script],
      {
        cwd: join(import.meta.dirname, "../.."),
        encoding: "utf8",
      },
    );
    return Number(out);
  }

  it("does not load the SQLite driver (the session TTL lives with the store types)", () => {
    expect(sqliteFilesLoadedBy("src/engine.ts")).toBe(0);
    // The check can fail: the SQLite store does load it.
    expect(sqliteFilesLoadedBy("src/store/sqlite.ts")).toBeGreaterThan(0);
  });
});
