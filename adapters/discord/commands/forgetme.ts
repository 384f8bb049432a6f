import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { Command } from "../types.ts";

/** `/forgetme`: delete everything kneebot keeps about the user (engine "forget"). */
export const forgetme = {
  data: new SlashCommandBuilder()
    .setName("forgetme")
    .setDescription("Delete everything kneebot keeps about you")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
  private: true,
  toTurn: () => ({ command: "forget" }),
} satisfies Command;
