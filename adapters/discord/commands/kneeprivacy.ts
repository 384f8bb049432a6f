import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { Command } from "../types.ts";

/** `/kneeprivacy`: what kneebot stores and for how long (engine "privacy"). */
export const kneeprivacy = {
  data: new SlashCommandBuilder()
    .setName("kneeprivacy")
    .setDescription("What kneebot keeps about you, and for how long")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
  private: true,
  toTurn: () => ({ command: "privacy" }),
} satisfies Command;
