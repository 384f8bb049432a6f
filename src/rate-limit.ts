/**
 * The per-user rate limit (a key is platform + user id), counted in the shared state so every
 * process of one bot agrees on it (src/shared-state.ts: memory, or Redis across processes).
 *
 * `burst/perMinute` (KNEEBOT_RATE_LIMIT, default 8/20) allows `burst` messages per window of
 * burst/perMinute minutes (8/20: 8 messages per 24 s), which averages perMinute a minute. The
 * first message over the limit in a window is "limited-first" (the bot sends one friendly reply)
 * and the rest of that window's are "limited" (the bot stays silent), so a flood gets one notice
 * per window rather than one per message.
 */
import { KneebotError } from "./errors.ts";
import { createMemorySharedState, type SharedState } from "./shared-state.ts";

/** What to do with one message: handle it, refuse it with a notice, or refuse it silently. */
export type RateDecision = "ok" | "limited-first" | "limited";

/** Options for createRateLimiter; burst and perMinute usually come from Config.rateLimit. */
export interface RateLimiterOptions {
  burst: number;
  perMinute: number;
  /** Where the counts live (default: this process's memory). */
  state?: SharedState;
}

/** A rate limit per key. */
export interface RateLimiter {
  /** Counts one message for `key` and says what to do with it. */
  take(key: string): Promise<RateDecision>;
}

/** The window a burst/perMinute limit counts in, in milliseconds (whole seconds, at least one). */
export function rateWindowMs(burst: number, perMinute: number): number {
  return Math.max(1, Math.ceil((burst * 60) / perMinute)) * 1000;
}

/** Creates the per-key rate limiter. One key's flood never affects another key. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { burst, perMinute } = options;
  for (const [name, value] of [
    ["burst", burst],
    ["perMinute", perMinute],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new KneebotError(
        "config",
        `rate limiter ${name} must be a whole number ≥ 1 (got ${value})`,
      );
    }
  }
  const counter = (options.state ?? createMemorySharedState()).counter({
    name: "rate",
    windowMs: rateWindowMs(burst, perMinute),
    limit: burst,
  });
  return {
    async take(key) {
      const used = await counter.hit(key);
      return used <= burst ? "ok" : used === burst + 1 ? "limited-first" : "limited";
    },
  };
}
