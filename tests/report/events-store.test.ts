import { afterAll, describe, expect, it } from "vitest";
import type { InsightEvent } from "../../src/store/insight-events.ts";
import { createMemoryInsightStore } from "../../src/store/memory.ts";
import { createRedisInsightStore } from "../../src/store/redis.ts";
import { createSqliteInsightStore, openDatabase } from "../../src/store/sqlite.ts";
import type { InsightStore } from "../../src/store/types.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";

const EVENTS: InsightEvent[] = [
  { type: "answered", faqId: "icing", platform: "discord", at: 1000 },
  { type: "unanswered", platform: "slack", at: 2000 },
  { type: "check", level: "self-care", condition: "runners-knee", platform: "discord", at: 3000 },
  { type: "checkin", result: "better", at: 4000 },
];

async function roundTrip(store: InsightStore) {
  for (const e of EVENTS) await store.recordEvent!(e);
  expect(await store.listEvents!(0)).toEqual(EVENTS);
  expect(await store.listEvents!(2500)).toEqual(EVENTS.slice(2));
}

describe("insight events", () => {
  it("memory: recorded and listed oldest first, from a time", async () => {
    await roundTrip(createMemoryInsightStore());
  });

  it("SQLite: recorded and listed oldest first; a damaged row is dropped, not cast", async () => {
    const db = openDatabase(":memory:");
    const store = createSqliteInsightStore(db);
    await roundTrip(store);
    db.prepare('INSERT INTO insight_events (at, body) VALUES (5000, \'{"type":"nope"}\')').run();
    expect(await store.listEvents!(0)).toHaveLength(EVENTS.length);
    db.close();
  });

  describe.skipIf(!redisUp)(`Redis${REDIS_NOTICE}`, () => {
    const redis = testClient();
    const prefix = uniquePrefix("events");
    afterAll(async () => {
      await deletePrefix(redis, prefix);
      redis.disconnect();
    });
    it("recorded and listed oldest first", async () => {
      await roundTrip(createRedisInsightStore(redis, { prefix }));
    });
  });
});
