import { describe, expect, it } from "vitest";
import { adminStats } from "../../src/insights/admin-stats.ts";
import { stopwordsOf } from "../../src/insights/cluster.ts";
import { createMemoryInsightStore } from "../../src/store/memory.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { fillEvents } from "../report/fixture-events.ts";
import { FIXTURE_SINGLES, FIXTURE_TOPICS, fillStore } from "./fixture.ts";

const stopwords = stopwordsOf(shippedKnowledge().lexicon);

describe("admin stats summary", () => {
  it("gives the week in numbers and the top clusters of 3+, and no smaller ones", async () => {
    const store = createMemoryInsightStore();
    const now = Date.now();
    await fillStore(store, now);
    await fillEvents(store, now);
    const text = await adminStats(store, { now, stopwords });
    expect(text).toMatch(
      /^\*\*kneebot, the last 7 days\*\*\nQuestions: \d+ \(\d+ answered, \d+ not\)/,
    );
    expect(text).toMatch(/Knee checks: \d+/);
    expect(text).toContain("npm run report");
    const listed = text.split("\n").filter((l) => l.startsWith("- "));
    expect(listed.length).toBeGreaterThan(0);
    expect(listed.length).toBeLessThanOrEqual(3);
    for (const hidden of [...FIXTURE_SINGLES, ...FIXTURE_TOPICS.sauna])
      expect(text).not.toContain(hidden);
  });

  it("says so when nothing was asked", async () => {
    const text = await adminStats(createMemoryInsightStore(), { now: Date.now(), stopwords });
    expect(text).toContain("Unanswered questions: 0");
    expect(text).toContain("No unanswered question was asked 3 or more times.");
  });
});
