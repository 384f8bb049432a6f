/**
 * A fixture insight store: a few hundred unanswered questions in known clusters, plus
 * feedback, written into any InsightStore. Shared by the review and report tests.
 */
import type { RecordedQuestion } from "../../src/insights/cluster.ts";
import type { InsightStore } from "../../src/store/types.ts";

const DAY = 86_400_000;

/** The clusters the fixture holds, by name, with the distinct ways each is asked. */
export const FIXTURE_TOPICS = {
  epsom: [
    "epsom salt bath for knees",
    "do epsom salts help a sore knee",
    "epsom salt soak knee pain",
    "would an epsom salt bath help my knee",
    "epsom salts for knee pain",
  ],
  turmeric: [
    "turmeric for knee pain",
    "does turmeric help knees",
    "turmeric supplements for runners knee",
  ],
  fancyDress: [
    "who is doing the christmas fancy dress run",
    "fancy dress run this christmas",
    "christmas fancy dress run details",
  ],
  sauna: ["is a sauna ok for my knee", "is the sauna ok for sore knees"],
} as const;

/** How often each topic is asked in the last 30 days. */
export const FIXTURE_COUNTS = { epsom: 120, turmeric: 60, fancyDress: 45, sauna: 2 } as const;

/** One-off questions, each asked once: none may form a cluster of 3. */
export const FIXTURE_SINGLES = [
  "can my dog come on the trail run",
  "whats the best headtorch for winter",
  "collagen for tendons",
  "is it ok to run after giving blood",
  "my knee hurts when it rains does the weather matter",
];

/** Builds the fixture questions relative to `now`: recent ones, plus old and out-of-scope ones. */
export function fixtureQuestions(now: number): RecordedQuestion[] {
  const out: RecordedQuestion[] = [];
  let n = 0;
  const add = (text: string, at: number, outOfScope = false): void => {
    out.push({ text, at, score: 0.2, outOfScope });
  };
  for (const [topic, count] of Object.entries(FIXTURE_COUNTS)) {
    const variants = FIXTURE_TOPICS[topic as keyof typeof FIXTURE_TOPICS];
    for (let i = 0; i < count; i++)
      add(variants[i % variants.length]!, now - ((n++ * 7919 * 60_000) % (28 * DAY)) - 60_000);
  }
  for (const [i, t] of FIXTURE_SINGLES.entries()) add(t, now - (i + 1) * DAY);
  // Older than 30 days: outside the default period.
  for (let i = 0; i < 20; i++) add("old question about a foam roller brand", now - (40 + i) * DAY);
  // Already classed as out of scope by the bot: not for review.
  for (let i = 0; i < 10; i++) add("what pace is the tuesday session", now - i * DAY, true);
  return out;
}

/** Feedback items: entry, helpful count, not-helpful count. */
export const FIXTURE_FEEDBACK: Array<[string, number, number]> = [
  ["icing", 30, 5],
  ["runners-knee", 22, 9],
  ["itb-syndrome", 12, 2],
  ["shoes", 4, 6],
];

/** Writes the fixture into `store`, oldest first (as the bot would have). */
export async function fillStore(store: InsightStore, now: number): Promise<RecordedQuestion[]> {
  const qs = fixtureQuestions(now).sort((a, b) => a.at - b.at);
  for (const q of qs) await store.recordUnanswered(q);
  for (const [faqId, helpful, unhelpful] of FIXTURE_FEEDBACK) {
    for (let i = 0; i < helpful; i++)
      await store.recordFeedback({ faqId, helpful: true, at: now - i * 3_600_000 });
    for (let i = 0; i < unhelpful; i++)
      await store.recordFeedback({ faqId, helpful: false, at: now - i * 3_600_000 });
  }
  return qs;
}
