import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import Database from "better-sqlite3";
import { KneebotError } from "../errors.ts";
import type { InsightStore, Session, SessionStore } from "./types.ts";

/** Default session lifetime: 30 days. */
export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Opens (creating if needed) the SQLite database file, in WAL mode for crash safety. */
export function openDatabase(file: string): Database.Database {
  try {
    if (file !== ":memory:") mkdirSync(dirname(file), { recursive: true });
    const db = new Database(file);
    db.pragma("journal_mode = WAL");
    db.pragma("synchronous = NORMAL");
    db.pragma("busy_timeout = 5000");
    return db;
  } catch (err) {
    throw new KneebotError(
      "store",
      `Could not open the database at ${file}. Check that the folder is writable, or set KNEEBOT_DATA_DIR to one that is.`,
      { cause: err },
    );
  }
}

/** Sessions in a SQLite table; expired rows are ignored on read and purged on a timer. */
export function createSqliteSessionStore(
  db: Database.Database,
  options: { ttlMs?: number; now?: () => number } = {},
): SessionStore & { purgeExpired(): number } {
  const ttl = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
  const now = options.now ?? Date.now;
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
      const row = get.get(key, now());
      if (!row) return undefined;
      try {
        return JSON.parse(row.data) as Session;
      } catch {
        // A damaged row must not wedge the user: drop it and start fresh.
        del.run(key);
        return undefined;
      }
    },
    async set(key, session) {
      put.run(key, JSON.stringify(session), now() + ttl);
    },
    async delete(key) {
      del.run(key);
    },
    purgeExpired() {
      return purge.run(now()).changes;
    },
    async close() {},
  };
}

/** Unanswered questions and feedback in SQLite, with no user ids. */
export function createSqliteInsightStore(db: Database.Database): InsightStore {
  db.exec(`CREATE TABLE IF NOT EXISTS unanswered (
    id INTEGER PRIMARY KEY AUTOINCREMENT, text TEXT NOT NULL, score REAL NOT NULL,
    out_of_scope INTEGER NOT NULL, at INTEGER NOT NULL)`);
  db.exec(`CREATE TABLE IF NOT EXISTS feedback (
    id INTEGER PRIMARY KEY AUTOINCREMENT, faq_id TEXT NOT NULL, helpful INTEGER NOT NULL, at INTEGER NOT NULL)`);
  const addU = db.prepare<[string, number, number, number]>(
    "INSERT INTO unanswered (text, score, out_of_scope, at) VALUES (?, ?, ?, ?)",
  );
  const addF = db.prepare<[string, number, number]>(
    "INSERT INTO feedback (faq_id, helpful, at) VALUES (?, ?, ?)",
  );
  const listU = db.prepare<
    [number],
    { text: string; score: number; out_of_scope: number; at: number }
  >("SELECT text, score, out_of_scope, at FROM unanswered ORDER BY id DESC LIMIT ?");
  const sumF = db.prepare<[], { faq_id: string; helpful: number; unhelpful: number }>(
    "SELECT faq_id, SUM(helpful) AS helpful, SUM(1 - helpful) AS unhelpful FROM feedback GROUP BY faq_id ORDER BY faq_id",
  );
  return {
    async recordUnanswered(r) {
      addU.run(r.text, r.score, r.outOfScope ? 1 : 0, r.at);
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
    async close() {},
  };
}
