/**
 * Answers in threads: a public thread on the message answered (started when needed), so a busy
 * channel keeps one line per question (help channels always, mentions when the channel is busy). Where a channel can't have threads (a DM, a voice
 * channel's chat, a forum) or Discord refuses (no Create Public Threads permission), the answer
 * is a reply in the channel instead.
 */
import {
  type Channel,
  ChannelType,
  DiscordAPIError,
  type Message,
  RESTJSONErrorCodes,
  type SendableChannels,
  ThreadAutoArchiveDuration,
  type ThreadChannel,
} from "discord.js";
import { LRUCache } from "lru-cache";
import { truncate } from "../../src/index.ts";
import { sendLinked } from "./parts.ts";
import { errorInfo, type LogIds, payload } from "./send.ts";
import type { Logger, OutgoingMessage } from "./types.ts";

/** A channel is busy when it has seen this many messages (the mention included)… */
export const BUSY_MESSAGES = 5;
/** …within this long. */
export const BUSY_WINDOW_MS = 5 * 60_000;
/** Channels whose recent messages are remembered (the least recently active are dropped). */
const CHANNELS_KEPT = 5000;

/**
 * Recent messages per channel, to tell a busy channel (where an answer in the channel would be
 * lost between other posts) from a quiet one. The bot hears every server message, without its
 * text, through the GuildMessages intent; only the times are kept.
 */
export class ChannelActivity {
  private readonly recent = new LRUCache<string, number[]>({ max: CHANNELS_KEPT });

  constructor(private readonly now: () => number = Date.now) {}

  /** Records a message posted in a channel. */
  seen(channelId: string): void {
    const times = this.recent.get(channelId) ?? [];
    times.push(this.now());
    this.recent.set(channelId, times.slice(-BUSY_MESSAGES));
  }

  /** True when the channel has seen {@link BUSY_MESSAGES} messages within the window. */
  busy(channelId: string): boolean {
    const times = this.recent.get(channelId) ?? [];
    const since = this.now() - BUSY_WINDOW_MS;
    return times.filter((t) => t >= since).length >= BUSY_MESSAGES;
  }
}

/** Longest thread name Discord accepts. */
export const MAX_THREAD_NAME_CHARS = 100;

/** A thread's name when the question gives none. */
export const DEFAULT_THREAD_NAME = "Answer from kneebot";

/** A thread's name: the question on one line, without mentions, or `fallback` when empty. */
export function threadName(question: string, fallback = DEFAULT_THREAD_NAME): string {
  const line = question
    .replace(/<(?:@[!&]?|#)\d+>/g, " ")
    .replace(/\s+/g, " ")
    .trim();
  return truncate(line || fallback, MAX_THREAD_NAME_CHARS);
}

/**
 * The thread to answer message `messageId` of `channel` in: the channel itself when it is a
 * thread, else a new public thread on the message (or the one the message already has).
 * Undefined where the channel can't have threads; throws what Discord answers otherwise.
 */
export async function threadFor(
  channel: Channel | null,
  messageId: string,
  name: string,
): Promise<ThreadChannel | undefined> {
  if (!channel || channel.isDMBased()) return undefined;
  if (channel.isThread()) return channel;
  if (channel.type !== ChannelType.GuildText && channel.type !== ChannelType.GuildAnnouncement) {
    return undefined;
  }
  try {
    return await channel.threads.create({
      name,
      startMessage: messageId,
      autoArchiveDuration: ThreadAutoArchiveDuration.OneDay,
    });
  } catch (err) {
    const taken =
      err instanceof DiscordAPIError &&
      err.code === RESTJSONErrorCodes.ThreadAlreadyCreatedForMessage;
    if (!taken) throw err;
    // A thread started on a message has the message's id.
    const existing = await channel.client.channels.fetch(messageId);
    return existing?.isThread() ? existing : undefined;
  }
}

/**
 * Posts `messages` in `channel`, in order, the first as a reply to message `replyTo` when given.
 * Returns the ids of the messages sent.
 */
export async function postAll(
  channel: SendableChannels,
  messages: readonly OutgoingMessage[],
  replyTo?: string,
): Promise<(string | undefined)[]> {
  let first = true;
  return sendLinked(messages, async (m) => {
    const reply =
      first && replyTo ? { reply: { messageReference: replyTo, failIfNotExists: false } } : {};
    first = false;
    return (await channel.send({ ...payload(m), ...reply })).id;
  });
}

/**
 * Answers `message` in a thread: the thread it was posted in (as a reply), or a new one on it.
 * Falls back to a reply in the channel where there can be no thread. Returns the thread's id
 * when the answer went in one.
 */
export async function answerInThread(
  message: Message,
  messages: readonly OutgoingMessage[],
  name: string,
  logger: Logger,
  ids: LogIds,
): Promise<string | undefined> {
  let thread: ThreadChannel | undefined;
  try {
    thread = await threadFor(message.channel, message.id, name);
  } catch (err) {
    logger.info(
      { ...ids, err: errorInfo(err) },
      "could not start a thread; replying in the channel",
    );
  }
  if (thread?.isSendable()) {
    // A new thread starts with the message itself; in an existing one, quote it.
    await postAll(thread, messages, thread.id === message.channelId ? message.id : undefined);
    return thread.id;
  }
  if (message.channel.isSendable()) await postAll(message.channel, messages, message.id);
  return undefined;
}
