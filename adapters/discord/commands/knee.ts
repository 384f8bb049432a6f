import { InteractionContextType, SlashCommandBuilder } from "discord.js";
import type { Command } from "../types.ts";

/** `/knee`: start a private, step-by-step check of the user's knee pain (engine "triage"). */
export const knee = {
  data: new SlashCommandBuilder()
    .setName("knee")
    .setDescription("Check your knee pain step by step (only you will see it)")
    .setContexts(InteractionContextType.Guild, InteractionContextType.BotDM)
    .toJSON(),
  private: true,
  toTurn: () => ({ command: "triage" }),
} satisfies Command;
