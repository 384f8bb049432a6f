/** Discord events → engine turns. No I/O: each function only reads the event. */
import type { ChatInputCommandInteraction, Message, MessageComponentInteraction } from "discord.js";
import {
  decodeComponentId,
  MAX_COMPONENT_ID_CHARS,
  type Place,
  type Turn,
  type TurnBase,
} from "../../src/index.ts";
import type { Command } from "./types.ts";

/** The adapter's name in turns (part of the engine's session key). */
export const PLATFORM = "discord";

/** Where an interaction or message happened. */
export function placeOf(event: { guildId: string | null; channelId: string | null }): Place {
  return event.guildId && event.channelId
    ? { kind: "channel", id: event.channelId }
    : { kind: "dm" };
}

function base(userId: string, place: Place, mentioned?: boolean): TurnBase {
  return { platform: PLATFORM, userId, place, ...(mentioned ? { mentioned } : {}) };
}

/** A slash command invocation → a command turn. */
export function commandTurn(interaction: ChatInputCommandInteraction, command: Command): Turn {
  const { command: name, args } = command.toTurn(interaction);
  return {
    ...base(interaction.user.id, placeOf(interaction)),
    type: "command",
    command: name,
    ...(args !== undefined ? { args } : {}),
  };
}

/**
 * A click on a button or a pick in a select menu → a choice turn, or undefined when the id
 * fails the sanity check. Unknown and stale ids are forwarded: the engine answers "expired".
 */
export function choiceTurn(interaction: MessageComponentInteraction): Turn | undefined {
  const id = interaction.customId;
  if (id.length === 0 || id.length > MAX_COMPONENT_ID_CHARS || /\p{Cc}/u.test(id)) return undefined;
  let setId: string;
  let values: string[];
  if (interaction.isStringSelectMenu()) {
    setId = id;
    values = [...interaction.values];
  } else {
    const decoded = decodeComponentId(id);
    setId = decoded.setId;
    values = decoded.value !== undefined ? [decoded.value] : [];
  }
  if (setId.length === 0) return undefined;
  return { ...base(interaction.user.id, placeOf(interaction)), type: "choice", setId, values };
}

/**
 * Removes mentions of the bot (`<@id>`, `<@!id>`, and `<@&id>` of its roles in `roleIds`) and
 * tidies the whitespace left behind.
 */
export function stripMention(text: string, botId: string, roleIds: readonly string[] = []): string {
  const roles = roleIds.filter((id) => /^\d+$/.test(id)).map((id) => `|<@&${id}>`);
  return text
    .replace(new RegExp(`<@!?${botId}>${roles.join("")}`, "g"), " ")
    .replace(/[ \t]+/g, " ")
    .trim();
}

/**
 * The bot's own managed role(s) a message mentions: Discord's mention picker often offers the
 * bot's role (`<@&id>`) before the bot itself, and members mean the bot either way.
 */
export function botRolesMentioned(message: Message, botId: string): string[] {
  return [...message.mentions.roles.filter((r) => r.tags?.botId === botId).keys()];
}

/**
 * A message → a text turn when it is for the bot: any DM, or a guild message that mentions
 * the bot (or its managed role). A bare mention becomes the "start" command. Bots' messages are ignored.
 */
export function messageTurn(message: Message, botId: string): Turn | undefined {
  if (message.author.bot || message.author.id === botId) return undefined;
  if (message.guildId === null) {
    const text = message.content.trim();
    if (text.length === 0) return undefined;
    return { ...base(message.author.id, { kind: "dm" }), type: "text", text };
  }
  const roles = botRolesMentioned(message, botId);
  if (!message.mentions.users.has(botId) && roles.length === 0) return undefined;
  const place: Place = { kind: "channel", id: message.channelId };
  const text = stripMention(message.content, botId, roles);
  if (text.length === 0)
    return { ...base(message.author.id, place, true), type: "command", command: "start" };
  return { ...base(message.author.id, place, true), type: "text", text };
}
