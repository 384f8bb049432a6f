/**
 * The Slack adapter in Socket Mode, through the real Bolt App and SocketModeReceiver: the fake
 * Web API's apps.connections.open hands out a local WebSocket that sends envelopes and
 * records the app's acks.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { encodeButtonId } from "../../src/choice-id.ts";
import type { Reply, Turn } from "../../src/types.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import {
  blockActions,
  dmEvent,
  eventCallback,
  mentionEvent,
  nextId,
  slashCommand,
} from "../helpers/fake-slack/payloads.ts";
import type { ApiCall, Record_, ResponseCall } from "../helpers/fake-slack/server.ts";
import { ScriptedEngine, sample } from "../helpers/scripted-engine.ts";

function script(turn: Turn): Reply[] {
  if (turn.type === "command") return [sample.info(`${turn.command} text`, "private")];
  if (turn.type === "choice") return [sample.info(`picked ${turn.values.join(",")}`, "private")];
  return [sample.answer(`You said: ${turn.text}`)];
}

const isResponse =
  (id: string) =>
  (r: Record_): r is ResponseCall =>
    r.kind === "response" && r.id === id;
const isCall =
  (method: string) =>
  (r: Record_): r is ApiCall =>
    r.kind === "api" && r.method === method;

describe("slack adapter in Socket Mode", () => {
  let h: Harness;
  let engine: ScriptedEngine;

  beforeEach(async () => {
    engine = new ScriptedEngine(script);
    h = await startHarness("socket", engine);
    h.fake.users.set("U1", { tz: "America/New_York" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("connected with the app token through apps.connections.open", () => {
    const open = h.fake.calls("apps.connections.open");
    expect(open).toHaveLength(1);
    expect(open[0]!.token).toBe("xapp-test-token");
  });

  it("answers a slash command envelope and acks it", async () => {
    const envelope_id = nextId("env-");
    const ack = await h.fake.sendEnvelope({
      envelope_id,
      type: "slash_commands",
      payload: slashCommand("U1", "C1", "privacy", h.fake.responseUrl("sm1")),
      accepts_response_payload: true,
    });
    expect(ack.envelope_id).toBe(envelope_id);
    const reply = await h.fake.waitFor(isResponse("sm1"));
    expect(reply.body.response_type).toBe("ephemeral");
    expect(JSON.stringify(reply.body)).toContain("privacy text");
    expect(engine.turns[0]).toMatchObject({ command: "privacy", timeZone: "America/New_York" });
  });

  it("handles a button click envelope", async () => {
    const setId = "s2:q:v1";
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "interactive",
      payload: blockActions({
        user: "U1",
        channel: "C1",
        ephemeral: true,
        responseUrl: h.fake.responseUrl("smb"),
        action: {
          type: "button",
          action_id: encodeButtonId(setId, "yes"),
          block_id: setId,
          value: "yes",
          text: { type: "plain_text", text: "Yes" },
        },
      }),
    });
    await h.fake.waitFor((r) => isResponse("smb")(r) && r.body.replace_original === false);
    expect(engine.turns[0]).toMatchObject({ type: "choice", setId, values: ["yes"] });
  });

  it("answers a mention in the thread", async () => {
    const event = mentionEvent("U1", "C1", "<@UBOT> hello");
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload: eventCallback(event),
    });
    const post = await h.fake.waitFor(isCall("chat.postMessage"));
    expect(post.args).toMatchObject({ channel: "C1", thread_ts: event.ts });
  });

  it("processes an event redelivered with retry_attempt once", async () => {
    const payload = eventCallback(dmEvent("U1", "hello"));
    await h.fake.sendEnvelope({ envelope_id: nextId("env-"), type: "events_api", payload });
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload,
      retry_attempt: 1,
      retry_reason: "timeout",
    });
    await h.logged("slack retry ignored (already handled)");
    await h.fake.waitFor(isCall("chat.postMessage"));
    expect(engine.turns).toHaveLength(1);
    expect(h.fake.acks()).toHaveLength(2);
  });

  it("acks an envelope before a slow engine finishes", async () => {
    engine.hold();
    const ack = await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "slash_commands",
      payload: slashCommand("U1", "C1", "help", h.fake.responseUrl("slow")),
    });
    await engine.started();
    expect(engine.finished).toBe(0);
    engine.release();
    const reply = await h.fake.waitFor(isResponse("slow"));
    expect(ack.seq).toBeLessThan(reply.seq);
    expect(engine.finished).toBe(1);
  });
});
