/** Fixture events for the report tests: answers, knee checks, check-ins and platforms. */
import type { InsightEvent } from "../../src/store/insight-events.ts";
import type { InsightStore } from "../../src/store/types.ts";

const DAY = 86_400_000;
const ENTRIES = ["icing", "runners-knee", "itb-syndrome", "shoes", "stretching"];
const PLATFORMS = ["discord", "slack", "terminal"];
const LEVELS = ["self-care", "see-physio", "see-gp", "urgent"];
const CONDITIONS = ["runners-knee", "itb-syndrome", "meniscus", "unclear"];
const RESULTS = ["better", "same", "worse", "no-reply"] as const;

/** A few hundred events spread over the last four weeks. */
export function fixtureEvents(now: number): InsightEvent[] {
  const out: InsightEvent[] = [];
  for (let i = 0; i < 300; i++) {
    const at = now - ((i * 7919 * 60_000) % (28 * DAY)) - 60_000;
    const platform = PLATFORMS[i % 3]!;
    out.push({ type: "answered", faqId: ENTRIES[(i * i) % ENTRIES.length]!, platform, at });
    if (i % 3 === 0) {
      out.push({
        type: "check",
        level: LEVELS[i % LEVELS.length]!,
        condition: CONDITIONS[(i >> 1) % CONDITIONS.length]!,
        platform,
        at,
      });
    }
    if (i % 5 === 0) out.push({ type: "checkin", result: RESULTS[i % RESULTS.length]!, at });
  }
  return out.sort((a, b) => a.at - b.at);
}

/** Records the fixture events in `store`. */
export async function fillEvents(store: InsightStore, now: number): Promise<void> {
  for (const e of fixtureEvents(now)) await store.recordEvent!(e);
}
