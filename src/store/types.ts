import type { Findings } from "../triage/extract.ts";
import type { InsightEvent } from "./insight-events.ts";

/** A set of choices as shown: its id (which carries its own state) and its options. */
export interface ShownChoices {
  id: string;
  options: Array<{ value: string; label: string }>;
}

/** Where a runner is in a triage. */
export interface TriageState {
  /** The flow version the questions came from; a newer flow expires old buttons. */
  version: number;
  findings: Findings;
  /** The question waiting for an answer. */
  questionId?: string;
  /** The findings that question asks about (a checklist may show only some items). */
  open?: string[];
  /** Red flags the runner was unsure about: their warnings go on the outcome. */
  unsureFlags: string[];
  /** True once the red-flag screen was re-asked in plainer words. */
  plainAsked: boolean;
  /** Questions asked so far, for the evaluation tools and metrics. */
  asked: number;
}

/** What the follow-up side keeps in a session, so buttons and free text can be understood. */
export interface CheckInState {
  /** An offer of a check-in ("in 2 days, 3 days, a week?") waiting for a click. */
  offer?: { seq: number; level: string; condition: string };
  /** A delivered "How's your knee today?" waiting for Better / Same / Worse. */
  awaiting?: { jobId: string; seq: number; level: string; condition: string; at: number };
  /** Set while a triage started from a "worse" answer runs, so its outcome is escalated. */
  worse?: { seq: number };
}

/** Everything the bot remembers about one user on one platform. JSON-serialisable. */
export interface Session {
  v: 1;
  /** Changes with every new triage, so buttons from an older conversation expire. */
  nonce: string;
  greeted: boolean;
  triage?: TriageState;
  /**
   * Findings from a message that described symptoms, kept while triage is offered. `guessed`
   * lists warning signs read only through a spelling correction: the offer asks "did you mean…?"
   * and a "no" drops them.
   */
  offer?: { findings: Findings; guessed?: string[] };
  /** The choices the bot showed last (outside the check), so a typed "in 3 days" can pick one. */
  shown?: ShownChoices[];
  /** A typed answer the bot wasn't sure about, waiting for "yes"/"no". */
  confirm?: { questionId: string; values: string[]; label: string };
  /** The last triage outcome, for follow-ups. */
  lastOutcome?: { level: string; condition: string; at: number };
  /** Follow-up check-ins (src/followups): an open offer, and a delivered check-in awaiting an answer. */
  checkIn?: CheckInState;
  updatedAt: number;
}

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
