/**
 * The "Ask kneebot" message shortcut through the real Bolt App against the fake Slack, with the
 * real engine: the message's question is answered for the member who ran it, privately (the
 * shortcut's response_url, ephemeral), and "Reply in thread" posts the answer publicly in the
 * message's thread. A reply about someone's own knee stays private and gets no such button.
 */
import { readFileSync } from "node:fs";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import {
  ASK_SHORTCUT_ID,
  POSTED_IN_THREAD,
  REPLY_IN_THREAD,
  THREAD_ACTION_ID,
} from "../../adapters/slack/shortcut.ts";
import { controlsOf } from "../helpers/fake-slack/clicks.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import { blockActions, messageShortcut, nextId } from "../helpers/fake-slack/payloads.ts";
import type { ResponseCall } from "../helpers/fake-slack/server.ts";
import { testEngine } from "../helpers/knowledge.ts";
import { SpyEngine } from "../helpers/spy-engine.ts";

const HANDLED = "slack turn handled";
const SHARED = "slack answer shared";

let h: Harness;
let engine: SpyEngine;
beforeEach(async () => {
  const inner = testEngine();
  engine = new SpyEngine(inner);
  h = await startHarness("http", engine);
});
afterEach(async () => {
  await h.close();
});

/** Runs the shortcut as `user` on a message of U1's; resolves once its replies are sent. */
async function ask(user: string, text: string, extra: { thread_ts?: string } = {}) {
  const id = nextId("sc");
  const message = { user: "U1", text, ts: nextId("17000."), ...extra };
  const res = await h.postAction(
    messageShortcut({ user, channel: "C1", message, responseUrl: h.fake.responseUrl(id) }),
  );
  expect(res.status).toBe(200);
  await h.logged(HANDLED, engine.turns.length + 1);
  return { id, message, responses: () => h.fake.responses(id) };
}

const threadButtons = (responses: ResponseCall[]) =>
  responses
    .flatMap((r) => controlsOf(r.body.blocks))
    .filter((c) => c.action_id === THREAD_ACTION_ID);

/** Clicks "Reply in thread" (its value as given) on the private answer to shortcut `id`. */
function replyInThread(id: string, value: unknown) {
  return h.postAction(
    blockActions({
      user: "U2",
      channel: "C1",
      ephemeral: true,
      responseUrl: h.fake.responseUrl(id),
      action: { type: "button", action_id: THREAD_ACTION_ID, block_id: THREAD_ACTION_ID, value },
    }),
  );
}

describe("the Ask kneebot message shortcut", () => {
  it("answers the message privately, and Reply in thread posts the answer in its thread", async () => {
    const { id, message, responses } = await ask("U2", "should i ice my knee after a run?");
    // Asked as a question, so it is never read as the runner's answer to a check they have open.
    expect(engine.turns[0]).toMatchObject({
      type: "command",
      command: "ask",
      userId: "U2",
      place: { kind: "channel" },
    });
    expect(engine.turns[0]!.mentioned).toBeUndefined();
    expect(engine.turns[0]!.overheard).toBeUndefined();
    expect(responses().length).toBeGreaterThan(0);
    expect(responses().every((r) => r.body.response_type === "ephemeral")).toBe(true);
    expect(JSON.stringify(responses().map((r) => r.body.blocks))).toMatch(/ice/i);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
    const [button] = threadButtons(responses());
    expect((button!.text as { text: string }).text).toBe(REPLY_IN_THREAD);

    expect(button!.block_id).toBe(THREAD_ACTION_ID);
    await replyInThread(id, button!.value);
    await h.logged(SHARED);
    const posted = h.fake.calls("chat.postMessage");
    expect(posted).toHaveLength(1);
    expect(posted[0]!.args).toMatchObject({ channel: "C1", thread_ts: message.ts });
    expect(JSON.stringify(posted[0]!.args.blocks)).toMatch(/ice/i);
    // The private answer is replaced by a note, so it cannot be posted twice by mistake.
    const replaced = await h.fake.waitFor(
      (r): r is ResponseCall =>
        r.kind === "response" && r.id === id && r.body.replace_original === true,
    );
    expect(JSON.stringify(replaced.body)).toContain(POSTED_IN_THREAD);
  });

  it("posts in the thread the message belongs to", async () => {
    const parent = "1700000000.000100";
    const { id, responses } = await ask("U2", "what shoes are good for knees?", {
      thread_ts: parent,
    });
    const [button] = threadButtons(responses());
    await replyInThread(id, button!.value);
    await h.logged(SHARED);
    expect(h.fake.calls("chat.postMessage")[0]!.args.thread_ts).toBe(parent);
  });

  it("keeps a reply about someone's own knee private, with no Reply in thread", async () => {
    const { responses } = await ask(
      "U2",
      "my knee has been aching on the outside after my long runs, what should i do?",
    );
    expect(engine.replies[0]!.some((r) => r.personal)).toBe(true);
    expect(responses().every((r) => r.body.response_type === "ephemeral")).toBe(true);
    expect(threadButtons(responses())).toEqual([]);
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
  });

  it("does not post a non-answer in the thread, even if asked with a forged button", async () => {
    const { id } = await ask("U2", "morning all, great run today!");
    await replyInThread(
      id,
      JSON.stringify({ t: "1700000000.000100", q: "anyone for coffee after?" }),
    );
    await h.fake.waitFor(
      (r) => r.kind === "api" && r.method === "chat.postEphemeral" && r.args.user === "U2",
    );
    expect(h.fake.calls("chat.postMessage")).toHaveLength(0);
  });

  it("is a message shortcut in the manifest, with the callback id the adapter listens to", () => {
    const manifest = parse(readFileSync("adapters/slack/manifest.yml", "utf8"));
    expect(manifest.features.shortcuts).toContainEqual(
      expect.objectContaining({ type: "message", callback_id: ASK_SHORTCUT_ID }),
    );
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });
});
