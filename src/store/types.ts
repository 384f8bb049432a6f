import type { InsightEvent } from "./insight-events.ts";
import type { Session } from "./session-codec.ts";

export type { CheckInState, Session, ShownChoices, TriageState } from "./session-codec.ts";

/** Default session lifetime: 30 days. */
export const DEFAULT_SESSION_TTL_MS = 30 * 24 * 60 * 60 * 1000;

/** Sessions keyed by `platform:userId`. Small on purpose: get, set, delete. */
export interface SessionStore {
  get(key: string): Promise<Session | undefined>;
  set(key: string, session: Session): Promise<void>;
  delete(key: string): Promise<void>;
  /**
   * Runs `fn` while holding the key exclusively across processes. Stores shared by several
   * processes (Redis) implement it; the engine already serialises turns within one process.
   */
  withLock?<T>(key: string, fn: () => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

/** Longest list of unanswered questions kept, in every store (oldest dropped first). */
export const MAX_UNANSWERED = 10_000;
/** Unanswered questions older than this are dropped (SQLite; 180 days). */
export const UNANSWERED_KEEP_MS = 180 * 24 * 60 * 60 * 1000;

/** Anonymous records for the knowledge maintainers: no user ids, ever. */
export interface InsightStore {
  recordUnanswered(record: {
    text: string;
    score: number;
    outOfScope: boolean;
    at: number;
  }): Promise<void>;
  recordFeedback(record: { faqId: string; helpful: boolean; at: number }): Promise<void>;
  listUnanswered(
    limit: number,
  ): Promise<Array<{ text: string; score: number; outOfScope: boolean; at: number }>>;
  feedbackSummary(): Promise<Array<{ faqId: string; helpful: number; unhelpful: number }>>;
  /** Records an anonymous event for the organiser's report (see insight-events.ts). */
  recordEvent?(event: InsightEvent): Promise<void>;
  /** Events at or after `since`, oldest first. */
  listEvents?(since: number): Promise<InsightEvent[]>;
  close(): Promise<void>;
}
