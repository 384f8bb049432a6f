/**
 * "No reply" check-in results: a delivered check-in that ends without an answer is recorded
 * (platform only, no user id) at the point it ends: the runner writes about something else once
 * its reply window has passed, stops check-ins, or a newer check-in arrives first. Every
 * delivery is recorded too, so the report also counts a runner who never writes again once the
 * window has passed. The report counts them beside better / same / worse.
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createEngine, type KneebotEngine } from "../../src/engine.ts";
import { createFollowUps, REPLY_WINDOW_MS } from "../../src/followups/conversation.ts";
import { withProcessLock } from "../../src/followups/local-lock.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { stopwordsOf } from "../../src/insights/cluster.ts";
import { gatherReport } from "../../src/report/data.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { InsightStore } from "../../src/store/types.ts";
import type { Reply } from "../../src/types.ts";
import { dm, knowledge, runTriage } from "../followups/helpers.ts";

const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 2, 10);

let clock: { t: number };
let scheduler: Scheduler;
let insights: InsightStore;
let engine: KneebotEngine;
let sent: Reply[][];

beforeEach(() => {
  clock = { t: T0 };
  const now = () => clock.t;
  scheduler = createSqliteScheduler(openDatabase(":memory:"), { now });
  insights = createMemoryInsightStore();
  const sessions = withProcessLock(createMemorySessionStore());
  const followUps = createFollowUps({ scheduler, knowledge, sessions, insights, now });
  engine = createEngine({ knowledge, sessions, insights, followUps, now });
  sent = [];
  scheduler.start(
    followUps.deliverWith(async (_platform, _userId, replies) => {
      sent.push(replies);
      return { type: "sent" };
    }),
  );
});

const offerOf = (replies: Reply[]) => replies.find((r) => r.choices?.id.startsWith("u.offer-"));

/** A knee check, a check-in booked in 2 days, and delivered then. Returns the check-in. */
async function checkIn(user: ReturnType<typeof dm>): Promise<Reply> {
  const outcome = await runTriage(engine, user);
  await engine.handle(user.pick(offerOf(outcome), "2d"));
  clock.t += 3 * DAY;
  await scheduler.runDue();
  return sent.at(-1)![0]!;
}

async function results(): Promise<string[]> {
  const events = (await insights.listEvents!(0)).flatMap((e) =>
    e.type === "checkin" ? [e.result] : [],
  );
  return events.sort();
}

describe("check-ins that get no reply", () => {
  it("close as 'no reply' when the runner writes about something else after the window", async () => {
    const user = dm("U1");
    const asked = await checkIn(user);
    await engine.handle(user.text("should I ice my knee?"));
    expect(await results()).toEqual([]);
    clock.t += REPLY_WINDOW_MS;
    await engine.handle(user.text("which shoes should I run in?"));
    expect(await results()).toEqual(["no-reply"]);
    // Closed: its buttons have expired, and another message records nothing more.
    expect((await engine.handle(user.pick(asked, "better")))[0]!.kind).toBe("expired");
    await engine.handle(user.text("does stretching help?"));
    expect(await results()).toEqual(["no-reply"]);
  });

  it("an answer, however late, is an answer", async () => {
    const user = dm("U2");
    const asked = await checkIn(user);
    clock.t += REPLY_WINDOW_MS * 2;
    await engine.handle(user.pick(asked, "same"));
    await engine.handle(user.text("which shoes should I run in?"));
    expect(await results()).toEqual(["same"]);
  });

  it("close as 'no reply' when the runner stops check-ins", async () => {
    const user = dm("U3");
    await checkIn(user);
    await engine.handle(user.command("stop"));
    expect(await results()).toEqual(["no-reply"]);
  });

  it("close as 'no reply' when a newer check-in arrives first", async () => {
    const user = dm("U4");
    const first = await checkIn(user);
    const second = await checkIn(user);
    expect(second.choices!.id).not.toBe(first.choices!.id);
    expect(await results()).toEqual(["no-reply"]);
    await engine.handle(user.pick(second, "better"));
    expect(await results()).toEqual(["better", "no-reply"]);
  });

  it("are counted by the report, with no user id in any event", async () => {
    await checkIn(dm("U5"));
    await engine.handle(dm("U5").command("stop"));
    const answered = await checkIn(dm("U6"));
    await engine.handle(dm("U6").pick(answered, "worse"));
    const data = await gatherReport(insights, {
      from: 0,
      to: clock.t,
      stopwords: stopwordsOf(knowledge.lexicon),
    });
    expect(data.checkins).toEqual(
      expect.arrayContaining([
        { label: "no reply", n: 1 },
        { label: "worse", n: 1 },
      ]),
    );
    const stored = JSON.stringify(await insights.listEvents!(0));
    expect(stored).not.toMatch(/U5|U6/);
  });

  it("counts a runner who never writes again, once the reply window has passed", async () => {
    await checkIn(dm("U7"));
    const answered = await checkIn(dm("U8"));
    await engine.handle(dm("U8").pick(answered, "better"));
    const report = async () =>
      (
        await gatherReport(insights, {
          from: 0,
          to: clock.t,
          stopwords: stopwordsOf(knowledge.lexicon),
        })
      ).checkins;
    // U7 is silent: within the window the check-in is still open, not "no reply".
    expect(await report()).toEqual([{ label: "better", n: 1 }]);
    clock.t += REPLY_WINDOW_MS;
    expect(await report()).toEqual(
      expect.arrayContaining([
        { label: "better", n: 1 },
        { label: "no reply", n: 1 },
      ]),
    );
    expect(await report()).toHaveLength(2);
  });
});
