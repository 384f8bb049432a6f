/**
 * User-supplied text never indexes an object: every component handler (triage questions,
 * confirmations, offers, FAQ answers, suggestions, links, the menu, check-in offers, check-ins
 * and "my follow-ups" lines) gets the names every object inherits as values and as id parts.
 * Each is "expired" or re-asked, never a crash, and nothing is booked (the bug: an offer
 * answered `constructor` stored a check-in due in 1970).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { encodeSet } from "../../src/engine/ids.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { Reply } from "../../src/types.ts";
import { dm, followUpEngine, runTriage } from "./helpers.ts";

/** Names every plain object inherits, or that reach its prototype. */
const HOSTILE = ["__proto__", "constructor", "toString", "hasOwnProperty"] as const;
const DAY = 24 * 60 * 60 * 1000;
const T0 = Date.UTC(2026, 10, 2, 10);

const offerOf = (replies: Reply[]) => replies.find((r) => r.choices?.id.startsWith("u.offer-"));

let clock: { t: number };
let scheduler: Scheduler;
let bot: ReturnType<typeof followUpEngine>;

beforeEach(() => {
  clock = { t: T0 };
  scheduler = createSqliteScheduler(openDatabase(":memory:"), { now: () => clock.t });
  bot = followUpEngine(scheduler, { sessions: createMemorySessionStore(), now: () => clock.t });
  scheduler.start(bot.deliver);
});

/** Sends one hostile click; it must not throw, and must not book or show a booking. */
async function click(user: ReturnType<typeof dm>, setId: string, value: string): Promise<Reply[]> {
  const turn = { ...user.text(""), type: "choice" as const, setId, values: [value] };
  const replies = await bot.engine.handle(turn);
  expect(replies.length).toBeGreaterThan(0);
  for (const r of replies) expect(r.kind).not.toBe("error");
  return replies;
}

describe("own-key lookups: inherited names as values", () => {
  it("a check-in offer answered with any of them is expired, books nothing, and stays open", async () => {
    const user = dm("UK1");
    const outcome = await runTriage(bot.engine, user);
    const offer = offerOf(outcome)!;
    for (const value of HOSTILE) {
      const r = await click(user, offer.choices!.id, value);
      expect(r.map((x) => x.kind)).toEqual(["expired"]);
    }
    expect(await scheduler.list("slack", "UK1")).toEqual([]);
    // A real answer still works afterwards.
    await bot.engine.handle(user.pick(offer, "2d"));
    const [job] = await scheduler.list("slack", "UK1");
    expect(job!.dueAt).toBe(T0 + 2 * DAY);
  });

  it("a delivered check-in and its 'my follow-ups' line are expired and left as they were", async () => {
    const user = dm("UK2");
    await bot.engine.handle(user.pick(offerOf(await runTriage(bot.engine, user)), "3d"));
    const list = await bot.engine.handle(user.command("followups"));
    const line = list.find((r) => r.choices?.options.some((o) => o.value === "snooze"))!;
    for (const value of HOSTILE) {
      expect((await click(user, line.choices!.id, value)).map((x) => x.kind)).toEqual(["expired"]);
    }
    const [job] = await scheduler.list("slack", "UK2");
    expect(job).toMatchObject({ status: "pending", dueAt: T0 + 3 * DAY });

    clock.t += 4 * DAY;
    await scheduler.runDue();
    const checkIn = bot.sent.at(-1)!.replies[0]!;
    for (const value of HOSTILE) {
      expect((await click(user, checkIn.choices!.id, value)).map((x) => x.kind)).toEqual([
        "expired",
      ]);
    }
    // Still awaiting: "better" is understood.
    const better = await bot.engine.handle(user.pick(checkIn, "better"));
    expect(better[0]!.kind).toBe("followup");
  });

  it("triage questions, confirmations, FAQ answers, links, suggestions and the menu survive them", async () => {
    const user = dm("UK3");
    let replies = await bot.engine.handle(user.command("triage"));
    const question = replies.find((r) => r.kind === "question")!;
    for (const value of HOSTILE) {
      replies = await click(user, question.choices!.id, value);
      expect(replies.some((r) => r.kind === "question")).toBe(true);
    }
    // The triage goes on normally.
    const outcome = await runTriage(bot.engine, user, {}, replies);
    expect(outcome.some((r) => r.kind === "outcome")).toBe(true);

    const nonce = question.choices!.id.split(".")[1]!;
    const sets = [
      encodeSet({ type: "confirm", nonce, questionId: "red_flags", version: 1 }),
      encodeSet({ type: "offer", nonce }),
      encodeSet({ type: "answer", faqId: "return-to-running" }),
      encodeSet({ type: "suggest" }),
      encodeSet({ type: "links" }),
      encodeSet({ type: "menu" }),
    ];
    for (const setId of sets) for (const value of HOSTILE) await click(user, setId, value);
    expect(await scheduler.list("slack", "UK3")).toEqual([]);
  });
});

describe("own-key lookups: inherited names as id parts", () => {
  it("set ids built from them are expired", async () => {
    const user = dm("UK4");
    await runTriage(bot.engine, user);
    for (const name of HOSTILE) {
      const ids = [
        encodeSet({ type: "followup", jobId: name }),
        encodeSet({ type: "followup", jobId: `offer-${name}-1` }),
        encodeSet({ type: "answer", faqId: name }),
        encodeSet({ type: "offer", nonce: name }),
        encodeSet({ type: "question", nonce: name, questionId: name, version: 1 }),
        encodeSet({ type: "confirm", nonce: name, questionId: name, version: 1 }),
      ];
      for (const setId of ids) {
        for (const value of [...HOSTILE, "2d", "better", "cancel", "snooze"]) {
          const r = await click(user, setId, value);
          expect(r.map((x) => x.kind)).toEqual(["expired"]);
        }
      }
    }
    expect(await scheduler.list("slack", "UK4")).toEqual([]);
  });
});
