import { beforeEach, describe, expect, it } from "vitest";
import { createVerdictReader } from "../../src/followups/conversation.ts";
import { formatWhen } from "../../src/followups/due-time.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import { LATE_AFTER_MS, type Scheduler } from "../../src/followups/types.ts";
import { createMetrics } from "../../src/metrics.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Reply } from "../../src/types.ts";
import { dm, followUpEngine, knowledge, runTriage } from "./helpers.ts";

const w = knowledge.wording;
const DAY = 24 * 60 * 60 * 1000;
// Monday 2 November 2026, 10:00 UTC (10:00 in London, GMT).
const T0 = Date.UTC(2026, 10, 2, 10);

const offerOf = (replies: Reply[]) => replies.find((r) => r.choices?.id.startsWith("u.offer-"));
/** Reply texts, without the greeting a user's very first turn gets. */
const texts = (replies: Reply[]) => replies.filter((r) => r.kind !== "greeting").map((r) => r.text);

let clock: { t: number };
let scheduler: Scheduler;
let sessions: SessionStore;
let bot: ReturnType<typeof followUpEngine>;
let metrics: ReturnType<typeof createMetrics>;

beforeEach(() => {
  clock = { t: T0 };
  scheduler = createSqliteScheduler(openDatabase(":memory:"), { now: () => clock.t });
  sessions = createMemorySessionStore();
  metrics = createMetrics({ processMetrics: false });
  bot = followUpEngine(scheduler, { sessions, now: () => clock.t, metrics });
  scheduler.start(bot.deliver);
});

/** Triage to self-care, accept a check-in in `days`, and deliver it. Returns the check-in DM. */
async function checkInAfter(user: ReturnType<typeof dm>, value = "2d"): Promise<Reply> {
  const outcome = await runTriage(bot.engine, user);
  await bot.engine.handle(user.pick(offerOf(outcome), value));
  clock.t += 8 * DAY;
  await scheduler.runDue();
  const last = bot.sent.at(-1)!;
  return last.replies[0]!;
}

describe("the follow-up offer", () => {
  it("is made after a self-care outcome and books a check-in at 18:00 local time", async () => {
    const user = dm("U1", { timeZone: "Europe/London" });
    const outcome = await runTriage(bot.engine, user);
    expect(outcome.find((r) => r.kind === "outcome")?.meta?.level).toBe("self_care");
    const offer = offerOf(outcome)!;
    expect(offer.text).toBe(w.followup_offer);
    expect(offer.visibility).toBe("private");
    expect(offer.choices?.options.map((o) => o.value)).toEqual(["2d", "3d", "7d", "no"]);
    expect(offer.choices!.id.length).toBeLessThanOrEqual(48);

    const booked = await bot.engine.handle(user.pick(offer, "2d"));
    const [job] = await scheduler.list("slack", "U1");
    expect(job).toMatchObject({ seq: 1, level: "self_care", timeZone: "Europe/London" });
    expect(job!.dueAt).toBe(Date.UTC(2026, 10, 4, 18));
    expect(booked[0]!.text).toContain(formatWhen(job!.dueAt, "Europe/London"));
    expect(booked[0]!.text).toContain("18:00");
    // The offer is used up: clicking it again has expired.
    expect((await bot.engine.handle(user.pick(offer, "7d")))[0]!.kind).toBe("expired");
  });

  it("without a time zone, books exactly N days later", async () => {
    const user = dm("U2");
    const outcome = await runTriage(bot.engine, user);
    await bot.engine.handle(user.pick(offerOf(outcome), "7d"));
    expect((await scheduler.list("slack", "U2"))[0]!.dueAt).toBe(T0 + 7 * DAY);
  });

  it("is made after a consultation outcome, and not after an urgent one", async () => {
    const a = dm("U3");
    const consult = await runTriage(bot.engine, a, { checks: ["focal_bone_pain"] });
    expect(consult.find((r) => r.kind === "outcome")?.meta?.level).toBe("consultation");
    expect(offerOf(consult)).toBeDefined();

    const b = dm("U4");
    const urgent = await runTriage(bot.engine, b, { red_flags: ["rf_cannot_bear_weight"] });
    const level = urgent.find((r) => r.kind === "outcome")?.meta?.level;
    expect(level).not.toBe("self_care");
    expect(level).not.toBe("consultation");
    expect(offerOf(urgent)).toBeUndefined();
  });

  it("'no thanks' books nothing", async () => {
    const user = dm("U5");
    const outcome = await runTriage(bot.engine, user);
    const r = await bot.engine.handle(user.pick(offerOf(outcome), "no"));
    expect(texts(r)).toEqual([w.followup_declined]);
    expect(await scheduler.list("slack", "U5")).toEqual([]);
  });
});

describe("the check-in", () => {
  it("asks how the knee is, with Better / Same / Worse, when it falls due (not before)", async () => {
    const user = dm("U10");
    const outcome = await runTriage(bot.engine, user);
    await bot.engine.handle(user.pick(offerOf(outcome), "3d"));
    clock.t = T0 + 3 * DAY - 1;
    expect(await scheduler.runDue()).toBe(0);
    clock.t = T0 + 3 * DAY;
    expect(await scheduler.runDue()).toBe(1);
    expect(bot.sent).toHaveLength(1);
    const [checkIn] = bot.sent[0]!.replies;
    expect(checkIn!.text).toBe(w.followup_checkin);
    expect(checkIn!.kind).toBe("followup");
    expect(checkIn!.choices?.options.map((o) => o.value)).toEqual(["better", "same", "worse"]);
    expect(checkIn!.choices?.id).toMatch(/^u\.f[0-9a-f]{16}$/);
    expect(await metrics.render()).toContain("kneebot_followups_sent_total 1");
  });

  it("says sorry when it is more than 24 hours late (the bot was down)", async () => {
    const user = dm("U11");
    const outcome = await runTriage(bot.engine, user);
    await bot.engine.handle(user.pick(offerOf(outcome), "2d"));
    clock.t = T0 + 2 * DAY + LATE_AFTER_MS + 1;
    await scheduler.runDue();
    expect(bot.sent[0]!.replies[0]!.text).toBe(w.followup_checkin_late);
  });

  it("Better: return-to-running advice linking the FAQ, and one more check-in offered", async () => {
    const user = dm("U12");
    const checkIn = await checkInAfter(user);
    const r = await bot.engine.handle(user.pick(checkIn, "better"));
    expect(r[0]!.text).toBe(w.followup_better_reply);
    expect(r[0]!.choices?.id).toBe("l");
    expect(r[0]!.choices?.options.map((o) => o.value)).toEqual(["return-to-running"]);
    const faq = await bot.engine.handle(user.pick(r[0], "return-to-running"));
    expect(faq[0]!.meta?.faqId).toBe("return-to-running");
    const more = offerOf(r)!;
    expect(more.text).toBe(w.followup_offer_more);
    await bot.engine.handle(user.pick(more, "7d"));
    expect((await scheduler.list("slack", "U12"))[0]!.seq).toBe(2);
    // Answered: the same buttons have now expired.
    expect((await bot.engine.handle(user.pick(checkIn, "worse")))[0]!.kind).toBe("expired");
  });

  it("Same: keep going at the first check-in; see a physio or GP at the second", async () => {
    const user = dm("U13");
    const first = await checkInAfter(user);
    const r1 = await bot.engine.handle(user.text("about the same really"));
    expect(r1[0]!.text).toBe(w.followup_same_reply);
    await bot.engine.handle(user.pick(offerOf(r1), "3d"));
    clock.t += 4 * DAY;
    await scheduler.runDue();
    const second = bot.sent.at(-1)!.replies[0]!;
    expect(second.choices?.id).not.toBe(first.choices?.id);
    const r2 = await bot.engine.handle(user.text("no change"));
    expect(r2[0]!.text).toBe(w.followup_same_again);
    expect(r2[0]!.choices?.options.map((o) => o.value)).toEqual([
      "physical-therapy",
      "see-a-doctor",
    ]);
    expect(offerOf(r2)).toBeUndefined();
  });

  it("Worse: screens the red flags again, and escalates a self-care outcome", async () => {
    const user = dm("U14");
    await checkInAfter(user);
    const r = await bot.engine.handle(user.text("it's worse"));
    expect(r[0]!.text).toBe(w.followup_worse_reply);
    expect(r[1]?.meta?.questionId).toBe("red_flags");
    const outcome = await runTriage(bot.engine, user, {}, r);
    expect(outcome.find((x) => x.kind === "outcome")?.meta?.level).toBe("self_care");
    expect(texts(outcome)).toContain(w.followup_worse_escalate);
    // The follow-up chain goes on: this offer books the second check-in.
    await bot.engine.handle(user.pick(offerOf(outcome), "2d"));
    expect((await scheduler.list("slack", "U14"))[0]!.seq).toBe(2);
  });

  it("Worse with a red flag now ticked ends at the urgent level, with no offer", async () => {
    const user = dm("U15");
    const checkIn = await checkInAfter(user);
    const r = await bot.engine.handle(user.pick(checkIn, "worse"));
    const outcome = await runTriage(bot.engine, user, { red_flags: ["rf_hot_swollen_fever"] }, r);
    const level = outcome.find((x) => x.kind === "outcome")?.meta?.level;
    expect(["emergency", "emergency_ambulance", "consultation_24"]).toContain(level);
    expect(offerOf(outcome)).toBeUndefined();
  });

  it("free text that is not an answer is routed as usual, and the check-in stays open", async () => {
    const user = dm("U16");
    const checkIn = await checkInAfter(user);
    const r = await bot.engine.handle(user.text("should I ice my knee?"));
    expect(r.some((x) => x.kind === "answer" || x.kind === "did-you-mean")).toBe(true);
    const later = await bot.engine.handle(user.pick(checkIn, "better"));
    expect(later[0]!.text).toBe(w.followup_better_reply);
  });

  it("a closed DM is counted as failed and recorded as undeliverable", async () => {
    const user = dm("U17");
    const outcome = await runTriage(bot.engine, user);
    await bot.engine.handle(user.pick(offerOf(outcome), "2d"));
    const [job] = await scheduler.list("slack", "U17");
    bot.failWith(() => ({ type: "undeliverable", reason: "dm-closed" }));
    clock.t += 3 * DAY;
    await scheduler.runDue();
    clock.t += 3 * DAY;
    await scheduler.runDue();
    expect(await scheduler.get("slack", "U17", job!.id)).toMatchObject({
      status: "undeliverable",
      attempts: 1,
    });
    expect(await metrics.render()).toContain(
      'kneebot_followups_failed_total{reason="dm-closed"} 1',
    );
  });
});

describe("control: list, snooze, cancel, stop, forget", () => {
  async function book(user: ReturnType<typeof dm>, ...values: string[]) {
    for (const v of values) {
      const outcome = await runTriage(bot.engine, user);
      await bot.engine.handle(user.pick(offerOf(outcome), v));
    }
  }

  it("'my follow-ups' lists check-ins with snooze and cancel", async () => {
    const user = dm("U20");
    expect(texts(await bot.engine.handle(user.text("my follow ups")))).toEqual([w.followups_none]);
    await book(user, "2d", "7d");
    const list = await bot.engine.handle(user.text("my follow ups"));
    expect(list[0]!.text).toContain("(2)");
    const [soon, later] = await scheduler.list("slack", "U20");
    expect(list[1]!.text).toContain(formatWhen(soon!.dueAt));
    expect(list[1]!.choices?.options.map((o) => o.value)).toEqual(["snooze", "cancel"]);

    const snoozed = await bot.engine.handle(user.pick(list[1], "snooze"));
    expect(snoozed[0]!.text).toContain(formatWhen(soon!.dueAt + 2 * DAY));
    expect((await scheduler.get("slack", "U20", soon!.id))?.dueAt).toBe(soon!.dueAt + 2 * DAY);

    const cancelled = await bot.engine.handle(user.pick(list[2], "cancel"));
    expect(texts(cancelled)).toEqual([w.followup_cancelled]);
    expect((await scheduler.list("slack", "U20")).map((j) => j.id)).toEqual([soon!.id]);
    expect((await bot.engine.handle(user.pick(list[2], "snooze")))[0]!.kind).toBe("expired");
    expect(later).toBeDefined();
  });

  it("'stop' cancels every check-in at once", async () => {
    const user = dm("U21");
    await book(user, "2d", "3d");
    const r = await bot.engine.handle(user.text("stop"));
    expect(texts(r)).toEqual([w.stopped]);
    expect(await scheduler.list("slack", "U21")).toEqual([]);
    clock.t += 30 * DAY;
    expect(await scheduler.runDue()).toBe(0);
    expect(bot.sent).toHaveLength(0);
  });

  it("'stop' after a check-in arrived also closes it", async () => {
    const user = dm("U22");
    const checkIn = await checkInAfter(user);
    await bot.engine.handle(user.command("stop"));
    expect((await bot.engine.handle(user.pick(checkIn, "better")))[0]!.kind).toBe("expired");
  });

  it("'forget me' deletes the user's check-ins and session", async () => {
    const user = dm("U23");
    await book(user, "2d");
    const [job] = await scheduler.list("slack", "U23");
    await bot.engine.handle(user.text("forget me"));
    expect(await scheduler.get("slack", "U23", job!.id)).toBeUndefined();
    expect(await sessions.get("slack:U23")).toBeUndefined();
  });

  it("other users' buttons do nothing to my check-ins", async () => {
    const me = dm("U24");
    await book(me, "2d");
    const list = await bot.engine.handle(me.text("my follow ups"));
    const intruder = dm("U25");
    const r = await bot.engine.handle(intruder.pick(list[1], "cancel"));
    expect(r.map((x) => x.kind)).toEqual(["greeting", "expired"]);
    expect(await scheduler.list("slack", "U24")).toHaveLength(1);
  });
});

describe("reading free-text answers", () => {
  const read = createVerdictReader(knowledge);
  it.each([
    ["Better thanks!", "better"],
    ["much better", "better"],
    ["it's fine now", "better"],
    ["improving slowly", "better"],
    ["not better", "same"],
    ["no change", "same"],
    ["pretty much the same", "same"],
    ["not worse", "same"],
    ["worse", "worse"],
    ["bad, it hurts more", "worse"],
    ["getting worse tbh", "worse"],
    ["should I ice it?", undefined],
  ])("%s → %s", (text, verdict) => {
    expect(read(text)).toBe(verdict);
  });
});
