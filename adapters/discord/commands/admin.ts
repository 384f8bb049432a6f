import {
  type ChatInputCommandInteraction,
  InteractionContextType,
  MessageFlags,
  PermissionFlagsBits,
  SlashCommandBuilder,
} from "discord.js";
import { renderReplies } from "../render.ts";
import { payload, replyPayload } from "../send.ts";

/** Builds the organiser's summary text (the app passes one built on its insight store). */
export type AdminStats = () => Promise<string>;

/** What the admin command says besides the summary. */
export const ADMIN_TEXT = {
  refused: "Only members who can manage this server can see kneebot's stats.",
  unavailable: "Stats are not available on this bot (it was started without an insight store).",
} as const;

/**
 * `/knee-admin stats`: the organiser's summary, ephemeral. Only members with Manage Server see
 * the command (Discord enforces `default_member_permissions`; a server's admins can widen it in
 * Integrations), and only in servers (`contexts`, which replaces the deprecated dm_permission).
 * Not an engine command: the adapter checks the permission and the app supplies the text.
 */
export const kneeAdmin = {
  data: new SlashCommandBuilder()
    .setName("knee-admin")
    .setDescription("For organisers: how kneebot is doing")
    .setDefaultMemberPermissions(PermissionFlagsBits.ManageGuild)
    .setContexts(InteractionContextType.Guild)
    .addSubcommand((s) =>
      s.setName("stats").setDescription("The last 7 days in numbers (only you will see it)"),
    )
    .toJSON(),
};

/**
 * Answers `/knee-admin …`. Discord hides the command from members without Manage Server, but
 * a server can override that: the permission is checked again here, and anyone else is refused.
 */
export async function handleAdminCommand(
  i: ChatInputCommandInteraction,
  stats: AdminStats | undefined,
): Promise<void> {
  const allowed = i.inGuild() && i.memberPermissions.has(PermissionFlagsBits.ManageGuild);
  if (!allowed || !stats) {
    const content = allowed ? ADMIN_TEXT.unavailable : ADMIN_TEXT.refused;
    await i.reply(replyPayload({ content, components: [] }, true));
    return;
  }
  // Gathering a week of records can take longer than Discord's 3-second window.
  await i.deferReply({ flags: MessageFlags.Ephemeral });
  const text = await stats();
  const [first, ...rest] = renderReplies([{ kind: "info", text, visibility: "private" }], "guild", {
    allPrivate: true,
    offerDm: false,
  });
  await i.editReply(payload(first ?? { content: text, components: [] }));
  for (const m of rest) await i.followUp(replyPayload(m, true));
}
