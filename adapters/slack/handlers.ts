/**
 * Bolt listeners: the /knee command, mentions, DMs and clicks. Each acknowledges first (Bolt
 * acks events itself before listeners run), drops retries it has already seen, builds a Turn,
 * asks the engine and delivers the replies. Errors are logged with ids, never message text.
 */
import type { App, webApi } from "@slack/bolt";
import type { Engine, Reply, SharedState, Turn, TurnBase } from "../../src/index.ts";
import { answerAdmin, isAdminText, type SlackAdmin } from "./admin.ts";
import { firstDelivery } from "./dedupe.ts";
import {
  apologise,
  type DeliverContext,
  deliver,
  isPublic,
  postToResponseUrl,
  sendMessage,
  type Target,
} from "./deliver.ts";
import {
  type ParsedAction,
  PLATFORM,
  parseAction,
  parseSlashText,
  pick,
  pickString,
  placeOf,
  slackTextToPlain,
} from "./parse.ts";
import { type RenderOptions, renderChosen, renderNotice, renderReply } from "./render.ts";
import type { TimeZones } from "./time-zones.ts";
import type { Block, Logger } from "./types.ts";

/** Everything the listeners share. */
export interface HandlerDeps {
  engine: Engine;
  logger: Logger;
  botUserId: string;
  /** Where delivery ids are claimed, so Slack's retries are dropped in every process. */
  state: SharedState;
  zones: TimeZones;
  fetch: typeof fetch;
  /** The slash command name, "/knee" unless the manifest was changed. */
  command: string;
  /** Turns being answered right now (engine and delivery), so shutdown can let them finish. */
  inFlight?: Set<Promise<unknown>>;
  /** `/knee admin`: who may see the organiser's summary, and what builds it (admin.ts). */
  admin?: SlackAdmin;
}

/** Wording for the share flow. */
export const SHARED_NOTE = "Shared in the channel.";
export const CANNOT_SHARE = "Sorry, I can't share that answer.";

/** Ids logged with a turn (surface, event or trigger id, channel), never message text. */
export type Ids = Record<string, string | undefined>;

/** What an error was, for the log: its name, code and Slack API error, never its message. */
export function describe(err: unknown): Record<string, unknown> {
  if (!(err instanceof Error)) return { errType: typeof err };
  const code = (err as { code?: unknown }).code;
  const apiError = pickString(err, "data", "error");
  return { errName: err.name, errCode: typeof code === "string" ? code : undefined, apiError };
}

/** Asks the engine, delivers the replies (an apology if that fails), counted as in flight. */
export async function runTurn(
  deps: HandlerDeps,
  ctx: DeliverContext,
  target: Target,
  turn: Turn,
  ids: Ids,
  renderOptions?: (reply: Reply) => RenderOptions,
): Promise<void> {
  const work = answerTurn(deps, ctx, target, turn, ids, renderOptions);
  deps.inFlight?.add(work);
  try {
    await work;
  } finally {
    deps.inFlight?.delete(work);
  }
}

async function answerTurn(
  deps: HandlerDeps,
  ctx: DeliverContext,
  target: Target,
  turn: Turn,
  ids: Ids,
  renderOptions?: (reply: Reply) => RenderOptions,
): Promise<void> {
  try {
    const replies = await deps.engine.handle(turn);
    await deliver(ctx, target, replies, renderOptions);
    deps.logger.info({ platform: PLATFORM, ...ids, replies: replies.length }, "slack turn handled");
  } catch (err) {
    deps.logger.error({ platform: PLATFORM, ...ids, ...describe(err) }, "slack turn failed");
    await apologise(ctx, target, deps.engine.apology());
  }
}

/** The turn fields of a Slack user in a channel or DM (with their time zone when known). */
export async function base(
  deps: HandlerDeps,
  client: webApi.WebClient,
  userId: string,
  channelId: string | undefined,
): Promise<TurnBase> {
  const timeZone = await deps.zones.get(client, userId);
  return {
    platform: PLATFORM,
    userId,
    place: placeOf(channelId),
    ...(timeZone ? { timeZone } : {}),
  };
}

/** True when this delivery was already handled (a Slack retry): it is logged and dropped. */
export async function duplicate(deps: HandlerDeps, key: string, ids: Ids): Promise<boolean> {
  let first: boolean;
  try {
    first = await firstDelivery(deps.state, key);
  } catch (err) {
    // Better to answer a retry twice than to leave the runner unanswered.
    deps.logger.warn({ platform: PLATFORM, ...ids, ...describe(err) }, "slack retry check failed");
    return false;
  }
  if (first) return false;
  deps.logger.info({ platform: PLATFORM, ...ids }, "slack retry ignored (already handled)");
  return true;
}

/** Registers every listener on `app`. */
export function registerHandlers(app: App, deps: HandlerDeps): void {
  app.command(deps.command, async ({ ack, command, client }) => {
    await ack();
    const ids = { surface: "command", triggerId: command.trigger_id, channel: command.channel_id };
    if (await duplicate(deps, `command:${command.trigger_id}`, ids)) return;
    const ctx = { client, fetch: deps.fetch };
    const target: Target = {
      kind: "respond",
      responseUrl: command.response_url,
      channelId: command.channel_id,
      userId: command.user_id,
      uses: 0,
    };
    if (isAdminText(command.text ?? "")) {
      const work = answerAdmin(ctx, target, deps.admin, deps.logger, deps.engine.apology());
      deps.inFlight?.add(work);
      await work.finally(() => deps.inFlight?.delete(work));
      return;
    }
    const parsed = parseSlashText(slackTextToPlain(command.text ?? "", deps.botUserId));
    const turn: Turn = {
      ...(await base(deps, client, command.user_id, command.channel_id)),
      type: "command",
      ...parsed,
    };
    const share = (reply: Reply): RenderOptions =>
      parsed.command === "ask" && parsed.args && reply.kind === "answer" && isPublic(reply)
        ? { shareQuestion: parsed.args }
        : {};
    await runTurn(deps, ctx, target, turn, { ...ids, command: parsed.command }, share);
  });

  app.event("app_mention", async ({ event, body, client }) => {
    const ids = { surface: "mention", eventId: body.event_id, channel: event.channel };
    if (event.bot_id || event.subtype || !event.user) return;
    if (await duplicate(deps, `event:${body.event_id}`, ids)) return;
    const ctx = { client, fetch: deps.fetch };
    const userId = event.user;
    const target: Target =
      placeOf(event.channel).kind === "dm"
        ? { kind: "dm", channelId: event.channel, userId }
        : {
            kind: "thread",
            channelId: event.channel,
            threadTs: event.thread_ts ?? event.ts,
            userId,
            generic: true,
          };
    const text = slackTextToPlain(event.text, deps.botUserId);
    const turnBase = { ...(await base(deps, client, userId, event.channel)), mentioned: true };
    const turn: Turn = text
      ? { ...turnBase, type: "text", text }
      : { ...turnBase, type: "command", command: "start" };
    await runTurn(deps, ctx, target, turn, ids);
  });

  app.event("message", async ({ event, body, client }) => {
    if (pickString(event, "channel_type") !== "im") return;
    // Edits, joins, bot posts and the like carry a subtype or a bot_id: not a user talking.
    if (pick(event, "subtype") !== undefined || pick(event, "bot_id") !== undefined) return;
    const userId = pickString(event, "user");
    const channelId = pickString(event, "channel");
    if (!userId || !channelId || userId === deps.botUserId) return;
    const ids = { surface: "dm", eventId: body.event_id };
    if (await duplicate(deps, `event:${body.event_id}`, ids)) return;
    const text = slackTextToPlain(pickString(event, "text") ?? "", deps.botUserId);
    if (!text) return;
    const ctx = { client, fetch: deps.fetch };
    const target: Target = { kind: "dm", channelId, userId };
    const turn: Turn = { ...(await base(deps, client, userId, channelId)), type: "text", text };
    await runTurn(deps, ctx, target, turn, ids);
  });

  // Every click but those on the Home tab and "Reply in thread", which have listeners of their
  // own (home.ts, shortcut.ts): Bolt runs every listener that matches, and a click is acked once.
  app.action(/^(?!kneebot-home:|kneebot-thread$)/, async ({ ack, body, client }) => {
    await ack();
    if (body.type !== "block_actions") return;
    const actionTs = pickString(body, "actions", 0, "action_ts") ?? "";
    const channelId =
      pickString(body, "channel", "id") ?? pickString(body, "container", "channel_id");
    const ids = { surface: "action", triggerId: body.trigger_id, channel: channelId };
    const parsed = parseAction(body);
    if (parsed.type === "ignore") return;
    if (await duplicate(deps, `action:${body.trigger_id}:${actionTs}`, ids)) return;
    const userId = body.user.id;
    const responseUrl = pickString(body, "response_url");
    const messageTs =
      pickString(body, "message", "ts") ?? pickString(body, "container", "message_ts");
    const ephemeral = pick(body, "container", "is_ephemeral") === true;
    const ctx = { client, fetch: deps.fetch };
    let target: Target;
    if (ephemeral && responseUrl) {
      target = { kind: "respond", responseUrl, channelId: channelId ?? "", userId, uses: 0 };
    } else if (placeOf(channelId).kind === "dm") {
      target = { kind: "dm", channelId: channelId ?? "", userId };
    } else {
      const threadTs = pickString(body, "message", "thread_ts") ?? messageTs ?? "";
      target = { kind: "thread", channelId: channelId ?? "", threadTs, userId, generic: false };
    }
    const turnBase = await base(deps, client, userId, channelId);
    if (parsed.type === "share") {
      await share(
        deps,
        ctx,
        target,
        { ...turnBase, type: "command", command: "ask", args: parsed.question },
        ids,
      );
      return;
    }
    await markChosen(deps, ctx, target, body, messageTs, parsed, ids);
    const turn: Turn = { ...turnBase, type: "choice", setId: parsed.setId, values: parsed.values };
    await runTurn(deps, ctx, target, turn, ids);
  });
}

/**
 * Replaces the clicked message (ephemeral or in the DM): same text, no controls, and a line
 * saying what was picked. A public message in a channel is left alone: others may still
 * use its buttons, and what one person picked is theirs.
 */
async function markChosen(
  deps: HandlerDeps,
  ctx: DeliverContext,
  target: Target,
  body: unknown,
  messageTs: string | undefined,
  parsed: Extract<ParsedAction, { type: "choice" }>,
  ids: Ids,
): Promise<void> {
  const original = pick(body, "message", "blocks");
  const chosen = renderChosen(
    Array.isArray(original) ? (original as Block[]) : undefined,
    parsed.labels,
  );
  try {
    if (target.kind === "respond") {
      await postToResponseUrl(ctx, target, { replace_original: true, ...chosen });
    } else if (target.kind === "dm" && messageTs) {
      await ctx.client.chat.update({ channel: target.channelId, ts: messageTs, ...chosen });
    }
  } catch (err) {
    deps.logger.warn(
      { platform: PLATFORM, ...ids, ...describe(err) },
      "slack could not update the clicked message",
    );
  }
}

/**
 * Posts a private FAQ answer publicly: asks again and shares the answer replies only. True when
 * something was shared.
 */
export async function share(
  deps: HandlerDeps,
  ctx: DeliverContext,
  target: Target,
  turn: Turn,
  ids: Ids,
): Promise<boolean> {
  try {
    const replies = (await deps.engine.handle(turn)).filter(
      (r) => r.kind === "answer" && isPublic(r),
    );
    if (replies.length === 0) {
      await sendMessage(ctx, target, renderNotice(CANNOT_SHARE), "private");
      return false;
    }
    for (const message of replies.flatMap((r) => renderReply(r))) {
      if (target.kind === "respond") {
        await postToResponseUrl(ctx, target, {
          response_type: "in_channel",
          replace_original: false,
          ...message,
        });
      } else {
        await sendMessage(ctx, target, message, "public");
      }
    }
    if (target.kind === "respond") {
      await postToResponseUrl(ctx, target, {
        replace_original: true,
        ...renderNotice(SHARED_NOTE),
      });
    }
    deps.logger.info({ platform: PLATFORM, ...ids, shared: replies.length }, "slack answer shared");
    return true;
  } catch (err) {
    deps.logger.error({ platform: PLATFORM, ...ids, ...describe(err) }, "slack share failed");
    await apologise(ctx, target, deps.engine.apology());
    return false;
  }
}
