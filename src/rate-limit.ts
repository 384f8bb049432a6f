/**
 * Per-key token buckets (a key is usually platform + user id). Each key holds up to `burst`
 * tokens, refilled at `perMinute` per minute; a message spends one. When a key runs dry the
 * first refusal is "limited-first" (the bot sends one friendly reply) and later ones are
 * "limited" (the bot stays silent) until the bucket is full again, so a flood gets exactly one
 * notice per episode rather than one every few seconds as single tokens trickle back.
 */
import { KneebotError } from "./errors.ts";

/** What to do with one message: handle it, refuse it with a notice, or refuse it silently. */
export type RateDecision = "ok" | "limited-first" | "limited";

/** Options for createRateLimiter; burst and perMinute usually come from Config.rateLimit. */
export interface RateLimiterOptions {
  burst: number;
  perMinute: number;
  /** Clock in milliseconds; Date.now by default. Tests inject a fake one. */
  now?: () => number;
  /** Most keys remembered; the least recently used are forgotten beyond it. Default 100,000. */
  maxKeys?: number;
}

/** A set of independent token buckets, one per key. */
export interface RateLimiter {
  /** Spends one token for `key` if it has one, and says what to do with the message. */
  take(key: string): RateDecision;
  /** How many keys are remembered now (never more than maxKeys). */
  size(): number;
}

/** Default memory bound: about 100k keys × ~100 bytes ≈ 10 MB at worst. */
export const DEFAULT_MAX_KEYS = 100_000;

// Tokens are counted in units of 1/60000 so that refilling (elapsed ms × perMinute) stays in
// whole numbers with an integer clock: no floating-point drift leaves a bucket at 0.9999.
const UNIT = 60_000;

interface Bucket {
  units: number;
  at: number;
  /** True once this episode's "limited-first" has been returned. */
  notified: boolean;
}

/** Creates an in-memory rate limiter. One key's flood never affects another key. */
export function createRateLimiter(options: RateLimiterOptions): RateLimiter {
  const { burst, perMinute } = options;
  const now = options.now ?? Date.now;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  for (const [name, value] of [
    ["burst", burst],
    ["perMinute", perMinute],
    ["maxKeys", maxKeys],
  ] as const) {
    if (!Number.isInteger(value) || value < 1) {
      throw new KneebotError(
        "config",
        `rate limiter ${name} must be a whole number ≥ 1 (got ${value})`,
      );
    }
  }
  const capacity = burst * UNIT;
  // Map iteration order is insertion order: re-inserting on every use keeps the least recently
  // used key first, so eviction is O(1).
  const buckets = new Map<string, Bucket>();

  return {
    take(key) {
      const t = now();
      let bucket = buckets.get(key);
      if (bucket) {
        buckets.delete(key);
        // A clock that steps backwards refills nothing rather than draining the bucket.
        const elapsed = Math.max(0, t - bucket.at);
        bucket.units = Math.min(capacity, bucket.units + elapsed * perMinute);
        bucket.at = t;
        if (bucket.units >= capacity) bucket.notified = false;
      } else {
        bucket = { units: capacity, at: t, notified: false };
      }
      buckets.set(key, bucket);
      if (buckets.size > maxKeys) {
        // Forgetting a key only ever gives it a fresh, full bucket: eviction can make the
        // limiter more lenient, never stricter.
        const oldest = buckets.keys().next().value;
        if (oldest !== undefined) buckets.delete(oldest);
      }

      if (bucket.units >= UNIT) {
        bucket.units -= UNIT;
        return "ok";
      }
      if (bucket.notified) return "limited";
      bucket.notified = true;
      return "limited-first";
    },
    size: () => buckets.size,
  };
}
