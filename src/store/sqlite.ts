import { createHash, randomBytes } from "node:crypto";
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { KneebotError } from "../errors.ts";
import type { Logger } from "../logger.ts";
import { decodeEvent, MAX_EVENTS } from "./insight-events.ts";
import { createKeyedQueue } from "./keyed-queue.ts";
import { encodeSession, readStoredSession } from "./session-codec.ts";
import {
  DEFAULT_SESSION_TTL_MS,
  type InsightStore,
  MAX_UNANSWERED,
  type SessionStore,
  UNANSWERED_KEEP_MS,
} from "./types.ts";

/** Opens (creating if needed) the SQLite database file, in WAL mode for crash safety. */
export function openDatabase(file: string): Database.Database {
  let db: Database.Database;
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    db = new Database(file);
  } catch (err) {
    throw new KneebotError(
      "store",
      `Could not open the database at ${file}. Check that the folder is writable, or set KNEEBOT_DATA_DIR to one that is.`,
      { cause: err },
    );
  }
  // Checked before anything writes (switching to WAL rewrites the header), so a damaged file
  // is left exactly as it was.
  try {
    db.pragma("busy_timeout = 5000");
    if (file !== ":memory:") {
      const check = db.pragma("quick_check", { simple: true });
      if (check !== "ok") throw Object.assign(new Error(String(check)), { code: "SQLITE_CORRUPT" });
    }
  } catch (err) {
    db.close();
    const code = (err as { code?: unknown }).code;
    if (code === "SQLITE_NOTADB" || code === "SQLITE_CORRUPT" || code === "SQLITE_CORRUPT_VTAB") {
      throw new KneebotError(
        "store",
        `The database at ${file} is not a SQLite database, or is damaged. It was left untouched: move it aside (or restore a backup) and start again.`,
        { cause: err },
      );
    }
    throw new KneebotError("store", `Could not read the database at ${file}.`, { cause: err });
  }
  try {
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    // Deleted rows are overwritten with zeros, not left readable in free space ("forget me").
    db.pragma("secure_delete = ON");
    return db;
  } catch (err) {
    db.close();
    throw new KneebotError(
      "store",
      `Could not open the database at ${file}. Check that the folder is writable, or set KNEEBOT_DATA_DIR to one that is.`,
      { cause: err },
    );
  }
}

/**
 * This installation's salt for hashing ids in logs, generated on first use and kept in the
 * file (table `meta`), so no two installations share one when KNEEBOT_HASH_SALT is unset.
 */
export function sqliteSalt(db: Database.Database): string {
  db.exec("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)");
  db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('hash_salt', ?)").run(
    randomBytes(24).toString("base64url"),
  );
  return db.prepare("SELECT value FROM meta WHERE key = 'hash_salt'").pluck().get() as string;
}

/** How long a session lock is held without renewal before another process may take it. */
export const SQLITE_LOCK_LEASE_MS = 15_000;
/** How long a turn waits for another process's turn of the same user. */
export const SQLITE_LOCK_WAIT_MS = 10_000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Sessions in a SQLite table; expired rows are ignored on read, purged on a timer and by
 * purgeExpired() (the runtime calls it at start too).
 *
 * `withLock` makes a read-modify-write of one session exclusive across every process on the
 * file: inside a process a queue per key, across processes a row in `session_locks` taken
 * with one atomic upsert (only when free or its lease ran out), renewed while held, deleted on
 * release. A process that dies holding one blocks that user for at most the lease.
 */
export function createSqliteSessionStore(
  db: Database.Database,
  options: { ttlMs?: number; now?: () => number; lockWaitMs?: number; logger?: Logger } = {},
): SessionStore & { purgeExpired(): number } {
  const ttl = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = options.now ?? Date.now;
  const waitMs = options.lockWaitMs ?? SQLITE_LOCK_WAIT_MS;
  db.exec(`CREATE TABLE IF NOT EXISTS session_locks (
    key TEXT PRIMARY KEY,
    token TEXT NOT NULL,
    until INTEGER NOT NULL
  )`);
  // Leases are real time, whatever clock the sessions use.
  const take = db.prepare<[string, string, number, number]>(
    `INSERT INTO session_locks (key, token, until) VALUES (?, ?, ?)
     ON CONFLICT(key) DO UPDATE SET token = excluded.token, until = excluded.until
     WHERE session_locks.until <= ?`,
  );
  const renew = db.prepare<[number, string, string]>(
    "UPDATE session_locks SET until = ? WHERE key = ? AND token = ?",
  );
  const release = db.prepare<[string, string]>(
    "DELETE FROM session_locks WHERE key = ? AND token = ?",
  );
  const purgeLocks = db.prepare<[number]>("DELETE FROM session_locks WHERE until <= ?");
  const local = createKeyedQueue();
  const crossProcess = async <T>(sessionKey: string, fn: () => Promise<T>): Promise<T> => {
    // A hash, so the lock rows (and the WAL frames they leave) never hold a user id.
    const key = createHash("sha256").update(sessionKey).digest("base64url").slice(0, 24);
    const token = randomBytes(12).toString("base64url");
    const deadline = Date.now() + waitMs;
    let pause = 2;
    for (;;) {
      const t = Date.now();
      if (take.run(key, token, t + SQLITE_LOCK_LEASE_MS, t).changes > 0) break;
      if (t >= deadline) {
        throw new KneebotError(
          "store",
          `Timed out after ${waitMs} ms waiting for another process's turn of the same user.`,
        );
      }
      await sleep(pause + Math.random() * pause);
      pause = Math.min(pause * 2, 50);
    }
    const renewer = setInterval(() => {
      try {
        renew.run(Date.now() + SQLITE_LOCK_LEASE_MS, key, token);
      } catch {
        // The database is closing; the release below (or the lease) ends the lock.
      }
    }, SQLITE_LOCK_LEASE_MS / 3);
    renewer.unref();
    try {
      return await fn();
    } finally {
      clearInterval(renewer);
      try {
        release.run(key, token);
      } catch {
        // Closed under us: the lease runs out on its own.
      }
    }
  };
  db.exec(`CREATE TABLE IF NOT EXISTS sessions (
    key TEXT PRIMARY KEY,
    data TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  )`);
  const get = db.prepare<[string, number], { data: string }>(
    "SELECT data FROM sessions WHERE key = ? AND expires_at > ?",
  );
  const put = db.prepare<[string, string, number]>(
    "INSERT INTO sessions (key, data, expires_at) VALUES (?, ?, ?) ON CONFLICT(key) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
  );
  const del = db.prepare<[string]>("DELETE FROM sessions WHERE key = ?");
  const purge = db.prepare<[number]>("DELETE FROM sessions WHERE expires_at <= ?");
  return {
    async get(key) {
      return readStoredSession(get.get(key, now())?.data, {
        store: "sqlite",
        logger: options.logger,
        drop: () => del.run(key),
      });
    },
    async set(key, session) {
      put.run(key, encodeSession(session), now() + ttl);
    },
    async delete(key) {
      del.run(key);
      // "Forget me" (the follow-up records went just before): move everything out of the WAL
      // into the file, where secure_delete has zeroed it, and empty the WAL.
      if (!db.memory) db.pragma("wal_checkpoint(TRUNCATE)");
    },
    withLock: (key, fn) => local(key, () => crossProcess(key, fn)),
    purgeExpired() {
      purgeLocks.run(Date.now());
      return purge.run(now()).changes;
    },
    async close() {},
  };
}

/** Unanswered questions and feedback in SQLite, with no user ids; at most MAX_UNANSWERED questions, none older than UNANSWERED_KEEP_MS. */
export function createSqliteInsightStore(db: Database.Database): InsightStore {
  db.exec(`CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, score REAL NOT NULL,
    out_of_scope INTEGER NOT NULL, at INTEGER NOT NULL)`);
  db.exec(`CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, faq_id TEXT NOT NULL, helpful INTEGER NOT NULL, at INTEGER NOT NULL)`);
  const addU = db.prepare<[string, number, number, number]>(
    "INSERT INTO unanswered (text, score, out_of_scope, at) VALUES (?, ?, ?, ?)",
  );
  // The same cap as Redis, and an age limit: oldest dropped first.
  const trimU = db.prepare<[number]>(
    `DELETE FROM unanswered WHERE id <= (SELECT id FROM unanswered ORDER BY id DESC LIMIT 1 OFFSET ${MAX_UNANSWERED})
     OR at < ?`,
  );
  const addF = db.prepare<[string, number, number]>(
    "INSERT INTO feedback (faq_id, helpful, at) VALUES (?, ?, ?)",
  );
  const listU = db.prepare<
    [number],
    { text: string; score: number; out_of_scope: number; at: number }
  >("SELECT text, score, out_of_scope, at FROM unanswered ORDER BY id DESC LIMIT ?");
  db.exec(`CREATE TABLE IF NOT EXISTS insight_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT, at INTEGER NOT NULL, body TEXT NOT NULL)`);
  const addE = db.prepare<[number, string]>("INSERT INTO insight_events (at, body) VALUES (?, ?)");
  const trimE = db.prepare(
    `DELETE FROM insight_events WHERE id <= (SELECT id FROM insight_events ORDER BY id DESC LIMIT 1 OFFSET ${MAX_EVENTS})`,
  );
  const listE = db.prepare<[number], { body: string }>(
    "SELECT body FROM insight_events WHERE at >= ? ORDER BY at, id",
  );
  const sumF = db.prepare<[], { faq_id: string; helpful: number; unhelpful: number }>(
    "SELECT faq_id, SUM(helpful) AS helpful, SUM(1 - helpful) AS unhelpful FROM feedback GROUP BY faq_id ORDER BY faq_id",
  );
  return {
    async recordUnanswered(r) {
      addU.run(r.text, r.score, r.outOfScope ? 1 : 0, r.at);
      trimU.run(r.at - UNANSWERED_KEEP_MS);
    },
    async recordFeedback(r) {
      addF.run(r.faqId, r.helpful ? 1 : 0, r.at);
    },
    async listUnanswered(limit) {
      return listU
        .all(limit)
        .map((r) => ({ text: r.text, score: r.score, outOfScope: r.out_of_scope === 1, at: r.at }));
    },
    async feedbackSummary() {
      return sumF
        .all()
        .map((r) => ({ faqId: r.faq_id, helpful: r.helpful, unhelpful: r.unhelpful }));
    },
    async recordEvent(e) {
      addE.run(e.at, JSON.stringify(e));
      trimE.run();
    },
    async listEvents(since) {
      return listE.all(since).flatMap((r) => decodeEvent(r.body) ?? []);
    },
    async close() {},
  };
}
