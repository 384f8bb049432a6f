/** Every slash command the bot registers, keyed by name. */
import type { Command } from "../types.ts";
import { ask } from "./ask.ts";
import { forgetme } from "./forgetme.ts";
import { knee } from "./knee.ts";
import { kneehelp } from "./kneehelp.ts";
import { kneeprivacy } from "./kneeprivacy.ts";

/** All commands, in the order they are registered. */
export const commands: readonly Command[] = [knee, ask, kneehelp, kneeprivacy, forgetme];

/** Finds a command by its slash name. */
export function findCommand(name: string): Command | undefined {
  return commands.find((c) => c.data.name === name);
}
