/**
 * The Slack adapter in HTTP mode, through the real Bolt App and HTTPReceiver, against the
 * fake Slack: requests are signed with the signing secret and sent with fetch.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { DONE_ACTION_ID, SHARE_ACTION_ID } from "../../adapters/slack/types.ts";
import { encodeButtonId } from "../../src/choice-id.ts";
import type { Reply, Turn } from "../../src/types.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import {
  blockActions,
  dmEvent,
  eventCallback,
  mentionEvent,
  slashCommand,
} from "../helpers/fake-slack/payloads.ts";
import type { ApiCall, Record_, ResponseCall } from "../helpers/fake-slack/server.ts";
import { ScriptedEngine, sample } from "../helpers/scripted-engine.ts";

function script(turn: Turn): Reply[] {
  if (turn.type === "command" && turn.command === "triage")
    return [sample.info("Let's look at your knee.", "private"), sample.checklist()];
  if (turn.type === "command" && turn.command === "ask")
    return [sample.answer(`About "${turn.args}": rest **first**.`)];
  if (turn.type === "command" && turn.command === "followups") {
    return Array.from({ length: 7 }, (_, i) => sample.info(`Follow-up ${i + 1}`, "private"));
  }
  if (turn.type === "command") return [sample.info(`${turn.command} text`, "private")];
  if (turn.type === "choice" && turn.setId === "s1:rf:v1") return [sample.question()];
  if (turn.type === "choice" && turn.setId === "gone:1")
    return [{ kind: "expired", text: "This question has expired.", visibility: "private" }];
  if (turn.type === "choice")
    return [
      {
        kind: "outcome",
        text: "Self-care is fine.",
        visibility: "private",
        personal: true,
        meta: { level: "self-care" },
      },
    ];
  if (turn.text === "only private") return [sample.question()];
  return [sample.answer(`You said: ${turn.text} <!channel>`), sample.question()];
}

const isResponse =
  (id: string) =>
  (r: Record_): r is ResponseCall =>
    r.kind === "response" && r.id === id;
const isCall =
  (method: string) =>
  (r: Record_): r is ApiCall =>
    r.kind === "api" && r.method === method;
const allText = (x: unknown) => JSON.stringify(x);

describe("slack adapter over HTTP", () => {
  let h: Harness;
  let engine: ScriptedEngine;

  beforeEach(async () => {
    engine = new ScriptedEngine(script);
    h = await startHarness("http", engine);
    h.fake.users.set("U1", { tz: "Europe/London" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("answers /knee help ephemerally via response_url, with the user's time zone", async () => {
    const res = await h.postCommand(slashCommand("U1", "C1", "help", h.fake.responseUrl("help1")));
    expect(res.status).toBe(200);
    const reply = await h.fake.waitFor(isResponse("help1"));
    expect(reply.body).toMatchObject({ response_type: "ephemeral", replace_original: false });
    expect(allText(reply.body.blocks)).toContain("help text");
    expect(engine.turns[0]).toMatchObject({
      platform: "slack",
      type: "command",
      command: "help",
      userId: "U1",
      place: { kind: "channel", id: "C1" },
      timeZone: "Europe/London",
    });
  });

  it("answers /knee <question> privately with a Share button that posts it publicly", async () => {
    await h.postCommand(slashCommand("U1", "C1", "is swelling bad?", h.fake.responseUrl("ask1")));
    const answer = await h.fake.waitFor(isResponse("ask1"));
    expect(answer.body.response_type).toBe("ephemeral");
    expect(engine.turns[0]).toMatchObject({
      type: "command",
      command: "ask",
      args: "is swelling bad?",
    });
    const blocks = answer.body.blocks as {
      type: string;
      elements?: { action_id: string; value: string }[];
    }[];
    const share = blocks.find((b) => b.type === "actions")!.elements![0]!;
    expect(share.action_id).toBe(SHARE_ACTION_ID);
    expect(allText(blocks)).toContain("rest *first*");

    const click = blockActions({
      user: "U1",
      channel: "C1",
      ephemeral: true,
      responseUrl: h.fake.responseUrl("share1"),
      action: {
        type: "button",
        action_id: share.action_id,
        value: share.value,
        block_id: "kneebot-share",
      },
    });
    expect((await h.postAction(click)).status).toBe(200);
    await h.fake.waitFor((r) => isResponse("share1")(r) && r.body.replace_original === true);
    const [pub, replaced] = h.fake.responses("share1");
    expect(pub!.body).toMatchObject({ response_type: "in_channel", replace_original: false });
    expect(allText(pub!.body.blocks)).toContain("is swelling bad?");
    expect(allText(pub!.body.blocks)).not.toContain(SHARE_ACTION_ID);
    expect(allText(replaced!.body)).toContain("Shared in the channel.");
  });

  it("runs /knee (triage) as ephemeral follow-ups on the response_url, in order", async () => {
    await h.postCommand(slashCommand("U1", "C1", "", h.fake.responseUrl("tri1")));
    await h.fake.waitFor((r) => isResponse("tri1")(r) && allText(r.body).includes("checkboxes"));
    const posts = h.fake.responses("tri1");
    expect(posts.map((p) => p.body.response_type)).toEqual(["ephemeral", "ephemeral"]);
    expect(allText(posts[0]!.body)).toContain("look at your knee");
    expect(engine.turns[0]).toMatchObject({ type: "command", command: "triage" });
    await h.postCommand(slashCommand("U1", "C1", "help", h.fake.responseUrl("tri2")));
    await h.fake.waitFor(isResponse("tri2"));
    expect(h.fake.calls("users.info")).toHaveLength(1);
  });

  it("falls back to chat.postEphemeral after the 5 uses of a response_url", async () => {
    await h.postCommand(slashCommand("U1", "C1", "followups", h.fake.responseUrl("many")));
    await h.fake.waitFor(
      (r) => isCall("chat.postEphemeral")(r) && allText(r.args).includes("Follow-up 7"),
    );
    expect(h.fake.responses("many")).toHaveLength(5);
    const eph = h.fake.calls("chat.postEphemeral");
    expect(eph.map((c) => c.args.user)).toEqual(["U1", "U1"]);
    expect(eph.every((c) => c.ok)).toBe(true);
  });

  it("handles a button click in a DM: updates the message, then posts the next reply", async () => {
    const setId = "s1:q1:v1";
    const click = blockActions({
      user: "U1",
      channel: "DU1",
      responseUrl: h.fake.responseUrl("btn1"),
      message: {
        ts: "1700000000.000100",
        blocks: [
          { type: "section", text: { type: "mrkdwn", text: "Where does it hurt?" } },
          { type: "actions", block_id: setId, elements: [] },
        ],
      },
      action: {
        type: "button",
        action_id: encodeButtonId(setId, "front"),
        block_id: setId,
        value: "front",
        text: { type: "plain_text", text: "Front of the knee" },
      },
    });
    expect((await h.postAction(click)).status).toBe(200);
    const next = await h.fake.waitFor(isCall("chat.postMessage"));
    const update = h.fake.calls("chat.update")[0]!;
    expect(update.seq).toBeLessThan(next.seq);
    expect(update.args).toMatchObject({ channel: "DU1", ts: "1700000000.000100" });
    expect(allText(update.args.blocks)).toContain("✓ Front of the knee");
    expect(allText(update.args.blocks)).not.toContain('"actions"');
    expect(next.args.channel).toBe("DU1");
    expect(allText(next.args.blocks)).toContain("Self-care is fine.");
    expect(engine.turns[0]).toMatchObject({
      type: "choice",
      setId,
      values: ["front"],
      place: { kind: "dm" },
    });
  });

  it("handles a checklist: toggles are ignored, Done submits the ticked values", async () => {
    const setId = "s1:rf:v1";
    const toggle = blockActions({
      user: "U1",
      channel: "C1",
      ephemeral: true,
      responseUrl: h.fake.responseUrl("chk0"),
      action: { type: "checkboxes", action_id: setId, block_id: setId, selected_options: [] },
    });
    expect((await h.postAction(toggle)).status).toBe(200);
    const done = blockActions({
      user: "U1",
      channel: "C1",
      ephemeral: true,
      responseUrl: h.fake.responseUrl("chk1"),
      state: {
        [setId]: {
          [setId]: {
            type: "checkboxes",
            selected_options: [
              { value: "none", text: { type: "plain_text", text: "None of these" } },
            ],
          },
        },
      },
      action: { type: "button", action_id: DONE_ACTION_ID, block_id: setId, value: "done" },
    });
    expect((await h.postAction(done)).status).toBe(200);
    await h.fake.waitFor((r) => isResponse("chk1")(r) && r.body.replace_original === false);
    const [replaced, next] = h.fake.responses("chk1");
    expect(replaced!.body.replace_original).toBe(true);
    expect(allText(replaced!.body)).toContain("✓ None of these");
    expect(next!.body.response_type).toBe("ephemeral");
    expect(allText(next!.body)).toContain("Where does it hurt?");
    expect(engine.turns).toHaveLength(1);
    expect(engine.turns[0]).toMatchObject({ type: "choice", setId, values: ["none"] });
  });

  it("leaves a public channel message alone when clicked; the reply goes to the clicker", async () => {
    const setId = "s1:q1:v1";
    const click = blockActions({
      user: "U1",
      channel: "C1",
      responseUrl: h.fake.responseUrl("pub1"),
      message: { ts: "1700000000.000200", thread_ts: "1700000000.000100", blocks: [] },
      action: {
        type: "button",
        action_id: encodeButtonId(setId, "front"),
        block_id: setId,
        value: "front",
        text: { type: "plain_text", text: "Front" },
      },
    });
    await h.postAction(click);
    const eph = await h.fake.waitFor(isCall("chat.postEphemeral"));
    expect(eph.args).toMatchObject({ channel: "C1", user: "U1", thread_ts: "1700000000.000100" });
    expect(h.fake.calls("chat.update")).toEqual([]);
    expect(h.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("forwards a stale click to the engine, which answers 'expired'", async () => {
    const click = blockActions({
      user: "U1",
      channel: "C1",
      ephemeral: true,
      responseUrl: h.fake.responseUrl("stale"),
      action: {
        type: "button",
        action_id: encodeButtonId("gone:1", "a"),
        block_id: "gone:1",
        value: "a",
        text: { type: "plain_text", text: "A" },
      },
    });
    await h.postAction(click);
    await h.fake.waitFor((r) => isResponse("stale")(r) && allText(r.body).includes("expired"));
  });

  it("answers a mention in the thread; personal replies go ephemeral; @channel pings nobody", async () => {
    const event = mentionEvent("U1", "C1", "<@UBOT> my knee &lt;!channel&gt; hurts");
    expect((await h.postEvent(eventCallback(event))).status).toBe(200);
    const eph = await h.fake.waitFor(isCall("chat.postEphemeral"));
    const pub = h.fake.calls("chat.postMessage");
    expect(pub).toHaveLength(1);
    expect(pub[0]!.args).toMatchObject({ channel: "C1", thread_ts: event.ts });
    expect(eph.args).toMatchObject({ channel: "C1", user: "U1", thread_ts: event.ts });
    expect(allText(eph.args.blocks)).toContain("Where does it hurt?");
    expect(engine.turns[0]).toMatchObject({
      type: "text",
      text: "my knee <!channel> hurts",
      mentioned: true,
    });
    // The engine echoed the user's text and added its own <!channel>: both arrive escaped.
    const sent = allText(pub[0]!.args);
    expect(sent).toContain("&lt;!channel&gt;");
    expect(sent).not.toContain("<!channel>");
    expect(sent).not.toMatch(/<[!@]/);
  });

  it("keeps the thread generic when every reply is personal, and DMs when ephemeral fails", async () => {
    h.fake.failures.set("chat.postEphemeral", "user_not_in_channel");
    const event = mentionEvent("U1", "C1", "<@UBOT> only private");
    await h.postEvent(eventCallback(event));
    const note = await h.fake.waitFor(
      (r): r is ApiCall => isCall("chat.postMessage")(r) && r.args.channel === "C1",
    );
    const dm = h.fake.calls("chat.postMessage").find((c) => c.args.channel === "DU1")!;
    expect(h.fake.calls("conversations.open")[0]!.args.users).toBe("U1");
    expect(allText(dm.args.blocks)).toContain("Where does it hurt?");
    expect(dm.seq).toBeLessThan(note.seq);
    expect(allText(note.args)).toContain("replied to you privately");
    expect(allText(note.args)).not.toContain("Where does it hurt?");
    expect(note.args.thread_ts).toBe(event.ts);
  });

  it("ignores bot messages and message subtypes in DMs", async () => {
    await h.postEvent(eventCallback(dmEvent("U1", "edited", { subtype: "message_changed" })));
    await h.postEvent(eventCallback(dmEvent("U1", "from a bot", { bot_id: "B2" })));
    await h.postEvent(eventCallback(dmEvent("U1", "hello")));
    await h.fake.waitFor(isCall("chat.postMessage"));
    expect(engine.turns.map((t) => (t.type === "text" ? t.text : t.type))).toEqual(["hello"]);
  });

  it("rejects a forged signature with 401", async () => {
    const body = JSON.stringify(eventCallback(dmEvent("U1", "hello")));
    const res = await h.post(body, "application/json", { secret: "not-the-secret" });
    expect(res.status).toBe(401);
    expect(engine.turns).toHaveLength(0);
  });

  it("rejects a stale timestamp with 401", async () => {
    const body = JSON.stringify(eventCallback(dmEvent("U1", "hello")));
    const res = await h.post(body, "application/json", { ts: Math.floor(Date.now() / 1000) - 600 });
    expect(res.status).toBe(401);
    expect(engine.turns).toHaveLength(0);
  });

  it("processes an event retried with X-Slack-Retry-Num once", async () => {
    const payload = eventCallback(dmEvent("U1", "hello"));
    expect((await h.postEvent(payload)).status).toBe(200);
    expect((await h.postEvent(payload, { retryNum: 1 })).status).toBe(200);
    await h.logged("slack retry ignored (already handled)");
    await h.fake.waitFor(isCall("chat.postMessage"));
    expect(engine.turns).toHaveLength(1);
  });

  it("acks a slash command before a slow engine finishes", async () => {
    engine.hold();
    const res = await h.postCommand(slashCommand("U1", "C1", "help", h.fake.responseUrl("slow")));
    const acked = h.fake.mark("http 200 received");
    expect(res.status).toBe(200);
    expect(engine.finished).toBe(0);
    await engine.started();
    engine.release();
    const reply = await h.fake.waitFor(isResponse("slow"));
    expect(acked.seq).toBeLessThan(reply.seq);
    expect(engine.finished).toBe(1);
  });

  it("acks an event before a slow engine finishes", async () => {
    engine.hold();
    const res = await h.postEvent(eventCallback(dmEvent("U1", "hello")));
    const acked = h.fake.mark("http 200 received");
    expect(res.status).toBe(200);
    await engine.started();
    expect(engine.finished).toBe(0);
    engine.release();
    const reply = await h.fake.waitFor(isCall("chat.postMessage"));
    expect(acked.seq).toBeLessThan(reply.seq);
  });

  it("apologises (and logs no text) when the engine fails", async () => {
    const failing = new ScriptedEngine(() => {
      throw new Error("boom: my secret knee story");
    });
    const other = await startHarness("http", failing);
    try {
      await other.postEvent(eventCallback(dmEvent("U9", "my secret knee story")));
      const apology = await other.fake.waitFor(isCall("chat.postMessage"));
      expect(allText(apology.args)).toContain("Sorry, something went wrong");
      const line = await other.logged("slack turn failed");
      expect(line.obj).toMatchObject({ eventId: expect.any(String), errName: "Error" });
      expect(JSON.stringify(other.logs)).not.toContain("secret knee story");
    } finally {
      await other.close();
    }
  });
});
