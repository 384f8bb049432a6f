import { createAnswerMapper, createChoicePicker } from "./engine/answers.ts";
import type { EngineContext, FollowUpHooks, TurnScope } from "./engine/context.ts";
import { dispatch } from "./engine/dispatch.ts";
import { type HomeUser, type HomeView, homeView } from "./engine/home.ts";
import { decodeSet } from "./engine/ids.ts";
import { overhear } from "./engine/overheard.ts";
import { settleVisibility } from "./engine/privacy.ts";
import { createKnowledgeExtractor, createKnowledgeReader } from "./engine/reading.ts";
import { createRouter } from "./engine/router.ts";
import { fill } from "./engine/text.ts";
import { newSession } from "./engine/triage.ts";
import type { Engine } from "./engine-api.ts";
import type { Knowledge } from "./knowledge/load.ts";
import type { Logger } from "./logger.ts";
import { silentLogger } from "./logger.ts";
import { createMatcher, type MatcherOptions } from "./matcher.ts";
import type { Metrics } from "./metrics.ts";
import type { RateLimiter } from "./rate-limit.ts";
import { createKeyedQueue } from "./store/keyed-queue.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "./store/memory.ts";
import {
  DEFAULT_SESSION_TTL_MS,
  type InsightStore,
  type Session,
  type SessionStore,
} from "./store/types.ts";
import { sanitizeInput } from "./text/normalize.ts";
import type { Reply, Turn } from "./types.ts";

/** What the engine is built from. Only `knowledge` is required. */
export interface EngineOptions {
  knowledge: Knowledge;
  /** Defaults to an in-memory store (tests); runnable modes pass SQLite or Redis. */
  sessions?: SessionStore;
  insights?: InsightStore;
  logger?: Logger;
  metrics?: Metrics;
  rateLimiter?: RateLimiter;
  followUps?: FollowUpHooks;
  matcher?: MatcherOptions;
  /** Longest message accepted, in characters (default 2,000). */
  maxInputChars?: number;
  /** How long sessions are kept, for the privacy notice (default 30 days). */
  sessionTtlMs?: number;
  now?: () => number;
  random?: () => number;
}

/** The engine plus what the runtime needs to shut it down. */
export interface KneebotEngine extends Engine {
  /** Stops taking turns and waits for the ones in flight. */
  drain(): Promise<void>;
  /** The built engine always has a home screen. */
  home(user: HomeUser): Promise<HomeView>;
}

/** Most characters accepted in one message unless configured otherwise. */
export const DEFAULT_MAX_INPUT_CHARS = 2000;
const MAX_USER_ID = 128;

/** The session key for a platform user. */
export function sessionKey(platform: string, userId: string): string {
  return `${platform}:${userId}`;
}

/**
 * Anonymous events for the organiser's report (`npm run report`): an FAQ answered, a question
 * left unanswered, a knee check's outcome, on which platform. Never a user id or message text.
 * A store that can't record loses the event, never the turn.
 */
async function recordEvents(ctx: EngineContext, turn: Turn, replies: Reply[]): Promise<void> {
  if (!ctx.insights.recordEvent) return;
  const at = ctx.now();
  const platform = turn.platform;
  for (const r of replies) {
    const event =
      r.kind === "answer" && r.meta?.faqId
        ? { type: "answered" as const, faqId: r.meta.faqId, platform, at }
        : r.kind === "unknown"
          ? { type: "unanswered" as const, platform, at }
          : r.kind === "outcome" && r.meta?.level && r.meta.condition
            ? {
                type: "check" as const,
                level: r.meta.level,
                condition: r.meta.condition,
                platform,
                at,
              }
            : undefined;
    if (!event) continue;
    try {
      await ctx.insights.recordEvent(event);
    } catch (err) {
      ctx.logger.warn({ err, platform }, "could not record an insight event");
    }
  }
}

/** Most choice sets remembered for typed picks (a follow-up list shows one per check-in). */
const MAX_SHOWN = 5;

/**
 * Remembers the choices this turn showed outside the check, so the next message can pick one by
 * typing it ("in 3 days", "not really", "snooze"). The check's own questions are answered
 * through the triage state instead.
 */
function rememberShown(session: Session, replies: Reply[]): void {
  const shown = replies
    .filter((r) => r.choices !== undefined)
    .map((r) => r.choices!)
    .filter((c) => {
      const ref = decodeSet(c.id);
      return (
        ref !== undefined &&
        ref.type !== "question" &&
        ref.type !== "confirm" &&
        ref.type !== "offer"
      );
    })
    .slice(-MAX_SHOWN)
    .map((c) => ({ id: c.id, options: c.options.map(({ value, label }) => ({ value, label })) }));
  if (shown.length > 0) session.shown = shown;
  else delete session.shown;
}

/** Builds the conversation engine: turns in, replies out, never throws. */
export function createEngine(options: EngineOptions): KneebotEngine {
  const k = options.knowledge;
  const sessions = options.sessions ?? createMemorySessionStore();
  const logger = options.logger ?? silentLogger;
  const reader = createKnowledgeReader(k);
  const ctx: EngineContext = {
    knowledge: k,
    reader,
    matcher: createMatcher(k, options.matcher),
    extractor: createKnowledgeExtractor(k, reader),
    mapAnswer: createAnswerMapper(k.lexicon),
    pickChoice: createChoicePicker(k.lexicon),
    insights: options.insights ?? createMemoryInsightStore(),
    logger,
    now: options.now ?? Date.now,
    random: options.random ?? Math.random,
    sessionTtlMs: options.sessionTtlMs ?? DEFAULT_SESSION_TTL_MS,
    ...(options.followUps ? { followUps: options.followUps } : {}),
  };
  const router = createRouter(k.lexicon);
  const maxChars = options.maxInputChars ?? DEFAULT_MAX_INPUT_CHARS;
  const serialise = createKeyedQueue();
  const inFlight = new Set<Promise<unknown>>();
  let draining = false;

  const handleLocked = async (turn: Turn, key: string): Promise<Reply[]> => {
    const stored = await sessions.get(key);
    const scope: TurnScope & { forgotten?: boolean } = {
      ctx,
      turn,
      session: stored ?? newSession(ctx.now(), ctx.random),
    };
    let replies = await dispatch(scope, router);
    const outcome = replies.find((r) => r.kind === "outcome");
    if (outcome?.meta?.level && outcome.meta.condition && ctx.followUps?.afterOutcome) {
      replies = [
        ...replies,
        ...(await ctx.followUps.afterOutcome(scope, {
          level: outcome.meta.level,
          condition: outcome.meta.condition,
        })),
      ];
    }
    if (!stored || !scope.session.greeted) {
      scope.session.greeted = true;
      const greets = replies.some((r) => r.kind === "greeting");
      if (!greets && !scope.forgotten) {
        // A greeting before a private conversation (a check started from a help channel's
        // button) is private too: it would otherwise be the only public trace of it.
        const privately = replies.length > 0 && replies.every((r) => r.visibility === "private");
        replies = [
          {
            kind: "greeting",
            text: `${k.wording.greeting}\n${k.wording.disclaimer}`,
            visibility: privately ? "private" : "public",
          },
          ...replies,
        ];
      }
    }
    rememberShown(scope.session, replies);
    await recordEvents(ctx, turn, replies);
    if (scope.forgotten) {
      await sessions.delete(key);
    } else {
      scope.session.updatedAt = ctx.now();
      await sessions.set(key, scope.session);
    }
    return replies;
  };

  const apology = (): Reply => ({ kind: "error", text: k.wording.error, visibility: "private" });

  const handle = async (turn: Turn): Promise<Reply[]> => {
    const started = process.hrtime.bigint();
    try {
      const problem = validateTurn(turn);
      if (problem) {
        logger.warn({ platform: String(turn?.platform), problem }, "rejected malformed turn");
        return [apology()];
      }
      if (draining) return [apology()];
      const key = sessionKey(turn.platform, turn.userId);
      if (options.rateLimiter) {
        const decision = await options.rateLimiter.take(key);
        if (decision !== "ok") {
          options.metrics?.rateLimited();
          return decision === "limited-first" && !turn.overheard
            ? [{ kind: "rate-limited", text: k.wording.rate_limited, visibility: "private" }]
            : [];
        }
      }
      let clean: Turn = turn;
      if (turn.type === "text" || (turn.type === "command" && turn.args !== undefined)) {
        const raw = turn.type === "text" ? turn.text : (turn.args ?? "");
        const s = sanitizeInput(raw, maxChars);
        if (s.truncated) {
          return [
            {
              kind: "error",
              text: fill(k.wording.too_long, { limit: String(maxChars) }),
              visibility: "private",
            },
          ];
        }
        clean = turn.type === "text" ? { ...turn, text: s.text } : { ...turn, args: s.text };
      }
      // Overheard in a help channel: read without a session, and silent unless sure.
      if (clean.overheard) {
        if (clean.type !== "text" || clean.place.kind !== "channel") return [];
        const scope = { ctx, turn: clean, session: newSession(ctx.now(), ctx.random) };
        return settleVisibility(clean, overhear(scope, clean.text, router));
      }
      const work = serialise(key, () =>
        sessions.withLock
          ? sessions.withLock(key, () => handleLocked(clean, key))
          : handleLocked(clean, key),
      );
      inFlight.add(work);
      try {
        const replies = settleVisibility(clean, await work);
        for (const r of replies) {
          if (r.kind === "outcome" && r.meta?.level) options.metrics?.triageOutcome(r.meta.level);
          if (r.kind === "unknown") options.metrics?.unanswered();
        }
        return replies;
      } finally {
        inFlight.delete(work);
      }
    } catch (err) {
      logger.error(
        { err, platform: turn?.platform, userId: turn?.userId, turnType: turn?.type },
        "turn failed",
      );
      return [apology()];
    } finally {
      options.metrics?.turn(
        String(turn?.platform ?? "unknown"),
        Number(process.hrtime.bigint() - started) / 1e9,
      );
    }
  };

  return {
    handle,
    apology,
    home: (user) => homeView(ctx, sessions, user, sessionKey(user.platform, user.userId)),
    async drain() {
      draining = true;
      await Promise.allSettled([...inFlight]);
    },
  };
}

function validateTurn(turn: Turn): string | undefined {
  if (!turn || typeof turn !== "object") return "not an object";
  if (typeof turn.platform !== "string" || !/^[a-z0-9_-]{1,32}$/.test(turn.platform))
    return "bad platform";
  if (
    typeof turn.userId !== "string" ||
    turn.userId.length === 0 ||
    turn.userId.length > MAX_USER_ID
  ) {
    return "bad user id";
  }
  if (turn.type === "text") return typeof turn.text === "string" ? undefined : "text missing";
  if (turn.type === "choice") {
    return typeof turn.setId === "string" &&
      Array.isArray(turn.values) &&
      turn.values.every((v) => typeof v === "string")
      ? undefined
      : "bad choice";
  }
  if (turn.type === "command") return typeof turn.command === "string" ? undefined : "bad command";
  return "unknown turn type";
}
