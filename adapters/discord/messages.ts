/**
 * Typed messages: DMs (the whole conversation) and guild messages that mention the bot.
 * Discord has no ephemeral message outside an interaction, so a private reply to a mention
 * goes by DM and the public reply stays generic.
 */
import type { Message } from "discord.js";
import type { Engine } from "../../src/engine-api.ts";
import { messageTurn } from "./parse.ts";
import { renderReplies, TEXT } from "./render.ts";
import { askEngine, errorInfo, isDmClosed, type LogIds, payload, sendDm } from "./send.ts";
import type { Logger, OutgoingMessage } from "./types.ts";

/** What the message handler needs. */
export interface MessageDeps {
  engine: Engine;
  logger: Logger;
  botId: string;
}

/** Handles one inbound message; never throws. */
export async function handleMessage(message: Message, deps: MessageDeps): Promise<void> {
  const ids: LogIds = {
    messageId: message.id,
    guildId: message.guildId,
    channelId: message.channelId,
  };
  try {
    const turn = messageTurn(message, deps.botId);
    if (!turn) return;
    const replies = await askEngine(deps.engine, turn, deps.logger, ids);
    if (message.guildId === null) {
      for (const m of renderReplies(replies, "dm")) await sendInChannel(message, m);
      return;
    }
    const rendered = renderReplies(replies, "guild", { offerDm: false });
    const personal = rendered.filter((m) => m.private);
    const shared = rendered.filter((m) => !m.private);
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
    let first = true;
    for (const m of shared) {
      if (first) await message.reply(payload(m));
      else await sendInChannel(message, m);
      first = false;
    }
  } catch (err) {
    deps.logger.error({ err: errorInfo(err), ...ids }, "discord message failed");
  }
}

async function sendInChannel(message: Message, m: OutgoingMessage): Promise<void> {
  const channel = message.channel;
  if (channel.isSendable()) await channel.send(payload(m));
}
