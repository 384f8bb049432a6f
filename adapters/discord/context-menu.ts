/**
 * The context-menu commands. "Ask kneebot" (right-click a message → Apps) answers that message's
 * text for the member who ran it, only them seeing the answer; a general answer gets "Post in
 * thread", which shares it in a thread on the message. "Check in on my knee" (right-click a
 * member → Apps) shows the member who ran it their own follow-up check-ins, privately.
 */
import {
  ApplicationCommandType,
  ButtonStyle,
  ComponentType,
  ContextMenuCommandBuilder,
  type ContextMenuCommandInteraction,
  InteractionContextType,
  type MessageComponentInteraction,
  MessageFlags,
  type RESTPostAPIContextMenuApplicationCommandsJSONBody,
} from "discord.js";
import { LRUCache } from "lru-cache";
import type { Engine, Reply, Turn } from "../../src/index.ts";
import { PLATFORM, placeOf } from "./parse.ts";
import { MAX_ROWS, renderReplies } from "./render.ts";
import { askEngine, errorInfo, type LogIds, payload, replyPayload, withDeferral } from "./send.ts";
import { postAll, threadFor, threadName } from "./threads.ts";
import type { ComponentRow, Logger, OutgoingMessage } from "./types.ts";

/** A context-menu command: its registration body. */
export interface ContextMenu {
  data: RESTPostAPIContextMenuApplicationCommandsJSONBody;
}

/** Apps → "Ask kneebot" on a message (in servers and in the bot's DMs). */
export const askKneebot = {
  data: new ContextMenuCommandBuilder()
    .setName("Ask kneebot")
    .setType(ApplicationCommandType.Message)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
} satisfies ContextMenu;

/** Apps → "Check in on my knee" on a member: the follow-ups of whoever runs it. */
export const checkInOnMyKnee = {
  data: new ContextMenuCommandBuilder()
    .setName("Check in on my knee")
    .setType(ApplicationCommandType.User)
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
} satisfies ContextMenu;

/** Every context-menu command, in the order they are registered. */
export const contextMenus: readonly ContextMenu[] = [askKneebot, checkInOnMyKnee];

/** Adapter-owned button on an "Ask kneebot" answer: `kneebot:thread:<message id>`. */
export const POST_IN_THREAD_PREFIX = "kneebot:thread:";

/** The adapter's own wording for the context menus. */
export const MENU_TEXT = {
  postInThread: "Post in thread",
  noText: "That message has no text for me to answer.",
  posted: (where: string) => `I've posted the answer in ${where}.`,
  postedHere: "I've posted the answer as a reply to that message.",
} as const;

/** An answer shown privately, kept so that "Post in thread" can share it whole. */
interface SharedAnswer {
  question: string;
  replies: Reply[];
}

/**
 * "Ask kneebot" answers kept for "Post in thread", by member and message. An ephemeral answer
 * can't be read back later, so the click needs this copy; after a restart the click shares the
 * text of the message it is on (the whole answer unless it was split).
 */
export type SharedAnswers = LRUCache<string, SharedAnswer>;

/** Answers are kept for Discord's 15 minutes of interaction tokens, at most this many. */
const SHARED_KEPT = 1000;

/** A fresh store for {@link SharedAnswers}. */
export function createSharedAnswers(): SharedAnswers {
  return new LRUCache({ max: SHARED_KEPT, ttl: 15 * 60_000 });
}

/** What the context-menu handlers need. */
export interface ContextMenuDeps {
  engine: Engine;
  logger: Logger;
  deferAfterMs: number;
  shared: SharedAnswers;
}

/**
 * The messages that answer a context-menu command, for the caller to send as the interaction's
 * response (deferred, ephemerally, when the engine is slow). Undefined for an unknown command.
 */
export async function answerContextMenu(
  i: ContextMenuCommandInteraction,
  deps: ContextMenuDeps,
  ids: LogIds,
): Promise<OutgoingMessage[] | undefined> {
  const inGuild = i.guildId !== null;
  const base = { platform: PLATFORM, userId: i.user.id, place: placeOf(i) };
  let turn: Turn;
  if (i.isMessageContextMenuCommand() && i.commandName === askKneebot.data.name) {
    const text = i.targetMessage.content.trim();
    if (!text)
      return [{ content: MENU_TEXT.noText, components: [], private: true, hasChoices: false }];
    // Asked as a question ("ask"), never read as the invoker's answer to a check they have open.
    turn = { ...base, type: "command", command: "ask", args: text };
  } else if (i.isUserContextMenuCommand() && i.commandName === checkInOnMyKnee.data.name) {
    turn = { ...base, type: "command", command: "followups" };
  } else {
    return undefined;
  }
  const replies = await withDeferral(
    askEngine(deps.engine, turn, deps.logger, ids),
    deps.deferAfterMs,
    () => i.deferReply(inGuild ? { flags: MessageFlags.Ephemeral } : {}),
  );
  const messages = renderReplies(replies, inGuild ? "guild" : "dm", { allPrivate: true });
  const last = messages.at(-1);
  // Only a general answer may be shared; anything about someone's own knee never is.
  const shareable =
    inGuild &&
    replies.every((r) => r.visibility === "public") &&
    replies.some((r) => r.kind === "answer");
  if (
    last &&
    shareable &&
    turn.type === "command" &&
    turn.args &&
    i.isMessageContextMenuCommand()
  ) {
    const target = i.targetMessage.id;
    deps.shared.set(`${i.user.id}:${target}`, { question: turn.args, replies });
    const button = {
      type: ComponentType.Button as const,
      style: ButtonStyle.Secondary as const,
      custom_id: `${POST_IN_THREAD_PREFIX}${target}`,
      label: MENU_TEXT.postInThread,
    };
    if (last.components.length < MAX_ROWS) {
      last.components.push({ type: ComponentType.ActionRow, components: [button] });
    }
  }
  return messages;
}

/** The message a "Post in thread" button is for, or undefined when `customId` is not one. */
export function postInThreadTarget(customId: string): string | undefined {
  if (!customId.startsWith(POST_IN_THREAD_PREFIX)) return undefined;
  const id = customId.slice(POST_IN_THREAD_PREFIX.length);
  return /^\d{15,22}$/.test(id) ? id : undefined;
}

/**
 * "Post in thread": shares the answer in a thread on the message asked about (started if it has
 * none; in the thread itself when the message is in one), or as a reply to it where there can
 * be no thread. The private answer loses the button and says where the answer went.
 */
export async function postInThread(
  i: MessageComponentInteraction,
  target: string,
  deps: ContextMenuDeps,
  ids: LogIds,
): Promise<void> {
  await i.deferUpdate();
  const saved = deps.shared.get(`${i.user.id}:${target}`);
  const messages: OutgoingMessage[] = saved
    ? renderReplies(saved.replies, "guild", { offerDm: false })
    : [{ content: i.message.content, components: [], private: false, hasChoices: false }];
  const channel = i.channel ?? (await i.client.channels.fetch(i.channelId).catch(() => null));
  let where: string = MENU_TEXT.postedHere;
  const thread = await threadFor(channel, target, threadName(saved?.question ?? "")).catch(
    (err: unknown) => {
      deps.logger.info({ ...ids, err: errorInfo(err) }, "could not start a thread; replying");
      return undefined;
    },
  );
  if (thread?.isSendable()) {
    await postAll(thread, messages, thread.id === i.channelId ? target : undefined);
    where = MENU_TEXT.posted(`<#${thread.id}>`);
  } else if (channel?.isSendable()) {
    await postAll(channel, messages, target);
  }
  const rows = i.message.components
    .map((row) => row.toJSON())
    .filter((row): row is ComponentRow => row.type === ComponentType.ActionRow)
    .filter(
      (row) => !row.components.some((c) => "custom_id" in c && postInThreadTarget(c.custom_id)),
    );
  await i.editReply(payload({ content: i.message.content, components: rows }));
  await i.followUp(replyPayload({ content: where, components: [] }, true));
  deps.shared.delete(`${i.user.id}:${target}`);
}
