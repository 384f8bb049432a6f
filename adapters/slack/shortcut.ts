/**
 * The "Ask kneebot" message shortcut (⋮ on any message → Ask kneebot): the message's text is
 * asked for the member who ran it, as an ordinary text turn from the channel, and every reply is
 * shown to them only (ephemeral, through the shortcut's response_url). A public FAQ answer gets
 * a "Reply in thread" button that asks again and posts the answer in the message's thread; a
 * reply about someone's own knee is private (the engine says so) and never gets one.
 */
import type { App } from "@slack/bolt";
import type { Reply, Turn } from "../../src/index.ts";
import {
  apologise,
  type DeliverContext,
  isPublic,
  postToResponseUrl,
  sendMessage,
  type Target,
} from "./deliver.ts";
import { base, describe, duplicate, type HandlerDeps, type Ids, share } from "./handlers.ts";
import { PLATFORM, pickString, slackTextToPlain } from "./parse.ts";
import { renderNotice, renderReply } from "./render.ts";
import { type Block, MAX_BLOCKS_PER_MESSAGE, MAX_BUTTON_VALUE_CHARS } from "./types.ts";

/** The shortcut's callback id (manifest.yml, `shortcuts`). */
export const ASK_SHORTCUT_ID = "ask_kneebot";
/** Action id of the "Reply in thread" button. */
export const THREAD_ACTION_ID = "kneebot-thread";
/** The button's label, and what replaces the private answer once it is posted. */
export const REPLY_IN_THREAD = "Reply in thread";
export const POSTED_IN_THREAD = "Posted in the thread.";

/** What the button carries: the thread to post in and the question to ask again. */
interface ThreadRequest {
  t: string;
  q: string;
}

/** The "Reply in thread" button, or undefined when the question is too long to carry. */
export function threadButton(threadTs: string, question: string): Block | undefined {
  const value = JSON.stringify({ t: threadTs, q: question } satisfies ThreadRequest);
  if (value.length > MAX_BUTTON_VALUE_CHARS) return undefined;
  return {
    type: "actions",
    block_id: THREAD_ACTION_ID,
    elements: [
      {
        type: "button",
        action_id: THREAD_ACTION_ID,
        value,
        text: { type: "plain_text", text: REPLY_IN_THREAD },
      },
    ],
  };
}

function readRequest(value: string | undefined): ThreadRequest | undefined {
  try {
    const parsed = JSON.parse(value ?? "") as Partial<ThreadRequest>;
    return typeof parsed.t === "string" && typeof parsed.q === "string" && parsed.q !== ""
      ? { t: parsed.t, q: parsed.q }
      : undefined;
  } catch {
    return undefined;
  }
}

/** Registers the shortcut and its "Reply in thread" button. */
export function registerAskShortcut(app: App, deps: HandlerDeps): void {
  app.shortcut({ callback_id: ASK_SHORTCUT_ID, type: "message_action" }, async (args) => {
    const { ack, shortcut, client } = args;
    await ack();
    if (shortcut.type !== "message_action") return;
    const channelId = shortcut.channel.id;
    const ids = { surface: "shortcut", triggerId: shortcut.trigger_id, channel: channelId };
    if (await duplicate(deps, `shortcut:${shortcut.trigger_id}`, ids)) return;
    const text = slackTextToPlain(pickString(shortcut.message, "text") ?? "", deps.botUserId);
    const userId = shortcut.user.id;
    const ctx = { client, fetch: deps.fetch };
    const target: Target = {
      kind: "respond",
      responseUrl: shortcut.response_url,
      channelId,
      userId,
      uses: 0,
    };
    const ts = pickString(shortcut.message, "ts") ?? shortcut.message_ts;
    const threadTs = pickString(shortcut.message, "thread_ts") ?? ts;
    const turnBase = await base(deps, client, userId, channelId);
    const turn: Turn = text
      ? // Asked as a question ("ask"), never read as the runner's answer to an open check.
        { ...turnBase, type: "command", command: "ask", args: text }
      : { ...turnBase, type: "command", command: "help" };
    const work = answerPrivately(deps, ctx, target, turn, text ? threadTs : undefined, ids);
    deps.inFlight?.add(work);
    await work.finally(() => deps.inFlight?.delete(work));
  });

  app.action(THREAD_ACTION_ID, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== "block_actions") return;
    const channelId = pickString(body, "channel", "id") ?? "";
    const ids = { surface: "thread-button", triggerId: body.trigger_id, channel: channelId };
    const actionTs = pickString(body, "actions", 0, "action_ts") ?? "";
    if (await duplicate(deps, `action:${body.trigger_id}:${actionTs}`, ids)) return;
    const request = readRequest(pickString(body, "actions", 0, "value"));
    if (!request || !channelId) return;
    const userId = body.user.id;
    const ctx = { client, fetch: deps.fetch };
    const thread: Target = {
      kind: "thread",
      channelId,
      threadTs: request.t,
      userId,
      generic: false,
    };
    const ask: Turn = {
      ...(await base(deps, client, userId, channelId)),
      type: "command",
      command: "ask",
      args: request.q,
    };
    const work = (async () => {
      if (!(await share(deps, ctx, thread, ask, ids))) return;
      const responseUrl = pickString(body, "response_url");
      if (!responseUrl) return;
      const original: Target = { kind: "respond", responseUrl, channelId, userId, uses: 0 };
      await postToResponseUrl(ctx, original, {
        replace_original: true,
        ...renderNotice(POSTED_IN_THREAD),
      }).catch((err: unknown) =>
        deps.logger.warn(
          { platform: PLATFORM, ...ids, ...describe(err) },
          "slack could not update the private answer",
        ),
      );
    })();
    deps.inFlight?.add(work);
    await work.finally(() => deps.inFlight?.delete(work));
  });
}

/** The engine's replies to the member who ran the shortcut only, public answers with the button. */
async function answerPrivately(
  deps: HandlerDeps,
  ctx: DeliverContext,
  target: Target,
  turn: Turn,
  threadTs: string | undefined,
  ids: Ids,
): Promise<void> {
  try {
    const replies = await deps.engine.handle(turn);
    for (const reply of replies) {
      const messages = renderReply(reply);
      const button = sharable(reply, turn, threadTs);
      const last = messages.at(-1);
      if (button && last && last.blocks.length < MAX_BLOCKS_PER_MESSAGE) last.blocks.push(button);
      for (const message of messages) await sendMessage(ctx, target, message, "private");
    }
    deps.logger.info({ platform: PLATFORM, ...ids, replies: replies.length }, "slack turn handled");
  } catch (err) {
    deps.logger.error({ platform: PLATFORM, ...ids, ...describe(err) }, "slack turn failed");
    await apologise(ctx, target, deps.engine.apology());
  }
}

/** The thread button for a reply everyone may see: an FAQ answer the engine made public. */
function sharable(reply: Reply, turn: Turn, threadTs: string | undefined): Block | undefined {
  if (reply.kind !== "answer" || !isPublic(reply) || turn.type !== "command" || !threadTs) return;
  return turn.args ? threadButton(threadTs, turn.args) : undefined;
}
