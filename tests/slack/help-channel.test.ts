/**
 * Help channels (SLACK_HELP_CHANNELS) through the real Bolt App against the fake Slack, with the
 * real engine: a confident answer in a thread on the message, a private check offered for
 * someone's own knee, silence on small talk and on a question it is unsure of, and messages the
 * adapter never hands to the engine (members' replies to each other, follow-ups in a thread the
 * bot answered, edits, bots). A mention there is answered as a mention, once.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { slackConfigFromEnv } from "../../adapters/slack/config.ts";
import { SKIPPED, skipReason } from "../../adapters/slack/help-channel.ts";
import { clickOn, controlsOf } from "../helpers/fake-slack/clicks.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import {
  channelMessageEvent,
  eventCallback,
  mentionEvent,
} from "../helpers/fake-slack/payloads.ts";
import { FAKE_BOT } from "../helpers/fake-slack/server.ts";
import { shippedKnowledge, testEngine } from "../helpers/knowledge.ts";
import { SpyEngine } from "../helpers/spy-engine.ts";

const HANDLED = "slack turn handled";
const HELP = "CHELP";
const w = shippedKnowledge().wording;

let h: Harness;
let engine: SpyEngine;
beforeEach(async () => {
  engine = new SpyEngine(testEngine());
  h = await startHarness("http", engine, { helpChannels: [HELP] });
});
afterEach(async () => {
  await h.close();
});

/** Posts a message in the help channel; returns the event. */
async function say(user: string, text: string, extra: Record<string, unknown> = {}) {
  const event = channelMessageEvent(user, HELP, text, extra);
  expect((await h.postEvent(eventCallback(event))).status).toBe(200);
  return event;
}

const posts = () => h.fake.calls("chat.postMessage");
const kinds = (i: number) => engine.replies[i]!.map((r) => r.kind);

describe("a Slack help channel", () => {
  it("answers a confident question publicly, in a thread on the message", async () => {
    const asked = await say("U1", "should i ice my knee after a run?");
    await h.logged(HANDLED);
    expect(kinds(0)).toEqual(["answer"]);
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.args).toMatchObject({ channel: HELP, thread_ts: asked.ts });
    expect(JSON.stringify(posts()[0]!.args.blocks)).toMatch(/ice/i);
    expect(h.fake.calls("chat.postEphemeral")).toHaveLength(0);
  });

  it("offers someone describing their own knee a private check; the button starts it privately", async () => {
    const told = await say("U1", "my knee has been aching on the outside after my long runs");
    await h.logged(HANDLED);
    const offer = posts()[0]!;
    expect(offer.args.thread_ts).toBe(told.ts);
    expect(JSON.stringify(offer.args.blocks)).not.toMatch(/outside|long runs/);
    expect(controlsOf(offer.args.blocks).map((c) => (c.text as { text: string }).text)).toEqual([
      w.help_channel_button,
    ]);

    const click = clickOn(
      { blocks: offer.args.blocks, ts: offer.result.ts as string },
      { tick: () => [], pick: (labels) => labels[0]! },
      { user: "U1", channel: HELP, responseUrl: h.fake.responseUrl("offer") },
    );
    await h.postAction(click);
    await h.logged(HANDLED, 2);
    expect(kinds(1)).toContain("question");
    // The check goes on privately, with nothing of it in public, not even the first-time hello.
    expect(engine.replies[1]!.filter((r) => r.visibility === "public")).toEqual([]);
    expect(posts()).toHaveLength(1);
    const privately = h.fake.calls("chat.postEphemeral");
    expect(privately.length).toBeGreaterThan(0);
    expect(privately.every((c) => c.args.user === "U1" && c.args.channel === HELP)).toBe(true);
  });

  it("stays silent on small talk and on a question it is not sure of", async () => {
    // Asked directly, the bot would only guess at this one ("did you mean…").
    const direct = await testEngine().handle({
      platform: "slack",
      userId: "U9",
      place: { kind: "channel", id: "C1" },
      type: "text",
      text: "anyone know much about knees?",
    });
    expect(direct.map((r) => r.kind)).toContain("did-you-mean");

    await say("U1", "morning all, great run today!");
    await say("U2", "anyone know much about knees?");
    await h.logged(HANDLED, 2);
    expect(engine.replies).toEqual([[], []]);
    expect(posts()).toHaveLength(0);
    expect(h.fake.calls("chat.postEphemeral")).toHaveLength(0);
  });

  it("leaves members' replies, follow-ups in its own thread, edits and bots to the members", async () => {
    const asked = await say("U1", "should i ice my knee after a run?");
    await h.logged(HANDLED);
    const answer = posts()[0]!;

    await say("U2", "have you tried icing it after long runs?", { thread_ts: "1699999999.000100" });
    await say("U1", "thanks! how long should i ice it for?", { thread_ts: asked.ts });
    await say("U2", `<@U3> should i ice my knee after a run?`);
    await say("U1", "should i ice my knee?", { subtype: "message_changed" });
    await say("U4", "should i ice my knee after a run?", { bot_id: "B0OTHER" });
    await h.logged(SKIPPED, 5);
    const reasons = h.logs
      .filter((l) => l.msg === SKIPPED)
      .map((l) => (l.obj as { reason: string }).reason);
    expect(reasons.sort()).toEqual(
      ["not-user", "not-user", "thread-reply", "thread-reply", "to-a-member"].sort(),
    );
    expect(engine.replies).toHaveLength(1);
    expect(posts()).toEqual([answer]);
  });

  it("answers a mention in its thread once: as a mention, not also as an overheard message", async () => {
    const asked = await say("U1", "should i ice my knee after a run?");
    await h.logged(HANDLED);
    const text = `<@${FAKE_BOT.userId}> how long should i ice it?`;
    await say("U1", text, { thread_ts: asked.ts });
    await h.postEvent(eventCallback(mentionEvent("U1", HELP, text, { thread_ts: asked.ts })));
    await h.logged(HANDLED, 2);
    await h.logged(SKIPPED);
    // Two turns: the overheard question and the mention (greeted, as a first conversation is).
    expect(engine.replies).toHaveLength(2);
    expect(kinds(1)).toEqual(["greeting", "answer"]);
    expect(posts()).toHaveLength(3);
    for (const post of posts())
      expect(post.args).toMatchObject({ channel: HELP, thread_ts: asked.ts });
  });
});

describe("which help-channel messages reach the engine", () => {
  const listed = new Set([HELP]);
  const event = (extra: Record<string, unknown>) => ({
    type: "message",
    channel_type: "channel",
    channel: HELP,
    user: "U1",
    text: "should i ice my knee?",
    ts: "1700000000.000100",
    ...extra,
  });

  it("reads a member's own top-level message, and nothing else", () => {
    const bot = FAKE_BOT.userId;
    expect(skipReason(event({}), listed, bot)).toBeUndefined();
    expect(skipReason(event({ thread_ts: "1700000000.000100" }), listed, bot)).toBeUndefined();
    expect(skipReason(event({ channel: "COTHER" }), listed, bot)).toBe("not-help");
    expect(skipReason(event({ channel_type: "im" }), listed, bot)).toBe("not-help");
    expect(skipReason(event({ thread_ts: "1699999999.000100" }), listed, bot)).toBe("thread-reply");
    expect(skipReason(event({ subtype: "thread_broadcast" }), listed, bot)).toBe("not-user");
    expect(skipReason(event({ user: bot }), listed, bot)).toBe("not-user");
    expect(skipReason(event({ user: undefined }), listed, bot)).toBe("not-user");
    expect(skipReason(event({ text: `<@${bot}> hi` }), listed, bot)).toBe("mention");
    expect(skipReason(event({ text: "<@U2|sam> try ice" }), listed, bot)).toBe("to-a-member");
  });

  it("takes SLACK_HELP_CHANNELS as channel ids, and names the variable when one is wrong", () => {
    const env = { SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" };
    expect(
      slackConfigFromEnv({ ...env, SLACK_HELP_CHANNELS: " C024BE91L, G0PRIVATE " })?.helpChannels,
    ).toEqual(["C024BE91L", "G0PRIVATE"]);
    expect(slackConfigFromEnv({ ...env, SLACK_HELP_CHANNELS: "" })?.helpChannels).toBeUndefined();
    expect(() => slackConfigFromEnv({ ...env, SLACK_HELP_CHANNELS: "#help" })).toThrow(
      /SLACK_HELP_CHANNELS must be Slack channel ids/,
    );
  });

  it("has the manifest subscribe to channel messages, with the scope to read them", () => {
    const manifest = parse(readFileSync("adapters/slack/manifest.yml", "utf8"));
    expect(manifest.settings.event_subscriptions.bot_events).toContain("message.channels");
    expect(manifest.oauth_config.scopes.bot).toContain("channels:history");
  });
});
