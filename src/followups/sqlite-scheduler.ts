/**
 * The embedded scheduler: a durable table of check-ins in the bot's SQLite file, polled by the
 * process. Several processes may share the file; each job is claimed in a transaction.
 *
 * Exactly once across crashes: a due job is claimed (status "claimed", a fresh claim token and a
 * lease expiry, attempts + 1) in one transaction, then sent, then marked "sent" only if the
 * claim is still ours. A process that crashes mid-send leaves a claim whose lease expires; the
 * next poll (in any process) claims it again and resends it with `resend: true` and the same
 * key (the job id), so a message the platform already accepted is found (Discord's nonce,
 * Slack's metadata) instead of sent twice.
 */

import { randomBytes } from "node:crypto";
import type Database from "better-sqlite3";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import {
  backoffMs,
  type DeliverFn,
  type FollowUpJob,
  type FollowUpStatus,
  MAX_ATTEMPTS,
  type NewFollowUp,
  type Scheduler,
} from "./types.ts";

/** Options for the SQLite scheduler. */
export interface SqliteSchedulerOptions {
  /** How often to look for due jobs (default 15 s). The timer never keeps the process alive. */
  pollMs?: number;
  /** How long a claim lasts before another poll may take the job over (default 2 min). */
  leaseMs?: number;
  /** Attempts before a transiently failing job becomes undeliverable (default MAX_ATTEMPTS). */
  maxAttempts?: number;
  /** Base of the exponential retry delay (default 30 s). */
  backoffBaseMs?: number;
  /** Jobs delivered in parallel per batch (default 16). */
  batch?: number;
  /** Finished records (sent, cancelled, undeliverable) are deleted this long after (30 days). */
  keepFinishedMs?: number;
  now?: () => number;
  logger?: Logger;
}

/** The default poll interval. */
export const DEFAULT_POLL_MS = 15_000;
const DAY = 24 * 60 * 60 * 1000;
/** Claims left by crashes may use this many times maxAttempts before the job is given up. */
const CRASH_FACTOR = 2;

interface Row {
  id: string;
  platform: string;
  user_id: string;
  due_at: number;
  created_at: number;
  seq: number;
  condition: string;
  level: string;
  time_zone: string | null;
  attempts: number;
  status: FollowUpStatus;
  last_error: string | null;
}

function toJob(r: Row): FollowUpJob {
  return {
    id: r.id,
    platform: r.platform,
    userId: r.user_id,
    dueAt: r.due_at,
    createdAt: r.created_at,
    seq: r.seq,
    condition: r.condition,
    level: r.level,
    ...(r.time_zone ? { timeZone: r.time_zone } : {}),
    attempts: r.attempts,
    status: r.status,
    ...(r.last_error ? { lastError: r.last_error } : {}),
  };
}

/** A Scheduler on a SQLite database (the bot's own file, or ":memory:" for tests). */
export function createSqliteScheduler(
  db: Database.Database,
  options: SqliteSchedulerOptions = {},
): Scheduler {
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const pollMs = options.pollMs ?? DEFAULT_POLL_MS;
  const leaseMs = options.leaseMs ?? 2 * 60_000;
  const maxAttempts = options.maxAttempts ?? MAX_ATTEMPTS;
  const backoffBase = options.backoffBaseMs ?? 30_000;
  const batch = options.batch ?? 16;
  const keepFinished = options.keepFinishedMs ?? 30 * DAY;

  db.exec(`CREATE TABLE IF NOT EXISTS followups (
    id TEXT PRIMARY KEY,
    platform TEXT NOT NULL,
    user_id TEXT NOT NULL,
    due_at INTEGER NOT NULL,
    run_at INTEGER NOT NULL,
    created_at INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    condition TEXT NOT NULL,
    level TEXT NOT NULL,
    time_zone TEXT,
    attempts INTEGER NOT NULL DEFAULT 0,
    status TEXT NOT NULL,
    last_error TEXT,
    claim_token TEXT,
    lease_until INTEGER,
    finished_at INTEGER
  )`);
  db.exec("CREATE INDEX IF NOT EXISTS followups_due ON followups (status, run_at)");
  db.exec("CREATE INDEX IF NOT EXISTS followups_user ON followups (platform, user_id)");

  const cols =
    "id, platform, user_id, due_at, created_at, seq, condition, level, time_zone, attempts, status, last_error";
  const insert = db.prepare(
    `INSERT INTO followups (id, platform, user_id, due_at, run_at, created_at, seq, condition, level, time_zone, status)
     VALUES (@id, @platform, @user_id, @due_at, @due_at, @created_at, @seq, @condition, @level, @time_zone, 'pending')
     ON CONFLICT(id) DO NOTHING`,
  );
  const getOne = db.prepare<[string, string, string], Row>(
    `SELECT ${cols} FROM followups WHERE id = ? AND platform = ? AND user_id = ?`,
  );
  const listPending = db.prepare<[string, string], Row>(
    `SELECT ${cols} FROM followups WHERE platform = ? AND user_id = ? AND status = 'pending' ORDER BY due_at, id`,
  );
  // Cancelling also drops a claim, so a send in flight cannot mark the row "sent" afterwards.
  const cancelOne = db.prepare<[number, string, string, string]>(
    `UPDATE followups SET status = 'cancelled', claim_token = NULL, finished_at = ?
     WHERE id = ? AND platform = ? AND user_id = ? AND status IN ('pending', 'claimed')`,
  );
  const cancelAll = db.prepare<[number, string, string]>(
    `UPDATE followups SET status = 'cancelled', claim_token = NULL, finished_at = ?
     WHERE platform = ? AND user_id = ? AND status IN ('pending', 'claimed')`,
  );
  const snoozeOne = db.prepare<[number, number, string, string, string]>(
    `UPDATE followups SET due_at = ?, run_at = ?
     WHERE id = ? AND platform = ? AND user_id = ? AND status = 'pending'`,
  );
  const forget = db.prepare<[string, string]>(
    "DELETE FROM followups WHERE platform = ? AND user_id = ?",
  );
  const due = db.prepare<[number, number, number], { id: string }>(
    `SELECT id FROM followups
     WHERE (status = 'pending' AND run_at <= ?) OR (status = 'claimed' AND lease_until <= ?)
     ORDER BY run_at LIMIT ?`,
  );
  const claimOne = db.prepare<[string, number, string]>(
    `UPDATE followups SET status = 'claimed', claim_token = ?, lease_until = ?, attempts = attempts + 1
     WHERE id = ?`,
  );
  const readById = db.prepare<[string], Row>(`SELECT ${cols} FROM followups WHERE id = ?`);
  const markSent = db.prepare<[number, string, string]>(
    `UPDATE followups SET status = 'sent', claim_token = NULL, lease_until = NULL, finished_at = ?
     WHERE id = ? AND claim_token = ?`,
  );
  const markRetry = db.prepare<[number, string, string, string]>(
    `UPDATE followups SET status = 'pending', run_at = ?, last_error = ?, claim_token = NULL, lease_until = NULL
     WHERE id = ? AND claim_token = ?`,
  );
  const markFailed = db.prepare<[string, number, string, string]>(
    `UPDATE followups SET status = 'undeliverable', last_error = ?, claim_token = NULL, lease_until = NULL, finished_at = ?
     WHERE id = ? AND claim_token = ?`,
  );
  // A job that crashed the process on every attempt must not loop for ever. A claim left by a
  // crash is otherwise tried again (idempotently: the send is keyed by the job), so a check-in
  // the platform accepted just before a crash is found and marked sent, never given up on.
  const exhaust = db.prepare<[number, number]>(
    `UPDATE followups SET status = 'undeliverable', last_error = 'attempts-exhausted', claim_token = NULL, finished_at = ?
     WHERE status = 'claimed' AND lease_until <= ? AND attempts >= ${Math.floor(maxAttempts * CRASH_FACTOR)}`,
  );
  const purge = db.prepare<[number]>(
    "DELETE FROM followups WHERE finished_at IS NOT NULL AND finished_at <= ?",
  );

  const claim = db.transaction((t: number): Array<{ job: FollowUpJob; token: string }> => {
    exhaust.run(t, t);
    const ids = due.all(t, t, batch);
    return ids.map(({ id }) => {
      const token = randomBytes(9).toString("base64url");
      claimOne.run(token, t + leaseMs, id);
      return { job: toJob(readById.get(id)!), token };
    });
  });

  let deliver: DeliverFn | undefined;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<number> | undefined;
  let lastPurge = 0;

  const deliverOne = async (fn: DeliverFn, job: FollowUpJob, token: string): Promise<void> => {
    const started = now();
    let result: Awaited<ReturnType<DeliverFn>>;
    try {
      result = await fn(job, Math.max(0, started - job.dueAt), { resend: job.attempts > 1 });
    } catch (err) {
      // A throwing sender is a bug or an outage, not a verdict on the user: retry.
      logger.error({ err, jobId: job.id }, "follow-up delivery threw");
      result = { type: "retry", error: "exception" };
    }
    const t = now();
    // A crash before this write is covered by the keyed resend after the lease.
    if (result.type === "sent") markSent.run(t, job.id, token);
    else if (result.type === "undeliverable")
      markFailed.run(result.reason.slice(0, 200), t, job.id, token);
    else if (job.attempts >= maxAttempts)
      markFailed.run(`attempts-exhausted: ${result.error}`.slice(0, 200), t, job.id, token);
    else
      markRetry.run(
        t + backoffMs(job.attempts, backoffBase),
        result.error.slice(0, 200),
        job.id,
        token,
      );
  };

  const runOnce = async (): Promise<number> => {
    let total = 0;
    for (;;) {
      const fn = deliver;
      if (!fn) break;
      const claimed = claim(now());
      if (claimed.length === 0) break;
      total += claimed.length;
      await Promise.all(claimed.map((c) => deliverOne(fn, c.job, c.token)));
    }
    const t = now();
    if (t - lastPurge > 60 * 60_000) {
      lastPurge = t;
      purge.run(t - keepFinished);
    }
    return total;
  };

  const runDue = (): Promise<number> => {
    // One pass at a time per process: the timer and a test's runDue() never overlap.
    if (!running) {
      running = runOnce().finally(() => {
        running = undefined;
      });
    }
    return running;
  };

  const stop = async () => {
    if (timer) clearInterval(timer);
    timer = undefined;
    deliver = undefined;
    if (running) await running.catch(() => undefined);
  };

  return {
    async schedule(job: NewFollowUp) {
      insert.run({
        id: job.id,
        platform: job.platform,
        user_id: job.userId,
        due_at: job.dueAt,
        created_at: job.createdAt ?? now(),
        seq: job.seq,
        condition: job.condition,
        level: job.level,
        time_zone: job.timeZone ?? null,
      });
      return toJob(readById.get(job.id)!);
    },
    async get(platform, userId, id) {
      const row = getOne.get(id, platform, userId);
      return row ? toJob(row) : undefined;
    },
    async list(platform, userId) {
      return listPending.all(platform, userId).map(toJob);
    },
    async cancel(platform, userId, id) {
      const t = now();
      return id === undefined
        ? cancelAll.run(t, platform, userId).changes
        : cancelOne.run(t, id, platform, userId).changes;
    },
    async snooze(platform, userId, id, until) {
      return snoozeOne.run(until, until, id, platform, userId).changes > 0;
    },
    async forgetUser(platform, userId) {
      forget.run(platform, userId);
    },
    start(fn) {
      deliver = fn;
      if (timer) return;
      timer = setInterval(() => {
        runDue().catch((err: unknown) => logger.error({ err }, "follow-up poll failed"));
      }, pollMs);
      timer.unref();
      // Catch up straight away on what fell due while the bot was down.
      runDue().catch((err: unknown) => logger.error({ err }, "follow-up poll failed"));
    },
    runDue,
    stop,
    async close() {
      await stop();
    },
  };
}
