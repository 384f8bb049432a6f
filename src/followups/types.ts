/**
 * Follow-up check-ins behind a small interface: what a scheduled check-in is, what a delivery
 * attempt can come to, and the scheduler every backend (SQLite, BullMQ on Redis) implements.
 * Nothing here knows a platform SDK: adapters hand in a DirectSender.
 */
import { randomBytes } from "node:crypto";
import type { Reply } from "../types.ts";

/** Where a check-in is in its life. "claimed": a process is sending it right now. */
export type FollowUpStatus = "pending" | "claimed" | "sent" | "undeliverable" | "cancelled";

/** One scheduled DM check-in for one user. JSON-serialisable. */
export interface FollowUpJob {
  /** Our id, also the BullMQ job id and the ref in choice set ids `u.<id>` (≤ 40 chars, [a-z0-9]). */
  id: string;
  platform: string;
  userId: string;
  /** When it is due (epoch ms). Snoozing moves it; retries do not. */
  dueAt: number;
  createdAt: number;
  /** 1 for the first check-in after a triage, 2 for the next one, and so on. */
  seq: number;
  /** The triage outcome it follows up: condition id and level id. */
  condition: string;
  level: string;
  /** IANA time zone the due time was computed in, when the platform told it. */
  timeZone?: string;
  /** Delivery attempts started so far (a crash mid-send counts as one). */
  attempts: number;
  status: FollowUpStatus;
  /** The last failure: a short machine-readable reason, never message text. */
  lastError?: string;
}

/** What `Scheduler.schedule` takes: the job without its bookkeeping fields. */
export type NewFollowUp = Omit<FollowUpJob, "attempts" | "status" | "lastError" | "createdAt"> & {
  createdAt?: number;
};

/**
 * The result of one delivery attempt. "retry": a transient failure (timeout, rate limit, 5xx);
 * "undeliverable": a permanent one (DMs closed, user gone), recorded and never retried.
 */
export type DeliveryResult =
  | { type: "sent" }
  | { type: "retry"; error: string }
  | { type: "undeliverable"; reason: string };

/**
 * Delivers one due check-in. `lateMs` is how long after `dueAt` the attempt happens, so the
 * message can apologise when the bot was down for long (see LATE_AFTER_MS). `resend`: an
 * earlier attempt at this job started (it may have reached the platform before a crash).
 */
export type DeliverFn = (
  job: FollowUpJob,
  lateMs: number,
  attempt?: { resend: boolean },
) => Promise<DeliveryResult>;

/**
 * What makes a send idempotent. `key` is the same for every attempt at one delivery (the job
 * id, ≤ 20 characters of [a-z0-9]); `resend` says an earlier attempt may have reached the
 * platform. A sender makes a repeated send a no-op where the platform allows: Discord's
 * `nonce` with `enforce_nonce`, Slack's message metadata looked up in the DM's history.
 */
export interface DeliveryKey {
  key: string;
  resend: boolean;
}

/** Sends replies to a user by DM. Each adapter provides one (`sendDirect`). */
export type DirectSender = (
  platform: string,
  userId: string,
  replies: Reply[],
  delivery?: DeliveryKey,
) => Promise<DeliveryResult>;

/** Durable storage and delivery of check-ins. Every method is safe to call from any process. */
export interface Scheduler {
  /** Stores a job (idempotent on `id`: scheduling the same id twice keeps one). */
  schedule(job: NewFollowUp): Promise<FollowUpJob>;
  /** One job of this user, whatever its status; undefined when unknown or someone else's. */
  get(platform: string, userId: string, id: string): Promise<FollowUpJob | undefined>;
  /** The user's pending check-ins, soonest first. */
  list(platform: string, userId: string): Promise<FollowUpJob[]>;
  /** Cancels one pending check-in, or all of the user's when `id` is omitted. Returns how many. */
  cancel(platform: string, userId: string, id?: string): Promise<number>;
  /** Moves a pending check-in to `until`. False when it is no longer pending. */
  snooze(platform: string, userId: string, id: string, until: number): Promise<boolean>;
  /** Deletes every record about the user, in any status ("forget me"). */
  forgetUser(platform: string, userId: string): Promise<void>;
  /** Starts delivering due jobs through `deliver` (polling or a worker). */
  start(deliver: DeliverFn): void;
  /** Processes what is due now, once. Returns how many jobs it handed to delivery. */
  runDue(): Promise<number>;
  /** Stops delivering and waits for deliveries in flight. Jobs stay stored. */
  stop(): Promise<void>;
  /** stop(), then releases connections. The scheduler is unusable afterwards. */
  close(): Promise<void>;
}

/**
 * How long after it arrives a check-in waits for its answer before a message about something
 * else closes it as "no reply". Until then the runner may talk about anything and still answer.
 * The report counts a check-in sent longer ago than this and never answered as "no reply".
 */
export const REPLY_WINDOW_MS = 3 * 24 * 60 * 60 * 1000;

/** A check-in more than this late when delivered gets the softer "sorry I missed it" wording. */
export const LATE_AFTER_MS = 24 * 60 * 60 * 1000;

/** Attempts before a transiently failing check-in is recorded as undeliverable. */
export const MAX_ATTEMPTS = 6;

/** Delay before the n-th retry (n ≥ 1): 30 s, 1 min, 2 min… capped at 30 min. */
export function backoffMs(attempt: number, baseMs = 30_000): number {
  return Math.min(baseMs * 2 ** Math.max(0, attempt - 1), 30 * 60_000);
}

/** A new job id: "f" plus 16 hex digits (fits set ids `u.<id>`; never numeric for BullMQ). */
export function newJobId(): string {
  return `f${randomBytes(8).toString("hex")}`;
}
