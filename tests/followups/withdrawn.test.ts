/**
 * A delivery that read a check-in before "forget me" (or "stop") must not write the session
 * back or send the DM: it re-reads the job under the user's lock, the lock the forget turn
 * holds, and drops it. SQLite, and BullMQ on Redis when it is up.
 */
import { afterAll, describe, expect, it } from "vitest";
import { createBullmqScheduler } from "../../src/followups/bullmq-scheduler.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { Reply } from "../../src/types.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";
import { dm, followUpEngine, runTriage } from "./helpers.ts";

const offerOf = (replies: Reply[]) => replies.find((r) => r.choices?.id.startsWith("u.offer-"));

async function raceAgainst(scheduler: Scheduler, command: "forget" | "stop") {
  const sessions = createMemorySessionStore();
  const bot = followUpEngine(scheduler, { sessions, now: Date.now });
  const user = dm(`URACE${command}`);
  await bot.engine.handle(user.pick(offerOf(await runTriage(bot.engine, user)), "2d"));
  // The delivery has read the job...
  const [job] = await scheduler.list("slack", `URACE${command}`);
  expect(job).toBeDefined();
  // ...then the runner says "forget me" / "stop" before the delivery notes it...
  if (command === "forget") await bot.engine.handle(user.text("forget me"));
  else await bot.engine.handle(user.command("stop"));
  // ...and the delivery goes on: dropped, nothing written, nothing sent.
  const result = await bot.deliver(job!, 0);
  expect(result).toEqual({ type: "undeliverable", reason: "withdrawn" });
  expect(bot.sent).toEqual([]);
  const session = await sessions.get(`slack:URACE${command}`);
  if (command === "forget") expect(session).toBeUndefined();
  else expect(session?.checkIn?.awaiting).toBeUndefined();
}

describe("a delivery that races 'forget me' or 'stop' (SQLite)", () => {
  for (const command of ["forget", "stop"] as const) {
    it(`drops the check-in after '${command}'`, async () => {
      await raceAgainst(createSqliteScheduler(openDatabase(":memory:")), command);
    });
  }
});

describe.skipIf(!redisUp)(
  `a delivery that races 'forget me' or 'stop' (Redis)${REDIS_NOTICE}`,
  () => {
    const prefix = uniquePrefix("race");
    const admin = testClient();
    afterAll(async () => {
      await deletePrefix(admin, prefix);
      await admin.quit();
    });
    for (const command of ["forget", "stop"] as const) {
      it(`drops the check-in after '${command}'`, async () => {
        const scheduler = createBullmqScheduler({ url: REDIS_URL, prefix });
        try {
          await raceAgainst(scheduler, command);
        } finally {
          await scheduler.close();
        }
      });
    }
  },
);
