/**
 * The one reader and writer of stored sessions, for every store (memory, SQLite, Redis).
 *
 * A stored session is JSON with a version `v`. Reading checks it with a zod schema; an older
 * version is first brought up to date by the migrations below, one version at a time, in the
 * manner of grammY's `enhanceStorage({ migrations })`. Anything that still isn't a valid session
 * (damaged JSON, an unknown or newer version, a wrong field) is reported as invalid: the store
 * drops it, logs it once, and the user starts a fresh session instead of being stuck.
 *
 * Fields this version does not know are kept as they are, so adding an optional field needs no
 * new version: a process of the previous release sharing the store (a rolling update on Redis)
 * reads, keeps and writes it back. Renaming, removing or changing a field does: bump
 * SESSION_VERSION, add a migration keyed by the new version that turns the previous version's
 * object into the new one, and keep a fixture of the old JSON in tests/store/fixtures so the
 * upgrade stays tested. A process meeting a version newer than its own starts that user afresh.
 */
import { z } from "zod";
import type { Logger } from "../logger.ts";

/** The version written now. */
export const SESSION_VERSION = 2;

const id = z.string().regex(/^[A-Za-z0-9_-]{1,40}$/);
const findings = z.record(z.string(), z.string());

const shownChoicesSchema = z.object({
  id: z.string(),
  options: z.array(z.object({ value: z.string(), label: z.string() })),
});

const triageStateSchema = z.object({
  /** The flow version the questions came from; a newer flow expires old buttons. */
  version: z.number().int(),
  findings,
  /** The question waiting for an answer. */
  questionId: z.string().optional(),
  /** The findings that question asks about (a checklist may show only some items). */
  open: z.array(z.string()).optional(),
  /** Red flags the runner was unsure about: their warnings go on the outcome. */
  unsureFlags: z.array(z.string()),
  /** True once the red-flag screen was re-asked in plainer words. */
  plainAsked: z.boolean(),
  /** Questions asked so far, for the evaluation tools and metrics. */
  asked: z.number().int().nonnegative(),
});

const checkInStateSchema = z.object({
  /** An offer of a check-in ("in 2 days, 3 days, a week?") waiting for a click. */
  offer: z.object({ seq: z.number(), level: z.string(), condition: z.string() }).optional(),
  /** A delivered "How's your knee today?" waiting for Better / Same / Worse. */
  awaiting: z
    .object({
      jobId: z.string(),
      seq: z.number(),
      level: z.string(),
      condition: z.string(),
      at: z.number(),
    })
    .optional(),
  /** Set while a triage started from a "worse" answer runs, so its outcome is escalated. */
  worse: z.object({ seq: z.number() }).optional(),
});

/** The session as stored now (version 2): the fields this version reads and writes. */
export const sessionSchema = z.object({
  v: z.literal(SESSION_VERSION),
  /** Changes with every new triage, so buttons from an older conversation expire. */
  nonce: id,
  greeted: z.boolean(),
  triage: triageStateSchema.optional(),
  /**
   * Findings from a message that described symptoms, kept while triage is offered. `guessed`
   * lists warning signs read only through a spelling correction: the offer asks "did you mean…?"
   * and a "no" drops them.
   */
  offer: z.object({ findings, guessed: z.array(z.string()).optional() }).optional(),
  /** The choices the bot showed last (outside the check), so a typed "in 3 days" can pick one. */
  shown: z.array(shownChoicesSchema).optional(),
  /** A typed answer the bot wasn't sure about, waiting for "yes"/"no". */
  confirm: z
    .object({ questionId: z.string(), values: z.array(z.string()), label: z.string() })
    .optional(),
  /** Follow-up check-ins (src/followups): an open offer, and a delivered check-in awaiting an answer. */
  checkIn: checkInStateSchema.optional(),
  updatedAt: z.number(),
});

/** What a read accepts: the schema, keeping fields it does not know. */
const storedSchema = sessionSchema.loose();

/** Everything the bot remembers about one user on one platform. JSON-serialisable. */
export type Session = z.infer<typeof sessionSchema>;
/** Where a runner is in a triage. */
export type TriageState = z.infer<typeof triageStateSchema>;
/** What the follow-up side keeps in a session, so buttons and free text can be understood. */
export type CheckInState = z.infer<typeof checkInStateSchema>;
/** A set of choices as shown: its id (which carries its own state) and its options. */
export type ShownChoices = z.infer<typeof shownChoicesSchema>;

type Migration = (old: Record<string, unknown>) => Record<string, unknown>;

/**
 * Migrations keyed by the version they produce; each takes the previous version's object.
 *
 * 2: `lastOutcome` (the last triage's level and condition) is no longer kept. Nothing read it,
 * and a health detail nothing needs should not sit in the store for the session's lifetime;
 * follow-ups keep what they need in `checkIn`.
 */
const MIGRATIONS: ReadonlyMap<number, Migration> = new Map<number, Migration>([
  [
    2,
    (old) => {
      const { lastOutcome: _dropped, ...rest } = old;
      return rest;
    },
  ],
]);

/** What reading a stored value gave: a session, nothing stored, or something unusable. */
export type SessionRead =
  | { type: "session"; session: Session; migratedFrom?: number }
  | { type: "none" }
  | { type: "invalid"; problem: string };

/** Writes a session as the stores keep it. */
export function encodeSession(session: Session): string {
  return JSON.stringify(session);
}

/** Reads a stored value (JSON text, or null/undefined when nothing is stored). Never throws. */
export function decodeSession(raw: string | null | undefined): SessionRead {
  if (raw === null || raw === undefined) return { type: "none" };
  let data: unknown;
  try {
    data = JSON.parse(raw);
  } catch {
    return { type: "invalid", problem: "not JSON" };
  }
  if (typeof data !== "object" || data === null || Array.isArray(data)) {
    return { type: "invalid", problem: "not an object" };
  }
  let value = data as Record<string, unknown>;
  const from = value.v;
  if (typeof from !== "number" || !Number.isInteger(from) || from < 1) {
    return { type: "invalid", problem: "no version" };
  }
  if (from > SESSION_VERSION) {
    return { type: "invalid", problem: `version ${from} is newer than ${SESSION_VERSION}` };
  }
  for (let v = from + 1; v <= SESSION_VERSION; v++) {
    const migrate = MIGRATIONS.get(v);
    if (!migrate) return { type: "invalid", problem: `no migration to version ${v}` };
    value = { ...migrate(value), v };
  }
  const parsed = storedSchema.safeParse(value);
  if (!parsed.success) {
    // Field names only: values may be health details.
    const fields = [...new Set(parsed.error.issues.map((i) => String(i.path[0] ?? "")))];
    return { type: "invalid", problem: `bad fields: ${fields.join(", ")}` };
  }
  return from === SESSION_VERSION
    ? { type: "session", session: parsed.data }
    : { type: "session", session: parsed.data, migratedFrom: from };
}

/**
 * What a store's `get` does with a stored value: decode it; when it is unusable, log it once
 * (this call; `drop` removes it so it isn't read again) and return undefined, so the engine
 * starts a fresh session.
 */
export async function readStoredSession(
  raw: string | null | undefined,
  options: { store: string; logger?: Logger | undefined; drop: () => unknown },
): Promise<Session | undefined> {
  const read = decodeSession(raw);
  if (read.type === "session") return read.session;
  if (read.type === "invalid") {
    await options.drop();
    options.logger?.warn(
      { store: options.store, problem: read.problem },
      "stored session unusable: dropped, the user starts afresh",
    );
  }
  return undefined;
}
