import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { Command } from "../types.ts";

/** Longest question accepted: plenty for a question, short enough to never flood a channel. */
export const MAX_QUESTION_CHARS = 500;

/** `/ask question:`: a general knee question answered from the FAQ (engine "ask"). */
export const ask = {
  data: new SlashCommandBuilder()
    .setName("ask")
    .setDescription("Ask a general question about knee pain and running")
    .addStringOption((o) =>
      o
        .setName("question")
        .setDescription("Your question, e.g. why does my knee click?")
        .setRequired(true)
        .setMaxLength(MAX_QUESTION_CHARS),
    )
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
  private: false,
  toTurn: (interaction) => ({
    command: "ask",
    args: interaction.options.getString("question", true),
  }),
} satisfies Command;
