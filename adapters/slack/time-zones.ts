/**
 * Users' IANA time zones from users.info (scope users:read), cached so each user costs one
 * call a day. A failed look-up is cached briefly and the turn goes on without a time zone.
 */
import type { webApi } from "@slack/bolt";
import { LRUCache } from "lru-cache";

/** How long a looked-up time zone is reused. */
export const TZ_TTL_MS = 24 * 60 * 60 * 1000;
/** How long a failed look-up is remembered before trying again. */
export const TZ_FAILURE_TTL_MS = 5 * 60 * 1000;
/** Users remembered at most. */
export const TZ_CAPACITY = 5000;

/** A small cache of users' time zones (least recently used forgotten first). */
export class TimeZones {
  // Wrapped: lru-cache keeps no undefined values, and "Slack gave none" is worth keeping.
  private readonly cache: LRUCache<string, { tz: string | undefined }>;

  constructor(now?: () => number) {
    this.cache = new LRUCache({
      max: TZ_CAPACITY,
      ttl: TZ_TTL_MS,
      ...(now ? { perf: { now } } : {}),
    });
  }

  /** The user's time zone, or undefined when Slack does not say (or the call fails). */
  async get(client: webApi.WebClient, userId: string): Promise<string | undefined> {
    const hit = this.cache.get(userId);
    if (hit) return hit.tz;
    try {
      const info = await client.users.info({ user: userId });
      const tz =
        typeof info.user?.tz === "string" && info.user.tz !== "" ? info.user.tz : undefined;
      this.cache.set(userId, { tz });
      return tz;
    } catch {
      this.cache.set(userId, { tz: undefined }, { ttl: TZ_FAILURE_TTL_MS });
      return undefined;
    }
  }
}
