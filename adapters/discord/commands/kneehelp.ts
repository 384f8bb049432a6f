import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { Command } from "../types.ts";

/** `/kneehelp`: what the bot can do (engine "help"). */
export const kneehelp = {
  data: new SlashCommandBuilder()
    .setName("kneehelp")
    .setDescription("What kneebot can do and how to use it")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
  private: true,
  toTurn: () => ({ command: "help" }),
} satisfies Command;
