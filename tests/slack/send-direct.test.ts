/**
 * Proactive check-in DMs (`SlackHandle.sendDirect`) through the real Bolt App and WebClient
 * against the fake Slack: what is posted, how Slack's failures map to delivery results, and a
 * click on a delivered check-in reaching the real engine with the follow-up hooks.
 */
import { createServer } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createSlackDirectSender } from "../../adapters/slack/index.ts";
import { renderReply } from "../../adapters/slack/render.ts";
import { createSqliteScheduler } from "../../src/followups/sqlite-scheduler.ts";
import { type FollowUpJob, newJobId, type Scheduler } from "../../src/followups/types.ts";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import { openDatabase } from "../../src/store/sqlite.ts";
import type { Reply } from "../../src/types.ts";
import { dm, followUpEngine, knowledge, runTriage } from "../followups/helpers.ts";
import { clickOn, controlsOf } from "../helpers/fake-slack/clicks.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import { dmEvent, eventCallback, nextId } from "../helpers/fake-slack/payloads.ts";
import type { ApiCall } from "../helpers/fake-slack/server.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";

const w = knowledge.wording;
const DAY = 24 * 60 * 60 * 1000;
// Monday 2 November 2026, 10:00 UTC (10:00 in London, GMT).
const T0 = Date.UTC(2026, 10, 2, 10);
const HANDLED = "slack turn handled";

/** A check-in job as the scheduler hands it over (only `id` matters to the rendering). */
function job(userId = "U1"): FollowUpJob {
  return {
    id: newJobId(),
    platform: "slack",
    userId,
    dueAt: T0,
    createdAt: T0 - 2 * DAY,
    seq: 1,
    condition: "pfps",
    level: "self_care",
    attempts: 1,
    status: "claimed",
  };
}

const labelsOf = (call: ApiCall) =>
  controlsOf(call.args.blocks).map((c) => (c.text as { text: string }).text);

/** A local port nothing listens on. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe("slack sendDirect", () => {
  let h: Harness;
  let checkIn: Reply[];
  let jobId: string;

  beforeEach(async () => {
    h = await startHarness(
      "socket",
      new ScriptedEngine(() => [{ kind: "info", text: "hi", visibility: "public" }]),
    );
    const bot = followUpEngine(createSqliteScheduler(openDatabase(":memory:")), {
      sessions: createMemorySessionStore(),
      now: () => T0,
    });
    const j = job();
    jobId = j.id;
    checkIn = bot.followUps.renderCheckIn(j, 0);
  });
  afterEach(async () => {
    await h.close();
  });

  it("opens the DM and posts the check-in with Better / Same / Worse buttons", async () => {
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({ type: "sent" });

    const [open] = h.fake.calls("conversations.open");
    expect(open!.args.users).toBe("U1");
    const posts = h.fake.calls("chat.postMessage");
    expect(posts).toHaveLength(1);
    const post = posts[0]!;
    expect(post.seq).toBeGreaterThan(open!.seq);
    expect(post.ok).toBe(true); // the fake enforces Block Kit limits
    expect(post.args.channel).toBe("DU1");
    expect(post.token).toBe("xoxb-test-token");
    expect(post.args.text).toContain("How's your knee today?");
    expect(labelsOf(post)).toEqual([w.followup_better, w.followup_same, w.followup_worse]);
    const controls = controlsOf(post.args.blocks);
    expect(controls.every((c) => c.type === "button" && c.block_id === `u.${jobId}`)).toBe(true);
    expect(controls.map((c) => c.value)).toEqual(["better", "same", "worse"]);
  });

  it("renders like any other DM: reply text is escaped", async () => {
    const reply: Reply = {
      kind: "followup",
      text: "Ping <!channel> & <@U2>?",
      visibility: "private",
      personal: true,
    };
    expect(await h.slack.sendDirect("slack", "U1", [reply])).toEqual({ type: "sent" });
    const [post] = h.fake.calls("chat.postMessage");
    expect(JSON.stringify(post!.args.blocks)).toContain("Ping &lt;!channel&gt; &amp; &lt;@U2&gt;?");
  });

  it("ignores other platforms' users without calling Slack", async () => {
    expect(await h.slack.sendDirect("discord", "123", checkIn)).toEqual({
      type: "undeliverable",
      reason: "wrong-platform",
    });
    expect(h.fake.calls("conversations.open")).toEqual([]);
  });

  it("user_not_found is undeliverable", async () => {
    h.fake.failures.set("conversations.open", "user_not_found");
    expect(await h.slack.sendDirect("slack", "UGONE", checkIn)).toEqual({
      type: "undeliverable",
      reason: "user-not-found",
    });
    expect(h.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("a user who turned off DMs from apps is undeliverable, and the adapter carries on", async () => {
    h.fake.failures.set("chat.postMessage", "messages_tab_disabled");
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "undeliverable",
      reason: "messages-tab-disabled",
    });
    h.fake.failures.clear();
    h.fake.failures.set("conversations.open", "cannot_dm_bot");
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "undeliverable",
      reason: "cannot-dm-bot",
    });

    h.fake.failures.clear();
    expect(await h.slack.sendDirect("slack", "U2", checkIn)).toEqual({ type: "sent" });
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload: eventCallback(dmEvent("U1", "hello")),
    });
    await h.logged(HANDLED);
  });

  it.each([
    ["conversations.open", "user_disabled", "user-disabled"],
    ["conversations.open", "account_inactive", "account-inactive"],
    ["conversations.open", "not_allowed_token_type", "not-allowed-token-type"],
    ["chat.postMessage", "channel_not_found", "channel-not-found"],
    ["chat.postMessage", "is_archived", "is-archived"],
  ])("%s %s is undeliverable (%s)", async (method, error, reason) => {
    h.fake.failures.set(method, error);
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "undeliverable",
      reason,
    });
  });

  it("ratelimited is a retry", async () => {
    h.fake.failures.set("chat.postMessage", "ratelimited");
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "retry",
      error: "rate-limited",
    });
  });

  it("an HTTP 429 is a retry at once, without waiting out Retry-After", async () => {
    h.fake.httpFailures.set("conversations.open", { status: 429, retryAfterSec: 60 });
    const started = Date.now();
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "retry",
      error: "rate-limited",
    });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(h.fake.calls("conversations.open")).toHaveLength(1);
  });

  it("a 5xx and an unknown Slack error are retries", async () => {
    h.fake.httpFailures.set("chat.postMessage", { status: 503 });
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "retry",
      error: "http-503",
    });
    h.fake.httpFailures.clear();
    h.fake.failures.set("chat.postMessage", "internal_error");
    expect(await h.slack.sendDirect("slack", "U1", checkIn)).toEqual({
      type: "retry",
      error: "slack-internal-error",
    });
  });

  it("a network error is a retry", async () => {
    const send = createSlackDirectSender({
      botToken: "xoxb-test-token",
      apiUrl: `http://127.0.0.1:${await closedPort()}/api/`,
    });
    expect(await send("slack", "U1", checkIn)).toEqual({ type: "retry", error: "network" });
  });

  it("a send that takes too long is abandoned as a retry", async () => {
    h.fake.delays.set("conversations.open", 5000);
    const send = createSlackDirectSender({
      botToken: "xoxb-test-token",
      apiUrl: h.fake.apiUrl,
      timeoutMs: 200,
    });
    const started = Date.now();
    expect(await send("slack", "U1", checkIn)).toEqual({ type: "retry", error: "timeout" });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(h.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("never logs message text", async () => {
    await h.slack.sendDirect("slack", "U1", checkIn);
    h.fake.failures.set("chat.postMessage", "messages_tab_disabled");
    await h.slack.sendDirect("slack", "U1", checkIn);
    h.fake.failures.set("chat.postMessage", "internal_error");
    await h.slack.sendDirect("slack", "U1", checkIn);
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain("slack direct message sent");
    expect(logged).toContain("slack direct message not delivered");
    expect(logged).not.toContain("knee today");
    expect(logged).not.toContain("U1");
  });
});

describe("a delivered check-in with the real engine", () => {
  let h: Harness;
  let scheduler: Scheduler;
  let bot: ReturnType<typeof followUpEngine>;
  const clock = { t: T0 };
  const turns: Reply[][] = [];

  beforeEach(async () => {
    clock.t = T0;
    turns.length = 0;
    scheduler = createSqliteScheduler(openDatabase(":memory:"), { now: () => clock.t });
    bot = followUpEngine(scheduler, { sessions: createMemorySessionStore(), now: () => clock.t });
    h = await startHarness("socket", {
      async handle(turn) {
        const replies = await bot.engine.handle(turn);
        turns.push(replies);
        return replies;
      },
      apology: () => bot.engine.apology(),
    });
    h.fake.users.set("U1", { tz: "Europe/London" });
    scheduler.start(bot.followUps.deliverWith(h.slack.sendDirect));
  });
  afterEach(async () => {
    await scheduler.close();
    await h.close();
  });

  const dmPosts = () => h.fake.calls("chat.postMessage").filter((c) => c.args.channel === "DU1");

  it("books at 18:00 local time, delivers, and a click on Better reaches the engine", async () => {
    // The triage itself is covered elsewhere; here it runs straight on the engine.
    const outcome = await runTriage(bot.engine, dm("U1"));
    const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"))!;
    expect(offer).toBeDefined();
    // The offer as the adapter renders it in the DM, clicked in Slack: the click's turn carries
    // the time zone from users.info, so the check-in is booked for 18:00 in London.
    const [offerMessage] = renderReply(offer);
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "interactive",
      payload: clickOn(
        { blocks: offerMessage!.blocks, ts: "1700000000.000001" },
        { tick: () => [], pick: () => w.followup_in_2_days },
        { user: "U1", channel: "DU1", responseUrl: h.fake.responseUrl("offer") },
      ),
    });
    await h.logged(HANDLED, 1);
    const [booked] = await scheduler.list("slack", "U1");
    expect(booked).toMatchObject({ timeZone: "Europe/London", dueAt: Date.UTC(2026, 10, 4, 18) });

    clock.t = booked!.dueAt + 60_000;
    expect(await scheduler.runDue()).toBe(1);
    const delivered = dmPosts().at(-1)!;
    expect(labelsOf(delivered)).toEqual([w.followup_better, w.followup_same, w.followup_worse]);
    expect(controlsOf(delivered.args.blocks)[0]!.block_id).toBe(`u.${booked!.id}`);
    expect((await scheduler.get("slack", "U1", booked!.id))?.status).toBe("sent");

    const postsBefore = dmPosts().length;
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "interactive",
      payload: clickOn(
        { blocks: delivered.args.blocks, ts: delivered.result.ts as string },
        { tick: () => [], pick: () => w.followup_better },
        { user: "U1", channel: "DU1", responseUrl: h.fake.responseUrl("checkin") },
      ),
    });
    await h.logged(HANDLED, 2);

    const answer = turns.at(-1)!;
    expect(answer[0]).toMatchObject({ kind: "followup", text: w.followup_better_reply });
    const after = dmPosts().slice(postsBefore);
    expect(JSON.stringify(after.map((c) => c.args.blocks))).toContain("Great to hear.");
    // The check-in message itself loses its buttons and shows the pick.
    const update = h.fake.calls("chat.update").find((u) => u.args.ts === delivered.result.ts)!;
    expect(controlsOf(update.args.blocks)).toEqual([]);
    expect(JSON.stringify(update.args.blocks)).toContain(`✓ ${w.followup_better}`);
    expect(h.fake.calls().filter((c) => !c.ok)).toEqual([]);
  });

  it("records a check-in to a user with DMs turned off as undeliverable, once", async () => {
    const due = await scheduler.schedule({
      id: newJobId(),
      platform: "slack",
      userId: "U3",
      dueAt: T0 - 1,
      seq: 1,
      condition: "pfps",
      level: "self_care",
    });
    h.fake.failures.set("chat.postMessage", "messages_tab_disabled");
    expect(await scheduler.runDue()).toBe(1);
    expect(await scheduler.get("slack", "U3", due.id)).toMatchObject({
      status: "undeliverable",
    });
    clock.t += DAY;
    expect(await scheduler.runDue()).toBe(0);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(1);
  });
});
