/**
 * The App Home tab through the real Bolt App against the fake Slack, with the real engine and
 * follow-ups on a SQLite scheduler: published on app_home_opened, its buttons work (snooze a
 * check-in, continue or cancel a check, forget me) with the replies in the DM, and it is
 * published again after each change, including changes made in the DM.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { HOME_ACTION_PREFIX, HOME_WORDING } from "../../adapters/slack/home-view.ts";
import { formatWhen } from "../../src/followups/due-time.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import { dm, followUpEngine, knowledge, runTriage } from "../followups/helpers.ts";
import { controlsOf } from "../helpers/fake-slack/clicks.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import {
  dmEvent,
  eventCallback,
  homeAction,
  homeOpenedEvent,
} from "../helpers/fake-slack/payloads.ts";
import type { ApiCall, Record_ } from "../helpers/fake-slack/server.ts";

const w = knowledge.wording;
const T0 = Date.UTC(2026, 10, 2, 10);
const DAY = 24 * 60 * 60 * 1000;
const ZONE = "Europe/London";

let h: Harness;
let scheduler: Scheduler;
let bot: ReturnType<typeof followUpEngine>;
let clock: number;
beforeEach(async () => {
  clock = T0;
  scheduler = createSqliteScheduler(openDatabase(":memory:"), { now: () => clock });
  bot = followUpEngine(scheduler, { sessions: createMemorySessionStore(), now: () => clock });
  h = await startHarness("http", bot.engine);
  h.fake.users.set("U1", { tz: ZONE });
});
afterEach(async () => {
  await h.close();
  await scheduler.close();
});

type View = { type: string; blocks: Record<string, unknown>[] };

/** Waits for the n-th views.publish (counting from the test's start); returns its view. */
async function published(n: number): Promise<View> {
  const call = await h.fake.waitFor(
    (r: Record_): r is ApiCall =>
      r.kind === "api" && r.method === "views.publish" && h.fake.calls("views.publish").length >= n,
  );
  const nth = h.fake.calls("views.publish")[n - 1] ?? call;
  expect(nth.ok).toBe(true);
  expect(nth.args.user_id).toBe("U1");
  return nth.args.view as View;
}

const textOf = (view: View) => JSON.stringify(view.blocks);
const mrkdwn = (text: string) => text.replace(/\*\*/g, "*");

/** Clicks the Home tab button labelled `label` in `view`. */
async function click(view: View, label: string) {
  const button = controlsOf(view.blocks).find((c) => (c.text as { text: string }).text === label);
  expect(button, `no "${label}" on the Home tab`).toBeDefined();
  expect(String(button!.action_id).startsWith(HOME_ACTION_PREFIX)).toBe(true);
  const res = await h.postAction(
    homeAction("U1", {
      type: "button",
      action_id: button!.action_id,
      block_id: button!.block_id,
      value: button!.value,
      text: button!.text,
    }),
  );
  expect(res.status).toBe(200);
}

const dmPosts = () => h.fake.calls("chat.postMessage").filter((c) => c.args.channel === "DU1");

describe("the Slack App Home tab", () => {
  it("is published on app_home_opened with what the bot does, privacy and forget me", async () => {
    await h.postEvent(eventCallback(homeOpenedEvent("U1")));
    const view = await published(1);
    expect(view.type).toBe("home");
    const shown = textOf(view);
    expect(shown).toContain("Here's what I can do");
    expect(shown).toContain(w.followups_none);
    expect(shown).not.toContain(HOME_WORDING.check);
    expect(shown).toContain("forget me");
    const labels = controlsOf(view.blocks).map((c) => (c.text as { text: string }).text);
    expect(labels).toEqual(expect.arrayContaining([w.offer_triage_yes, HOME_WORDING.forget]));
    const forget = controlsOf(view.blocks).find(
      (c) => c.action_id === `${HOME_ACTION_PREFIX}forget`,
    );
    expect(forget?.confirm).toBeDefined();
  });

  it("shows a booked check-in, and is updated after it is snoozed from the tab", async () => {
    const user = dm("U1", { timeZone: ZONE });
    const outcome = await runTriage(bot.engine, user);
    const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"));
    await bot.engine.handle(user.pick(offer, "3d"));
    const [job] = await scheduler.list("slack", "U1");

    await h.postEvent(eventCallback(homeOpenedEvent("U1")));
    const before = await published(1);
    const due = mrkdwn(`Check-in on **${formatWhen(job!.dueAt, ZONE)}**`);
    expect(textOf(before)).toContain(due);

    await click(before, w.followup_snooze);
    const after = await published(2);
    const [moved] = await scheduler.list("slack", "U1");
    expect(moved!.dueAt).toBe(job!.dueAt + 2 * DAY);
    expect(textOf(after)).not.toContain(due);
    expect(textOf(after)).toContain(mrkdwn(`Check-in on **${formatWhen(moved!.dueAt, ZONE)}**`));
    // The engine's reply to the click goes to the DM.
    expect(JSON.stringify(dmPosts().map((c) => c.args.blocks))).toContain("moved to");

    await click(after, w.followup_cancel);
    expect(textOf(await published(3))).toContain(w.followups_none);
    expect(await scheduler.list("slack", "U1")).toEqual([]);
  });

  it("is updated when the scheduler delivers the check-in it listed", async () => {
    const user = dm("U1", { timeZone: ZONE });
    const outcome = await runTriage(bot.engine, user);
    await bot.engine.handle(
      user.pick(
        outcome.find((r) => r.choices?.id.startsWith("u.offer-")),
        "3d",
      ),
    );
    await h.postEvent(eventCallback(homeOpenedEvent("U1")));
    expect(textOf(await published(1))).not.toContain(mrkdwn(w.followups_none));

    clock += 4 * DAY;
    scheduler.start(bot.followUps.deliverWith(h.slack.sendDirect));
    expect(await scheduler.runDue()).toBe(1);
    // The check-in went to the DM, and the tab no longer lists it.
    expect(dmPosts()).toHaveLength(1);
    expect(textOf(await published(2))).toContain(mrkdwn(w.followups_none));
  });

  it("follows a check started in the DM; Continue asks its question again, Cancel stops it", async () => {
    await h.postEvent(eventCallback(homeOpenedEvent("U1")));
    await published(1);

    // Started in the DM: the tab the user has seen is brought up to date.
    await h.postEvent(eventCallback(dmEvent("U1", "check my knee")));
    const started = await published(2);
    expect(textOf(started)).toContain(HOME_WORDING.check);
    const asked = dmPosts().at(-1)!;
    const askedIds = controlsOf(asked.args.blocks).map((c) => c.action_id);
    expect(askedIds.length).toBeGreaterThan(0);

    await click(started, HOME_WORDING.continue);
    await published(3);
    const again = dmPosts().at(-1)!;
    expect(again).not.toBe(asked);
    expect(controlsOf(again.args.blocks).map((c) => c.action_id)).toEqual(askedIds);
    expect(JSON.stringify(again.args.blocks)).toBe(JSON.stringify(asked.args.blocks));

    await click(started, HOME_WORDING.cancel);
    const cancelled = await published(4);
    expect(textOf(cancelled)).not.toContain(HOME_WORDING.check);
    expect(JSON.stringify(dmPosts().at(-1)!.args.blocks)).toContain("stopped the knee check");

    // A stale Cancel (no check open any more) cancels nothing else, such as check-ins.
    const posts = dmPosts().length;
    await click(started, HOME_WORDING.cancel);
    await published(5);
    expect(dmPosts()).toHaveLength(posts);
  });

  it("forgets the user from the tab, and shows that nothing is kept", async () => {
    const user = dm("U1", { timeZone: ZONE });
    const outcome = await runTriage(bot.engine, user);
    await bot.engine.handle(
      user.pick(
        outcome.find((r) => r.choices?.id.startsWith("u.offer-")),
        "2d",
      ),
    );
    await h.postEvent(eventCallback(homeOpenedEvent("U1")));
    const view = await published(1);
    expect(textOf(view)).not.toContain(w.followups_none);

    await click(view, HOME_WORDING.forget);
    expect(textOf(await published(2))).toContain(w.followups_none);
    expect(await scheduler.list("slack", "U1")).toEqual([]);
    expect(JSON.stringify(dmPosts().at(-1)!.args.blocks)).toContain("deleted everything");
  });

  it("is enabled in the manifest, with the app_home_opened event", () => {
    const manifest = parse(readFileSync("adapters/slack/manifest.yml", "utf8"));
    expect(manifest.features.app_home.home_tab_enabled).toBe(true);
    expect(manifest.settings.event_subscriptions.bot_events).toContain("app_home_opened");
  });
});
