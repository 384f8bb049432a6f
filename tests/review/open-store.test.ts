import { afterAll, describe, expect, it } from "vitest";
import { openInsightStore, parsePeriod } from "../../src/insights/open-store.ts";
import { buildQueue, openQuestions } from "../../src/insights/review.ts";
import { MAX_UNANSWERED } from "../../src/store/types.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";
import { FIXTURE_COUNTS, fillStore } from "./fixture.ts";

describe("the organiser's tools read the configured store", () => {
  it("parses periods", () => {
    expect(parsePeriod("30d")).toBe(30 * 86_400_000);
    expect(parsePeriod("12h")).toBe(12 * 3_600_000);
    expect(parsePeriod("2w")).toBe(14 * 86_400_000);
    expect(parsePeriod("soon")).toBeUndefined();
  });

  describe.skipIf(!redisUp)(`Redis${REDIS_NOTICE}`, () => {
    const prefix = uniquePrefix("review");
    const redis = testClient();
    afterAll(async () => {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    });
    it("review finds the same clusters on Redis", async () => {
      const now = Date.now();
      const store = await openInsightStore(
        { dataDir: ".", store: { kind: "redis", url: REDIS_URL } },
        { redisPrefix: prefix },
      );
      try {
        await fillStore(store, now);
        const open = openQuestions(
          await store.listUnanswered(MAX_UNANSWERED),
          now - 30 * 86_400_000,
          new Set(),
        );
        const queue = buildQueue(shippedKnowledge(), open);
        expect(queue[0]!.count).toBe(FIXTURE_COUNTS.epsom);
        expect(queue[0]!.nearest[0]!.id).toBe("icing");
      } finally {
        await store.close();
      }
    });
  });
});
