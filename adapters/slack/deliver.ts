/**
 * Sends rendered replies to the right Slack surface. Where a turn came from decides where its
 * replies go (a Target); a reply's visibility, which the engine settled, decides public or
 * private:
 * - "respond": a slash command or a click on an ephemeral message → ephemeral via response_url
 *   (chat.postEphemeral once the response_url's 5 uses are spent);
 * - "thread": a mention or a click on a public message in a channel → public replies in the
 *   thread; private ones to the user only (chat.postEphemeral, or the DM when that fails), and
 *   the public thread reply stays generic;
 * - "dm": the bot's direct-message channel with the user → everything there.
 */
import type { webApi } from "@slack/bolt";
import { KneebotError, type Reply } from "../../src/index.ts";
import { type RenderOptions, renderNotice, renderReply } from "./render.ts";
import { MAX_RESPONSE_URL_USES, type SlackMessage } from "./types.ts";

/** Where the replies to one turn go. */
export type Target =
  | { kind: "respond"; responseUrl: string; channelId: string; userId: string; uses: number }
  | { kind: "thread"; channelId: string; threadTs: string; userId: string; generic: boolean }
  | { kind: "dm"; channelId: string; userId: string };

/** What delivering needs from the outside world. */
export interface DeliverContext {
  client: webApi.WebClient;
  fetch: typeof fetch;
}

/** Shown in a channel thread when every reply went to the user privately. */
export const PRIVATE_NOTE = "I've replied to you privately.";

/** POSTs a payload to a response_url (counts as one of its uses). */
export async function postToResponseUrl(
  ctx: DeliverContext,
  target: Extract<Target, { kind: "respond" }>,
  payload: Record<string, unknown>,
): Promise<void> {
  target.uses += 1;
  const res = await ctx.fetch(target.responseUrl, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(payload),
  });
  if (!res.ok) throw new KneebotError("platform", `response_url answered HTTP ${res.status}`);
}

async function ephemeral(
  ctx: DeliverContext,
  target: Target,
  message: SlackMessage,
  threadTs?: string,
): Promise<void> {
  if (target.kind === "respond" && target.uses < MAX_RESPONSE_URL_USES) {
    await postToResponseUrl(ctx, target, {
      response_type: "ephemeral",
      replace_original: false,
      ...message,
    });
    return;
  }
  try {
    await ctx.client.chat.postEphemeral({
      channel: target.channelId,
      user: target.userId,
      ...(threadTs ? { thread_ts: threadTs } : {}),
      ...message,
    });
  } catch (err) {
    // Not allowed to post ephemerally there (e.g. the bot is not in the channel): use the DM.
    if (target.kind === "dm") throw err;
    await direct(ctx, target.userId, message);
  }
}

async function direct(ctx: DeliverContext, userId: string, message: SlackMessage): Promise<void> {
  const opened = await ctx.client.conversations.open({ users: userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error("conversations.open returned no channel");
  await ctx.client.chat.postMessage({ channel, ...message });
}

/** Posts one message where `target` says, publicly or only to the user. */
export async function sendMessage(
  ctx: DeliverContext,
  target: Target,
  message: SlackMessage,
  visible: "public" | "private",
): Promise<void> {
  if (target.kind === "dm") {
    await ctx.client.chat.postMessage({ channel: target.channelId, ...message });
  } else if (target.kind === "respond") {
    await ephemeral(ctx, target, message);
  } else if (visible === "public") {
    await ctx.client.chat.postMessage({
      channel: target.channelId,
      thread_ts: target.threadTs,
      ...message,
    });
  } else {
    await ephemeral(ctx, target, message, target.threadTs);
  }
}

/** True when the engine let a reply be shown to everyone in a shared channel. */
export function isPublic(reply: Reply): boolean {
  return reply.visibility === "public";
}

/**
 * Renders and sends every reply in order. `renderOptions` may add per-reply extras (the
 * "Share in channel" button).
 */
export async function deliver(
  ctx: DeliverContext,
  target: Target,
  replies: Reply[],
  renderOptions: (reply: Reply) => RenderOptions = () => ({}),
): Promise<void> {
  let anyPublic = false;
  let anyPrivate = false;
  for (const reply of replies) {
    const visible = isPublic(reply) ? "public" : "private";
    if (visible === "public") anyPublic = true;
    else anyPrivate = true;
    for (const message of renderReply(reply, renderOptions(reply))) {
      await sendMessage(ctx, target, message, visible);
    }
  }
  if (target.kind === "thread" && target.generic && anyPrivate && !anyPublic) {
    await sendMessage(ctx, target, renderNotice(PRIVATE_NOTE), "public");
  }
}

/** Tells the user, privately, that something failed (the engine's apology). Never throws. */
export async function apologise(
  ctx: DeliverContext,
  target: Target,
  apology: Reply,
): Promise<void> {
  try {
    for (const message of renderReply(apology)) {
      await sendMessage(ctx, target, message, "private");
    }
  } catch {
    // Nothing more we can do; the failure is already logged by the caller.
  }
}
