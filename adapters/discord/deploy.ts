/**
 * Registers the slash and context-menu commands with Discord: `npm run discord:deploy`. With
 * DISCORD_GUILD_ID set they go to that one server (instant, good for testing); otherwise globally.
 * `npm run discord:deploy -- --clear` removes them instead (from that server, or globally).
 */
import { pathToFileURL } from "node:url";
import { REST, Routes } from "discord.js";
import { parseCommandLine } from "../../bin/cli.ts";
import { kneeAdmin } from "./commands/admin.ts";
import { commands } from "./commands/index.ts";
import { discordConfigFromEnv } from "./config.ts";
import { contextMenus } from "./context-menu.ts";

/** Where the commands were registered and their names. */
export interface DeployResult {
  scope: "guild" | "global";
  /** The slash commands. */
  names: string[];
  /** The context-menu commands (Apps → …). */
  menus: string[];
}

/** Puts all commands (replacing the old set) for one guild, or globally. */
export async function deployCommands(options: {
  token: string;
  applicationId: string;
  guildId?: string;
  apiUrl?: string;
  /** Register no commands (removes the old set). */
  clear?: boolean;
}): Promise<DeployResult> {
  const rest = new REST(options.apiUrl ? { api: options.apiUrl } : {}).setToken(options.token);
  const route = options.guildId
    ? Routes.applicationGuildCommands(options.applicationId, options.guildId)
    : Routes.applicationCommands(options.applicationId);
  const list = options.clear ? [] : [...commands, kneeAdmin];
  const menus = options.clear ? [] : contextMenus;
  await rest.put(route, { body: [...list.map((c) => c.data), ...menus.map((c) => c.data)] });
  return {
    scope: options.guildId ? "guild" : "global",
    names: list.map((c) => c.data.name),
    menus: menus.map((c) => c.data.name),
  };
}

const USAGE = "npm run discord:deploy [-- --clear]";

async function main(): Promise<void> {
  const { values } = parseCommandLine("discord:deploy", USAGE, {
    options: { clear: { type: "boolean" } },
  });
  const config = discordConfigFromEnv(process.env);
  if (!config) {
    process.stderr.write(
      "DISCORD_TOKEN is not set. Set DISCORD_TOKEN and DISCORD_APPLICATION_ID (see adapters/discord/README.md).\n",
    );
    process.exitCode = 1;
    return;
  }
  const result = await deployCommands({ ...config, clear: values.clear === true });
  const where = result.scope === "guild" ? `server ${config.guildId}` : "all servers (global)";
  const what =
    result.names.length > 0 ? `Registered /${result.names.join(", /")}` : "Removed all commands";
  const apps = result.menus.length > 0 ? ` (and Apps → ${result.menus.join(", ")})` : "";
  process.stdout.write(`${what} for ${where}${apps}.\n`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err: unknown) => {
    process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}
