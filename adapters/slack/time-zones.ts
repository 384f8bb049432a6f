/**
 * Users' IANA time zones from users.info (scope users:read), cached so each user costs one
 * call a day. A failed look-up is cached briefly and the turn goes on without a time zone.
 */
import type { webApi } from "@slack/bolt";

/** How long a looked-up time zone is reused. */
export const TZ_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a failed look-up is remembered before trying again. */
export const TZ_FAILURE_TTL_MS = 5 * 60 * 1000;
/** Users remembered at most. */
export const TZ_CAPACITY = 5000;

/** A small cache of users' time zones. */
export class TimeZones {
  private readonly cache = new Map<string, { tz: string | undefined; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  /** The user's time zone, or undefined when Slack does not say (or the call fails). */
  async get(client: webApi.WebClient, userId: string): Promise<string | undefined> {
    const hit = this.cache.get(userId);
    if (hit && hit.until > this.now()) return hit.tz;
    let tz: string | undefined;
    let ttl = TZ_TTL_MS;
    try {
      const info = await client.users.info({ user: userId });
      tz = typeof info.user?.tz === "string" && info.user.tz !== "" ? info.user.tz : undefined;
    } catch {
      ttl = TZ_FAILURE_TTL_MS;
    }
    this.cache.delete(userId);
    this.cache.set(userId, { tz, until: this.now() + ttl });
    if (this.cache.size > TZ_CAPACITY) {
      const oldest = this.cache.keys().next().value;
      if (oldest !== undefined) this.cache.delete(oldest);
    }
    return tz;
  }
}
