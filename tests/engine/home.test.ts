/**
 * The home screen query (src/engine/home.ts) with the real engine, follow-ups and a SQLite
 * scheduler: what it shows for a new user, a check in progress, booked check-ins, and that it
 * changes nothing (the question it shows again is still the open one; no session is created).
 */
import { beforeEach, describe, expect, it } from "vitest";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Reply } from "../../src/types.ts";
import { dm, followUpEngine, knowledge, runTriage } from "../followups/helpers.ts";

const w = knowledge.wording;
const T0 = Date.UTC(2026, 10, 2, 10);
const user = { platform: "slack", userId: "U1" };

let scheduler: Scheduler;
let sessions: SessionStore;
let bot: ReturnType<typeof followUpEngine>;

beforeEach(() => {
  scheduler = createSqliteScheduler(openDatabase(":memory:"), { now: () => T0 });
  sessions = createMemorySessionStore();
  bot = followUpEngine(scheduler, { sessions, now: () => T0 });
});

const home = () => bot.engine.home(user);

describe("the home screen query", () => {
  it("shows a new user what the bot does, no check, no check-ins and the privacy notice", async () => {
    const view = await home();
    expect(view.about.text).toBe(w.help);
    expect(view.about.choices?.options.map((o) => o.value)).toContain("triage");
    expect(view.check).toBeUndefined();
    expect(view.checkIns.map((r) => r.text)).toEqual([w.followups_none]);
    expect(view.privacy.text).toContain("forget me");
    expect(view.privacy.text).not.toContain("{session_days}");
    // Looking is not talking: no session was started.
    expect(await sessions.get("slack:U1")).toBeUndefined();
  });

  it("shows the open question of a check in progress, and a click on it still answers it", async () => {
    const u = dm("U1");
    const started = await bot.engine.handle(u.command("triage"));
    const asked = started.find((r) => r.kind === "question")!;
    const before = JSON.stringify(await sessions.get("slack:U1"));

    const view = await home();
    expect(view.check?.[0]?.text).toBe(w.check_in_progress);
    const shown = view.check?.find((r) => r.kind === "question");
    expect(shown?.choices?.id).toBe(asked.choices!.id);
    expect(shown?.text).toBe(asked.text);
    expect(JSON.stringify(await sessions.get("slack:U1"))).toBe(before);

    const next = await bot.engine.handle(u.pick(shown, asked.choices!.noneValue ?? "no"));
    expect(next.some((r) => r.kind === "expired")).toBe(false);
    expect(
      next.some((r) => r.kind === "question" && r.meta?.questionId !== asked.meta?.questionId),
    ).toBe(true);

    await bot.engine.handle(u.command("cancel"));
    expect((await home()).check).toBeUndefined();
  });

  it("lists booked check-ins with the snooze and cancel choices of 'my follow-ups'", async () => {
    const u = dm("U1");
    const outcome = await runTriage(bot.engine, u);
    const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"));
    await bot.engine.handle(u.pick(offer, "3d"));

    const view = await home();
    expect(view.check).toBeUndefined();
    const listed = await bot.engine.handle(u.command("followups"));
    const ofList = (replies: Reply[]) => replies.map((r) => [r.text, r.choices?.id]);
    expect(ofList(view.checkIns)).toEqual(ofList(listed));
    const [job] = await scheduler.list("slack", "U1");
    const line = view.checkIns.find((r) => r.choices?.id === `u.${job!.id}`);
    expect(line?.choices?.options.map((o) => o.value)).toEqual(["snooze", "cancel"]);

    await bot.engine.handle(u.command("forget"));
    expect((await home()).checkIns.map((r) => r.text)).toEqual([w.followups_none]);
  });
});
