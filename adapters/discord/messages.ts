/**
 * Typed messages: DMs (the whole conversation), guild messages that mention the bot, and the
 * messages of help channels (help-channel.ts). Discord has no ephemeral message outside an
 * interaction, so a private reply to a mention goes by DM and the public reply stays generic.
 * Answers to mentions go in a thread on the mention where the channel allows it.
 */
import type { Message } from "discord.js";
import type { Engine } from "../../src/index.ts";
import { type HelpChannels, handleOverheard, inHelpChannel } from "./help-channel.ts";
import { messageTurn } from "./parse.ts";
import { renderReplies, TEXT } from "./render.ts";
import { askEngine, errorInfo, isDmClosed, type LogIds, sendDm, withDeferral } from "./send.ts";
import { answerInThread, type ChannelActivity, postAll, threadName } from "./threads.ts";
import type { Logger } from "./types.ts";

/** What the message handler needs. */
export interface MessageDeps {
  engine: Engine;
  logger: Logger;
  botId: string;
  /** Show "kneebot is typing…" in a DM when the engine takes longer than this (ms). */
  typingAfterMs: number;
  /**
   * Set when answers to mentions in busy channels go in a thread on the mention (where the
   * channel allows it): the channels' recent activity.
   */
  mentionThreads?: ChannelActivity;
  /** The help channels, when configured (they need the MessageContent intent). */
  help?: HelpChannels;
}

/** How long a DM may wait for its answer before the bot shows that it is typing. */
export const DEFAULT_TYPING_AFTER_MS = 1000;

/** Handles one inbound message; never throws. */
export async function handleMessage(message: Message, deps: MessageDeps): Promise<void> {
  const ids: LogIds = {
    messageId: message.id,
    guildId: message.guildId,
    channelId: message.channelId,
  };
  try {
    const turn = messageTurn(message, deps.botId);
    if (!turn) {
      const help = deps.help;
      if (help && message.guildId !== null && inHelpChannel(message, help)) {
        await handleOverheard(message, { ...deps, help }, ids);
      }
      return;
    }
    const channel = message.channel;
    if (message.guildId === null) {
      // Typing is shown without waiting for it: a slow typing call never holds the answer.
      const typing = async () => {
        if (!channel.isSendable()) return;
        void channel
          .sendTyping()
          .catch((err: unknown) =>
            deps.logger.warn({ ...ids, err: errorInfo(err) }, "could not show typing"),
          );
      };
      const replies = await withDeferral(
        askEngine(deps.engine, turn, deps.logger, ids),
        deps.typingAfterMs,
        typing,
      );
      if (channel.isSendable()) await postAll(channel, renderReplies(replies, "dm"));
      return;
    }
    const replies = await askEngine(deps.engine, turn, deps.logger, ids);
    const rendered = renderReplies(replies, "guild", { offerDm: false });
    const personal = rendered.filter((m) => m.private);
    const shared = rendered.filter((m) => !m.private);
    // A thread for an answer; a lone "I've sent you a DM" stays a plain reply.
    const thread = shared.length > 0 && deps.mentionThreads?.busy(message.channelId) === true;
    if (personal.length > 0) {
      let notice: string = TEXT.mentionPrivate;
      try {
        await sendDm(message.author, personal);
      } catch (err) {
        if (!isDmClosed(err)) throw err;
        deps.logger.info(ids, "user's DMs are closed");
        notice = TEXT.mentionDmClosed;
      }
      shared.unshift({ content: notice, components: [], private: false, hasChoices: false });
    }
    if (thread) {
      const name = threadName(turn.type === "text" ? turn.text : "");
      const threadId = await answerInThread(message, shared, name, deps.logger, ids);
      if (threadId) deps.help?.answered.set(threadId, true);
    } else if (channel.isSendable()) {
      await postAll(channel, shared, message.id);
    }
  } catch (err) {
    deps.logger.error({ err: errorInfo(err), ...ids }, "discord message failed");
  }
}
