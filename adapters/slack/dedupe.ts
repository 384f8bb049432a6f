/**
 * A bounded in-memory LRU of recently seen ids with a time-to-live, so a delivery Slack retries
 * (`X-Slack-Retry-Num` over HTTP, `retry_attempt` in Socket Mode) is processed once.
 */

/** Ids remembered at most. */
export const DEDUPE_CAPACITY = 5000;
/** How long an id is remembered; Slack retries within about five minutes. */
export const DEDUPE_TTL_MS = 15 * 60 * 1000;

/** Remembers ids for a while; `firstTime` says whether an id is new (and records it). */
export class SeenIds {
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly capacity = DEDUPE_CAPACITY,
    private readonly ttlMs = DEDUPE_TTL_MS,
    private readonly now: () => number = Date.now,
  ) {}

  /** True the first time `id` is offered within the TTL; false for a repeat. */
  firstTime(id: string): boolean {
    const t = this.now();
    const at = this.seen.get(id);
    if (at !== undefined && t - at < this.ttlMs) return false;
    this.seen.delete(id);
    this.seen.set(id, t);
    for (const [key, when] of this.seen) {
      if (this.seen.size <= this.capacity && t - when < this.ttlMs) break;
      this.seen.delete(key);
    }
    return true;
  }

  /** Number of ids remembered now. */
  get size(): number {
    return this.seen.size;
  }
}
