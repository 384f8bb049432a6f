/**
 * The follow-up product, as engine hooks: after a self-care or consultation outcome, offer a DM
 * check-in; when it is due, ask "How's your knee today?"; act on Better / Same / Worse; let the
 * user list, snooze and cancel check-ins, or stop them all. All wording is knowledge data.
 *
 * Choice set refs (set ids `u.<ref>`): `<jobId>` for a check-in (values better/same/worse) and
 * for its line in "my follow-ups" (values snooze/cancel); `offer-<nonce>-<seq>` for an offer.
 */
import type { FollowUpHooks, TurnScope } from "../engine/context.ts";
import { encodeSet } from "../engine/ids.ts";
import { fill } from "../engine/text.ts";
import { newSession, startTriage } from "../engine/triage.ts";
import { sessionKey } from "../engine.ts";
import type { Knowledge } from "../knowledge/load.ts";
import type { Logger } from "../logger.ts";
import { silentLogger } from "../logger.ts";
import type { Metrics } from "../metrics.ts";
import type { InsightEvent } from "../store/insight-events.ts";
import type { CheckInState, InsightStore, SessionStore } from "../store/types.ts";
import { truncate } from "../text/cut.ts";
import { words } from "../text/tokens.ts";
import type { ChoiceSet, Reply } from "../types.ts";
import { dueAfterDays, EVENING_HOUR, formatWhen } from "./due-time.ts";
import {
  type DeliverFn,
  type DirectSender,
  type FollowUpJob,
  LATE_AFTER_MS,
  newJobId,
  REPLY_WINDOW_MS,
  type Scheduler,
} from "./types.ts";

/** What the follow-up side is built from. */
export interface FollowUpsOptions {
  scheduler: Scheduler;
  knowledge: Knowledge;
  /** The engine's session store: a delivered check-in is noted in the user's session. */
  sessions: SessionStore;
  now?: () => number;
  logger?: Logger;
  metrics?: Metrics;
  /** Local hour check-ins are sent at when the time zone is known (default 18). */
  eveningHour?: number;
  /** No more check-ins are offered after this many in a row (default 3). */
  maxSeq?: number;
  /**
   * Where a check-in replaced by a newer one before it was answered is counted as "no reply"
   * for the organiser's report (answers and the other no-replies go through the turn's store).
   */
  insights?: InsightStore;
}

/** The hooks the engine calls, plus what the delivery side needs. */
export type FollowUps = Required<FollowUpHooks> & {
  /** The DM for a due check-in; the softer "sorry I missed it" one when over 24 h late. */
  renderCheckIn(job: FollowUpJob, lateMs: number): Reply[];
  /** A DeliverFn for the scheduler: notes the check-in in the session, sends, counts metrics. */
  deliverWith(sender: DirectSender): DeliverFn;
};

/** Levels after which a check-in is offered. */
export const OFFER_LEVELS: readonly string[] = ["self_care", "consultation"];
/**
 * Offer option values and the days they stand for. A Map, not an object: the value comes from a
 * click, and `OFFER_DAYS["constructor"]` on an object finds the prototype's.
 */
export const OFFER_DAYS: ReadonlyMap<string, number> = new Map([
  ["2d", 2],
  ["3d", 3],
  ["7d", 7],
]);
/** Check-in answer values. */
export const VERDICTS = ["better", "same", "worse"] as const;
/** A check-in answer. */
export type Verdict = (typeof VERDICTS)[number];
export { REPLY_WINDOW_MS } from "./types.ts";
/** How far "snooze" moves a check-in. */
export const SNOOZE_MS = 2 * 24 * 60 * 60 * 1000;
/** FAQ entries linked from the answers (set id `l`, so a click shows the entry). */
export const RETURN_TO_RUNNING_FAQ = "return-to-running";
const SEE_SOMEONE_FAQ = ["physical-therapy", "see-a-doctor"];

/** Builds the follow-up hooks for the engine. */
export function createFollowUps(options: FollowUpsOptions): FollowUps {
  const { scheduler, knowledge: k, sessions } = options;
  const w = k.wording;
  const now = options.now ?? Date.now;
  const logger = options.logger ?? silentLogger;
  const hour = options.eveningHour ?? EVENING_HOUR;
  const maxSeq = options.maxSeq ?? 3;
  const classify = createVerdictReader(k);

  const info = (text: string, extra: Partial<Reply> = {}): Reply => ({
    kind: "followup",
    text,
    visibility: "private",
    personal: true,
    ...extra,
  });
  const state = (scope: TurnScope): CheckInState => {
    scope.session.checkIn ??= {};
    return scope.session.checkIn;
  };
  const links = (ids: string[]): ChoiceSet | undefined => {
    const entries = ids.map((id) => k.faq.find((e) => e.id === id)).filter((e) => e !== undefined);
    if (entries.length === 0) return undefined;
    return {
      mode: "single",
      id: encodeSet({ type: "links" }),
      options: entries.map((e) => ({ value: e.id, label: truncate(e.question, 75) })),
    };
  };

  /** The "shall I check in?" reply; remembers the offer in the session. */
  const offer = (scope: TurnScope, o: NonNullable<CheckInState["offer"]>, text: string): Reply => {
    state(scope).offer = o;
    return info(text, {
      kind: "confirm",
      choices: {
        mode: "single",
        id: encodeSet({ type: "followup", jobId: `offer-${scope.session.nonce}-${o.seq}` }),
        options: [
          { value: "2d", label: w.followup_in_2_days },
          { value: "3d", label: w.followup_in_3_days },
          { value: "7d", label: w.followup_in_a_week },
          { value: "no", label: w.followup_no_thanks },
        ],
      },
    });
  };

  const onOffer = async (scope: TurnScope, ref: string, value: string | undefined) => {
    const o = scope.session.checkIn?.offer;
    if (!o || ref !== `offer-${scope.session.nonce}-${o.seq}`) return undefined;
    const { turn } = scope;
    if (value !== "no" && (value === undefined || !OFFER_DAYS.has(value))) return undefined;
    state(scope).offer = undefined;
    const days = OFFER_DAYS.get(value);
    if (days === undefined) return [info(w.followup_declined, { personal: false })];
    const job = await scheduler.schedule({
      id: newJobId(),
      platform: turn.platform,
      userId: turn.userId,
      dueAt: dueAfterDays(now(), days, turn.timeZone, hour),
      createdAt: now(),
      seq: o.seq,
      condition: o.condition,
      level: o.level,
      ...(turn.timeZone ? { timeZone: turn.timeZone } : {}),
    });
    return [info(fill(w.followup_scheduled, { when: formatWhen(job.dueAt, job.timeZone) }))];
  };

  /** For the organiser's report: a check-in's result and the platform, no user id, no text. */
  const recordResult = async (
    store: InsightStore | undefined,
    result: Extract<InsightEvent, { type: "checkin" }>["result"],
    platform: string,
  ) => {
    await store
      ?.recordEvent?.({ type: "checkin", result, platform, at: now() })
      .catch((err: unknown) => logger.warn({ err }, "could not record a check-in result"));
  };

  /**
   * Closes the awaited check-in unanswered ("no reply"). The clear points where a check-in ends
   * without an answer: the runner writes about something else after REPLY_WINDOW_MS, stops
   * check-ins, or a newer check-in arrives first (in noteDelivery).
   */
  const closeUnanswered = async (scope: TurnScope) => {
    const s = scope.session.checkIn;
    if (!s?.awaiting) return;
    s.awaiting = undefined;
    await recordResult(scope.ctx.insights, "no-reply", scope.turn.platform);
  };

  const answer = async (scope: TurnScope, verdict: Verdict): Promise<Reply[]> => {
    const s = state(scope);
    const a = s.awaiting!;
    s.awaiting = undefined;
    const next = { seq: a.seq + 1, level: a.level, condition: a.condition };
    const more = a.seq < maxSeq ? [offer(scope, next, w.followup_offer_more)] : [];
    await recordResult(scope.ctx.insights, verdict, scope.turn.platform);
    switch (verdict) {
      case "better": {
        const choices = links([RETURN_TO_RUNNING_FAQ]);
        return [info(w.followup_better_reply, choices ? { choices } : {}), ...more];
      }
      case "same": {
        if (a.seq >= 2) {
          const choices = links(SEE_SOMEONE_FAQ);
          return [info(w.followup_same_again, choices ? { choices } : {})];
        }
        return [info(w.followup_same_reply), ...more];
      }
      case "worse": {
        // Re-screen the red flags through the engine's own triage (red flags come first);
        // afterOutcome escalates a self-care outcome, since the knee is getting worse.
        const triage = await startTriage(scope, {}, false);
        state(scope).worse = { seq: a.seq };
        return [info(w.followup_worse_reply), ...triage];
      }
    }
  };

  const onJob = async (scope: TurnScope, id: string, value: string | undefined) => {
    const { turn } = scope;
    if ((VERDICTS as readonly string[]).includes(value ?? "")) {
      if (scope.session.checkIn?.awaiting?.jobId !== id) return undefined;
      return answer(scope, value as Verdict);
    }
    const job = await scheduler.get(turn.platform, turn.userId, id);
    if (job?.status !== "pending") return undefined;
    if (value === "cancel") {
      await scheduler.cancel(turn.platform, turn.userId, id);
      return [info(w.followup_cancelled, { personal: false })];
    }
    if (value === "snooze") {
      const until = job.dueAt + SNOOZE_MS;
      if (!(await scheduler.snooze(turn.platform, turn.userId, id, until))) return undefined;
      return [info(fill(w.followup_snoozed, { when: formatWhen(until, job.timeZone) }))];
    }
    return undefined;
  };

  /**
   * Marks the check-in as awaiting an answer in the user's session, under the user's lock (the
   * lock "forget me" and "stop" run under too). False when the job was withdrawn meanwhile
   * (forgotten or cancelled after this delivery read it): then nothing is written or sent.
   */
  const noteDelivery = async (job: FollowUpJob): Promise<boolean> => {
    const key = sessionKey(job.platform, job.userId);
    let replaced = false;
    const write = async () => {
      const current = await scheduler.get(job.platform, job.userId, job.id);
      if (current?.status !== "pending" && current?.status !== "claimed") return false;
      const session = (await sessions.get(key)) ?? { ...newSession(now(), Math.random) };
      // An earlier check-in still waiting for its answer ends here, unanswered.
      const earlier = session.checkIn?.awaiting;
      replaced = earlier !== undefined && earlier.jobId !== job.id;
      // The user talked to the bot before (that is how the check-in was booked).
      session.greeted = true;
      session.checkIn = {
        ...session.checkIn,
        awaiting: {
          jobId: job.id,
          seq: job.seq,
          level: job.level,
          condition: job.condition,
          at: now(),
        },
      };
      session.updatedAt = now();
      await sessions.set(key, session);
      return true;
    };
    const noted = await (sessions.withLock ? sessions.withLock(key, write) : write());
    if (noted && replaced) await recordResult(options.insights, "no-reply", job.platform);
    // Counted for the report: a check-in sent and never answered is a "no reply" even when the
    // runner never writes again (src/report/data.ts compares these with the answers).
    if (noted) {
      await options.insights
        ?.recordEvent?.({ type: "checkin_sent", platform: job.platform, at: now() })
        .catch((err: unknown) => logger.warn({ err }, "could not record a check-in"));
    }
    return noted;
  };

  const renderCheckIn = (job: FollowUpJob, lateMs: number): Reply[] => [
    {
      kind: "followup",
      text: lateMs > LATE_AFTER_MS ? w.followup_checkin_late : w.followup_checkin,
      visibility: "private",
      personal: true,
      choices: {
        mode: "single",
        id: encodeSet({ type: "followup", jobId: job.id }),
        options: [
          { value: "better", label: w.followup_better },
          { value: "same", label: w.followup_same },
          { value: "worse", label: w.followup_worse },
        ],
      },
    },
  ];

  return {
    async afterOutcome(scope, outcome) {
      const s = state(scope);
      const worse = s.worse;
      s.worse = undefined;
      const out: Reply[] = [];
      if (worse && outcome.level === "self_care") out.push(info(w.followup_worse_escalate));
      if (!OFFER_LEVELS.includes(outcome.level)) return out;
      const seq = worse ? worse.seq + 1 : 1;
      if (seq > maxSeq) return out;
      out.push(offer(scope, { seq, ...outcome }, w.followup_offer));
      return out;
    },
    async choice(scope, ref, values) {
      return ref.startsWith("offer-")
        ? onOffer(scope, ref, values[0])
        : onJob(scope, ref, values[0]);
    },
    async text(scope, text) {
      const awaiting = scope.session.checkIn?.awaiting;
      if (!awaiting) return undefined;
      const verdict = classify(text);
      if (verdict) return answer(scope, verdict);
      if (now() - awaiting.at >= REPLY_WINDOW_MS) await closeUnanswered(scope);
      return undefined;
    },
    async list(scope) {
      const { turn } = scope;
      const jobs = await scheduler.list(turn.platform, turn.userId);
      if (jobs.length === 0) return [info(w.followups_none, { kind: "info" })];
      return [
        info(fill(w.followup_list_heading, { n: String(jobs.length) }), { kind: "info" }),
        ...jobs.map((job) =>
          info(fill(w.followup_list_item, { when: formatWhen(job.dueAt, job.timeZone) }), {
            kind: "info",
            choices: {
              mode: "single",
              id: encodeSet({ type: "followup", jobId: job.id }),
              options: [
                { value: "snooze", label: w.followup_snooze },
                { value: "cancel", label: w.followup_cancel },
              ],
            },
          }),
        ),
      ];
    },
    async stop(scope) {
      const { turn } = scope;
      await scheduler.cancel(turn.platform, turn.userId);
      await closeUnanswered(scope);
      scope.session.checkIn = undefined;
      return [info(w.stopped, { kind: "info", personal: false })];
    },
    async forget(turn) {
      await scheduler.forgetUser(turn.platform, turn.userId);
    },
    renderCheckIn,
    deliverWith(sender) {
      return async (job, lateMs, attempt) => {
        // Noted before sending, so a click that arrives the moment the DM does is understood.
        if (!(await noteDelivery(job))) return { type: "undeliverable", reason: "withdrawn" };
        let result: Awaited<ReturnType<DirectSender>>;
        try {
          // Keyed by the job: a resend after a crash is the same message, not a second one.
          const key = { key: job.id, resend: attempt?.resend ?? job.attempts > 1 };
          result = await sender(job.platform, job.userId, renderCheckIn(job, lateMs), key);
        } catch (err) {
          logger.error({ err, jobId: job.id, platform: job.platform }, "follow-up send threw");
          result = { type: "retry", error: "exception" };
        }
        if (result.type === "sent") options.metrics?.followupSent();
        else {
          options.metrics?.followupFailed(
            result.type === "undeliverable" ? result.reason : "transient",
          );
          logger.warn(
            { jobId: job.id, platform: job.platform, userId: job.userId, result: result.type },
            "follow-up not delivered",
          );
        }
        return result;
      };
    },
  };
}

/** Reads "better" / "same" / "worse" from free text: the longest matching phrase wins. */
export function createVerdictReader(k: Knowledge): (text: string) => Verdict | undefined {
  const phrases: Array<{ words: string; verdict: Verdict; length: number }> = [];
  const lists = k.lexicon.checkin_words;
  for (const verdict of ["worse", "same", "better"] as const) {
    for (const p of lists[verdict]) {
      const ws = words(p);
      if (ws.length > 0) phrases.push({ words: ` ${ws.join(" ")} `, verdict, length: ws.length });
    }
  }
  return (text) => {
    const padded = ` ${words(text).join(" ")} `;
    let best: { verdict: Verdict; length: number } | undefined;
    // Listed worse first, so a tie goes to the safer reading.
    for (const p of phrases)
      if (padded.includes(p.words) && (!best || p.length > best.length)) best = p;
    return best?.verdict;
  };
}
