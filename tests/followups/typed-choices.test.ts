/**
 * Issue 9: outside the knee check, typed words pick the choices the bot just showed, at the
 * follow-up offer, in "my follow-ups" and at "was this helpful?".
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { Reply } from "../../src/types.ts";
import { dm, followUpEngine, knowledge, runTriage } from "./helpers.ts";

const w = knowledge.wording;
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 2, 10);

let clock: { t: number };
let scheduler: Scheduler;
let bot: ReturnType<typeof followUpEngine>;

beforeEach(() => {
  clock = { t: T0 };
  scheduler = createSqliteScheduler(openDatabase(":memory:"), { now: () => clock.t });
  bot = followUpEngine(scheduler, { sessions: createMemorySessionStore(), now: () => clock.t });
  scheduler.start(bot.deliver);
});

const kinds = (replies: Reply[]) => replies.map((r) => r.kind);

describe("typed answers to the follow-up offer", () => {
  const cases: Array<[string, number | undefined]> = [
    ["in 3 days", 3],
    ["3 days", 3],
    ["yes please", 2],
    ["a week", 7],
    ["in a week pls", 7],
    ["No thanks", undefined],
    ["nah", undefined],
  ];
  for (const [said, days] of cases) {
    it(`"${said}" ${days ? `books a check-in in ${days} days` : "declines"}`, async () => {
      const user = dm(`U-${said}`);
      await runTriage(bot.engine, user);
      const replies = await bot.engine.handle(user.text(said));
      expect(kinds(replies)).not.toContain("answer");
      expect(kinds(replies)).not.toContain("did-you-mean");
      const jobs = await scheduler.list("slack", `U-${said}`);
      if (days === undefined) {
        expect(jobs).toEqual([]);
        expect(replies[0]!.text).toBe(w.followup_declined);
      } else {
        expect(jobs).toHaveLength(1);
        expect(jobs[0]!.dueAt).toBe(T0 + days * DAY);
      }
    });
  }
});

describe("typed words at the other prompts", () => {
  it('"snooze" after "my follow-ups" snoozes the check-in', async () => {
    const user = dm("U-snooze");
    await runTriage(bot.engine, user);
    await bot.engine.handle(user.text("in 3 days"));
    const [before] = await scheduler.list("slack", "U-snooze");
    await bot.engine.handle(user.text("my follow ups"));
    const replies = await bot.engine.handle(user.text("snooze"));
    expect(replies[0]!.text).not.toBe(w.unknown);
    const [after] = await scheduler.list("slack", "U-snooze");
    expect(after!.dueAt).toBeGreaterThan(before!.dueAt);
  });

  it('"not really" after an answer records it as not helpful', async () => {
    const user = dm("U-helpful");
    const answer = await bot.engine.handle(user.text("should I ice my knee?"));
    expect(answer.find((r) => r.kind === "answer")?.meta?.faqId).toBe("icing");
    const replies = await bot.engine.handle(user.text("not really"));
    expect(kinds(replies)).toEqual(["feedback"]);
  });

  it('"stop check-ins" cancels them', async () => {
    const user = dm("U-stop");
    await runTriage(bot.engine, user);
    await bot.engine.handle(user.text("in 3 days"));
    await bot.engine.handle(user.text("stop check-ins"));
    expect(await scheduler.list("slack", "U-stop")).toEqual([]);
  });

  it('a bare "stop" with nothing open cancels them; "quit" or "never mind" keep them', async () => {
    const user = dm("U-quit");
    await runTriage(bot.engine, user);
    await bot.engine.handle(user.text("in 3 days"));
    for (const text of ["quit", "never mind", "exit"]) {
      const replies = await bot.engine.handle(user.text(text));
      expect(replies[0]!.text, text).toBe(w.nothing_to_cancel);
      expect(await scheduler.list("slack", "U-quit"), text).toHaveLength(1);
    }
    await bot.engine.handle(user.text("stop"));
    expect(await scheduler.list("slack", "U-quit")).toEqual([]);
  });

  it('"cancel" during a check ends the check and keeps booked check-ins', async () => {
    const user = dm("U-cancel");
    await runTriage(bot.engine, user);
    await bot.engine.handle(user.text("in 3 days"));
    await bot.engine.handle(user.text("check my knee"));
    const replies = await bot.engine.handle(user.text("cancel"));
    expect(replies[0]!.text).toBe(w.check_cancelled);
    expect(await scheduler.list("slack", "U-cancel")).toHaveLength(1);
    const next = await bot.engine.handle(user.text("1"));
    expect(kinds(next)).not.toContain("question");
  });
});
