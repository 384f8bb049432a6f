/**
 * Slash commands and component clicks. Every interaction is acknowledged within Discord's
 * 3-second window: clicks are acknowledged at once (the message is updated), commands are
 * deferred when the engine is slower than `deferAfterMs`.
 */

import type {
  ChatInputCommandInteraction,
  Interaction,
  MessageComponentInteraction,
  MessageContextMenuCommandInteraction,
  RepliableInteraction,
  UserContextMenuCommandInteraction,
} from "discord.js";
import { ComponentType, MessageFlags } from "discord.js";
import type { Engine } from "../../src/index.ts";
import { type AdminStats, handleAdminCommand, kneeAdmin } from "./commands/admin.ts";
import { findCommand } from "./commands/index.ts";
import {
  answerContextMenu,
  postInThread,
  postInThreadTarget,
  type SharedAnswers,
} from "./context-menu.ts";
import { choiceTurn, commandTurn } from "./parse.ts";
import { partsOf, sendLinked } from "./parts.ts";
import {
  answeredContent,
  CONTINUE_IN_DM_ID,
  renderReplies,
  TEXT,
  withoutAdapterRows,
} from "./render.ts";
import {
  askEngine,
  errorInfo,
  isDmClosed,
  type LogIds,
  payload,
  replyPayload,
  sendDm,
  withDeferral,
} from "./send.ts";
import type { ComponentRow, Logger, OutgoingMessage } from "./types.ts";

/** What the interaction handler needs. */
export interface InteractionDeps {
  engine: Engine;
  logger: Logger;
  deferAfterMs: number;
  /** The organiser's summary for `/knee-admin stats` (none: the command says it is unavailable). */
  adminStats?: AdminStats;
  /** "Ask kneebot" answers kept for their "Post in thread" button. */
  shared: SharedAnswers;
}

/** Handles one interaction; never throws (errors are logged, the user gets an apology). */
export async function handleInteraction(i: Interaction, deps: InteractionDeps): Promise<void> {
  if (!i.isRepliable()) return;
  const ids: LogIds = { interactionId: i.id, guildId: i.guildId, channelId: i.channelId };
  try {
    if (i.isChatInputCommand()) await onCommand(i, deps, ids);
    else if (i.isMessageContextMenuCommand() || i.isUserContextMenuCommand())
      await onContextMenu(i, deps, ids);
    else if (i.isButton() || i.isStringSelectMenu()) await onComponent(i, deps, ids);
  } catch (err) {
    deps.logger.error({ err: errorInfo(err), ...ids }, "discord interaction failed");
    await apologise(i, deps.engine).catch((e: unknown) =>
      deps.logger.warn({ err: errorInfo(e), ...ids }, "could not send the apology"),
    );
  }
}

async function apologise(i: RepliableInteraction, engine: Engine): Promise<void> {
  const body = replyPayload({ content: engine.apology().text, components: [] }, true);
  if (i.deferred || i.replied) await i.followUp(body);
  else await i.reply(body);
}

async function onCommand(
  i: ChatInputCommandInteraction,
  deps: InteractionDeps,
  ids: LogIds,
): Promise<void> {
  if (i.commandName === kneeAdmin.data.name) return handleAdminCommand(i, deps.adminStats);
  const command = findCommand(i.commandName);
  if (!command) {
    await i.reply(replyPayload({ content: deps.engine.apology().text, components: [] }, true));
    deps.logger.warn({ ...ids, command: i.commandName }, "unknown slash command");
    return;
  }
  const inGuild = i.guildId !== null;
  const replies = await withDeferral(
    askEngine(deps.engine, commandTurn(i, command), deps.logger, ids),
    deps.deferAfterMs,
    () => i.deferReply(inGuild && command.private ? { flags: MessageFlags.Ephemeral } : {}),
  );
  await respond(
    i,
    renderReplies(replies, inGuild ? "guild" : "dm", { allPrivate: command.private }),
  );
}

/** Apps → "Ask kneebot" or "Check in on my knee" (context-menu.ts). */
async function onContextMenu(
  i: MessageContextMenuCommandInteraction | UserContextMenuCommandInteraction,
  deps: InteractionDeps,
  ids: LogIds,
): Promise<void> {
  const messages = await answerContextMenu(i, deps, ids);
  if (messages) return respond(i, messages);
  await i.reply(replyPayload({ content: deps.engine.apology().text, components: [] }, true));
  deps.logger.warn({ ...ids, command: i.commandName }, "unknown context-menu command");
}

/** Sends rendered messages as the interaction's response and follow-ups, in order. */
export async function respond(i: RepliableInteraction, messages: OutgoingMessage[]): Promise<void> {
  let originalDone = !i.deferred;
  await sendLinked(messages, async (m) => {
    if (!i.deferred && !i.replied) {
      const sent = await i.reply({ ...replyPayload(m, m.private), withResponse: true });
      return sent.resource?.message?.id;
    }
    if (!originalDone) {
      originalDone = true;
      if (m.private && !i.ephemeral) {
        // Deferred in public but the answer is private: keep the public part generic.
        await i.editReply(payload({ content: TEXT.answeredPrivately, components: [] }));
        return (await i.followUp(replyPayload(m, true))).id;
      }
      return (await i.editReply(payload(m))).id;
    }
    return (await i.followUp(replyPayload(m, m.private))).id;
  });
  if (!originalDone) await i.deleteReply();
  else if (!i.replied) await i.reply(replyPayload({ content: TEXT.done, components: [] }, true));
}

async function onComponent(
  i: MessageComponentInteraction,
  deps: InteractionDeps,
  ids: LogIds,
): Promise<void> {
  if (i.customId === CONTINUE_IN_DM_ID) return continueInDm(i, deps);
  const parts = partsOf(i.customId);
  if (parts) return sendPrivately(i, deps, parts);
  const target = postInThreadTarget(i.customId);
  if (target) return postInThread(i, target, deps, ids);
  const turn = choiceTurn(i);
  if (!turn) {
    deps.logger.warn({ ...ids }, "malformed component id");
    await i.reply(replyPayload({ content: deps.engine.apology().text, components: [] }, true));
    return;
  }
  const inGuild = i.guildId !== null;
  const shared = inGuild && !i.message.flags.has(MessageFlags.Ephemeral);
  // Acknowledge at once, whatever the engine does. A question only this user sees (a DM or an
  // ephemeral message) shows the answer chosen and loses its controls; a shared message keeps
  // them for others.
  if (shared) await i.deferUpdate();
  else
    await i.update(
      payload({ content: answeredContent(i.message.content, labelsOf(i)), components: [] }),
    );
  const replies = await askEngine(deps.engine, turn, deps.logger, ids);
  // Whoever clicked asked for themselves: in a server, the answers are for them only.
  for (const m of renderReplies(replies, inGuild ? "guild" : "dm", { allPrivate: true })) {
    await i.followUp(replyPayload(m, m.private));
  }
}

/** The labels of the options picked, read from the clicked message's components. */
function labelsOf(i: MessageComponentInteraction): string[] {
  const c = i.component as MessageComponentInteraction["component"] | undefined;
  if (!c) return [];
  if (c.type === ComponentType.Button) return ["label" in c && c.label ? c.label : ""];
  if (c.type === ComponentType.StringSelect && i.isStringSelectMenu()) {
    return i.values.map((v) => c.options.find((o) => o.value === v)?.label ?? v);
  }
  return [];
}

/** "Continue in DMs": copy the question (and its choices) into the user's DMs. */
async function continueInDm(i: MessageComponentInteraction, deps: InteractionDeps): Promise<void> {
  const rows = i.message.components
    .map((row) => row.toJSON())
    .filter((row): row is ComponentRow => row.type === ComponentType.ActionRow);
  const copy = { content: i.message.content, components: withoutAdapterRows(rows) };
  const sent = await dmOrHint(i, deps, Promise.resolve([copy]), () => i.deferUpdate());
  if (!sent) return;
  const moved = payload({ content: TEXT.movedToDm, components: [] });
  if (i.deferred) await i.editReply(moved);
  else await i.update(moved);
}

/**
 * "Send me this privately": DM the public answer to the user who clicked, all of it when it was
 * split (the button names the earlier parts; one deleted since is left out).
 */
async function sendPrivately(
  i: MessageComponentInteraction,
  deps: InteractionDeps,
  earlier: readonly string[],
): Promise<void> {
  const sent = await dmOrHint(i, deps, wholeAnswer(i, earlier), () =>
    i.deferReply({ flags: MessageFlags.Ephemeral }),
  );
  if (!sent) return;
  const done = { content: TEXT.sentPrivately, components: [] };
  if (i.deferred) await i.editReply(payload(done));
  else await i.reply(replyPayload(done, true));
}

/** The texts of a split answer: the earlier parts fetched from the channel, then the clicked one. */
async function wholeAnswer(
  i: MessageComponentInteraction,
  earlier: readonly string[],
): Promise<Pick<OutgoingMessage, "content" | "components">[]> {
  const channel = i.channel ?? (await i.client.channels.fetch(i.channelId).catch(() => null));
  const texts: string[] = [];
  for (const id of earlier) {
    if (!channel?.isTextBased()) break;
    const part = await channel.messages.fetch(id).catch(() => undefined);
    if (part?.author.id === i.client.user.id) texts.push(part.content);
  }
  return [...texts, i.message.content].map((content) => ({ content, components: [] }));
}

/** DMs the user; on closed DMs (50007) shows an ephemeral hint and returns false. */
async function dmOrHint(
  i: MessageComponentInteraction,
  deps: InteractionDeps,
  messages: Promise<Pick<OutgoingMessage, "content" | "components">[]>,
  defer: () => Promise<unknown>,
): Promise<boolean> {
  try {
    const sending = messages.then((m) => sendDm(i.user, m));
    await withDeferral(sending, deps.deferAfterMs, defer);
    return true;
  } catch (err) {
    if (!isDmClosed(err)) throw err;
    deps.logger.info({ interactionId: i.id, guildId: i.guildId }, "user's DMs are closed");
    const hint = replyPayload({ content: TEXT.dmClosed, components: [] }, true);
    if (i.deferred || i.replied) await i.followUp(hint);
    else await i.reply(hint);
    return false;
  }
}
