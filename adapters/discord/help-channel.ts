/**
 * Help channels (DISCORD_HELP_CHANNELS): there the bot reads messages that don't mention it and
 * sends them to the engine as overheard turns, which answer only a confident question (or offer
 * a private check) and otherwise stay silent. What only Discord knows is filtered here, before
 * the engine: bots, replies from one member to another, and follow-ups in a thread the bot has
 * answered already (unless they mention it, which makes them ordinary mentions).
 */
import { type Message, MessageType } from "discord.js";
import { LRUCache } from "lru-cache";
import type { Engine, Turn } from "../../src/index.ts";
import { PLATFORM } from "./parse.ts";
import { renderReplies } from "./render.ts";
import { askEngine, type LogIds } from "./send.ts";
import { answerInThread, threadName } from "./threads.ts";
import type { Logger } from "./types.ts";

/** Threads remembered as answered (older ones are forgotten; the bot's own are known anyway). */
export const ANSWERED_THREADS_KEPT = 10_000;

/** The help channels and the threads the bot has answered in. */
export interface HelpChannels {
  channels: ReadonlySet<string>;
  /** Ids of threads the bot posted an answer in (its own threads are recognised by owner). */
  answered: LRUCache<string, true>;
}

/** The help-channel state for these channel ids; undefined when there are none. */
export function createHelpChannels(ids: readonly string[] | undefined): HelpChannels | undefined {
  if (!ids || ids.length === 0) return undefined;
  return { channels: new Set(ids), answered: new LRUCache({ max: ANSWERED_THREADS_KEPT }) };
}

/** True when `message` was posted in a help channel or in a thread of one. */
export function inHelpChannel(message: Message, help: HelpChannels): boolean {
  if (help.channels.has(message.channelId)) return true;
  const channel = message.channel;
  return channel.isThread() && channel.parentId !== null && help.channels.has(channel.parentId);
}

/** Why an overheard message is left alone, or undefined when the engine should read it. */
export function leaveAlone(
  message: Message,
  botId: string,
  help: HelpChannels,
): string | undefined {
  if (message.author.bot || message.author.id === botId) return "bot";
  // Without the MessageContent intent every message arrives blank.
  if (message.content.trim().length === 0) return "empty";
  if (message.type === MessageType.Reply && message.mentions.repliedUser?.bot !== true) {
    return "reply-to-member";
  }
  const channel = message.channel;
  if (channel.isThread() && (channel.ownerId === botId || help.answered.has(channel.id))) {
    return "answered-thread";
  }
  return undefined;
}

/** What the help-channel handler needs. */
export interface OverheardDeps {
  engine: Engine;
  logger: Logger;
  botId: string;
  help: HelpChannels;
}

/**
 * Reads a help-channel message that doesn't mention the bot. Whatever the engine says goes in a
 * thread on the message; nothing private is ever sent for chatter (a failure stays silent too).
 */
export async function handleOverheard(
  message: Message,
  deps: OverheardDeps,
  ids: LogIds,
): Promise<void> {
  if (leaveAlone(message, deps.botId, deps.help)) return;
  const text = message.content.trim();
  const turn: Turn = {
    platform: PLATFORM,
    userId: message.author.id,
    place: { kind: "channel", id: message.channelId },
    overheard: true,
    type: "text",
    text,
  };
  const replies = await askEngine(deps.engine, turn, deps.logger, ids);
  const shown = replies.filter((r) => r.visibility === "public");
  if (shown.length === 0) return;
  const messages = renderReplies(shown, "guild", { offerDm: false });
  const threadId = await answerInThread(message, messages, threadName(text), deps.logger, ids);
  if (threadId) deps.help.answered.set(threadId, true);
}
