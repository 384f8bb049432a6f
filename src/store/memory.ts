import type { Logger } from "../logger.ts";
import { type InsightEvent, MAX_EVENTS } from "./insight-events.ts";
import { encodeSession, readStoredSession } from "./session-codec.ts";
import type { InsightStore, SessionStore } from "./types.ts";

/** An in-memory SessionStore: for tests, the evaluation tools and benchmarks. */
export function createMemorySessionStore(
  options: { ttlMs?: number; now?: () => number; logger?: Logger } = {},
): SessionStore {
  const now = options.now ?? Date.now;
  const map = new Map<string, { json: string; expires: number }>();
  return {
    async get(key) {
      const row = map.get(key);
      if (!row) return undefined;
      if (row.expires <= now()) {
        map.delete(key);
        return undefined;
      }
      return readStoredSession(row.json, {
        store: "memory",
        logger: options.logger,
        drop: () => map.delete(key),
      });
    },
    async set(key, session) {
      // Stored as JSON so callers can't mutate what the store holds, as with a real backend.
      map.set(key, {
        json: encodeSession(session),
        expires: now() + (options.ttlMs ?? Number.POSITIVE_INFINITY),
      });
    },
    async delete(key) {
      map.delete(key);
    },
    async close() {
      map.clear();
    },
  };
}

/** An in-memory InsightStore. */
export function createMemoryInsightStore(): InsightStore {
  const unanswered: Array<{ text: string; score: number; outOfScope: boolean; at: number }> = [];
  const feedback = new Map<string, { helpful: number; unhelpful: number }>();
  const events: InsightEvent[] = [];
  return {
    async recordUnanswered(r) {
      unanswered.push(r);
    },
    async recordFeedback(r) {
      const f = feedback.get(r.faqId) ?? { helpful: 0, unhelpful: 0 };
      if (r.helpful) f.helpful++;
      else f.unhelpful++;
      feedback.set(r.faqId, f);
    },
    async listUnanswered(limit) {
      return unanswered.slice(-limit).reverse();
    },
    async feedbackSummary() {
      return [...feedback].map(([faqId, f]) => ({ faqId, ...f }));
    },
    async recordEvent(e) {
      events.push(e);
      if (events.length > MAX_EVENTS) events.shift();
    },
    async listEvents(since) {
      return events.filter((e) => e.at >= since);
    },
    async close() {},
  };
}
