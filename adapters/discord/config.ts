/** Discord settings read from environment variables, validated with zod. */
import { z } from "zod";
import { KneebotError } from "../../src/index.ts";

/** The Discord part of {@link DiscordOptions} that comes from the environment. */
export interface DiscordEnvConfig {
  token: string;
  applicationId: string;
  apiUrl?: string;
  guildId?: string;
  /** Channels where the bot reads messages without a mention (DISCORD_HELP_CHANNELS). */
  helpChannels?: string[];
  /** False when DISCORD_MENTION_THREADS=false: mentions are never answered in threads. */
  mentionThreads?: boolean;
}

const snowflake = (name: string, fix: string) =>
  z
    .string({ error: `${name} is required when DISCORD_TOKEN is set. ${fix}` })
    .trim()
    .regex(/^\d{15,22}$/, `${name} must be a numeric Discord id (snowflake). ${fix}`);

const schema = z.object({
  DISCORD_TOKEN: z.string().trim().min(1, "DISCORD_TOKEN is empty."),
  DISCORD_APPLICATION_ID: snowflake(
    "DISCORD_APPLICATION_ID",
    "Copy the Application ID from the Developer Portal (your app → General Information).",
  ),
  DISCORD_API_URL: z
    .url({ error: "DISCORD_API_URL must be a URL such as https://discord.com/api (or unset it)." })
    .optional(),
  DISCORD_GUILD_ID: snowflake(
    "DISCORD_GUILD_ID",
    "Right-click your server with Developer Mode on → Copy Server ID, or unset it.",
  ).optional(),
  DISCORD_HELP_CHANNELS: z
    .string()
    .transform((v) =>
      v
        .split(",")
        .map((id) => id.trim())
        .filter(Boolean),
    )
    .pipe(
      z.array(
        z
          .string()
          .regex(
            /^\d{15,22}$/,
            "DISCORD_HELP_CHANNELS must be channel ids, comma separated (Developer Mode on → right-click the channel → Copy Channel ID).",
          ),
      ),
    )
    .optional(),
  DISCORD_MENTION_THREADS: z
    .enum(["true", "false"], {
      error: "DISCORD_MENTION_THREADS must be true or false (or unset: true).",
    })
    .optional(),
});

/**
 * Reads DISCORD_TOKEN, DISCORD_APPLICATION_ID, DISCORD_API_URL, DISCORD_GUILD_ID,
 * DISCORD_HELP_CHANNELS and DISCORD_MENTION_THREADS.
 * Returns undefined when DISCORD_TOKEN is unset (Discord disabled); throws a KneebotError
 * "config" naming the variable and the fix when something is wrong.
 */
export function discordConfigFromEnv(
  env: Record<string, string | undefined>,
): DiscordEnvConfig | undefined {
  const present = Object.fromEntries(
    Object.entries(env).filter(([k, v]) => k.startsWith("DISCORD_") && v !== undefined && v !== ""),
  );
  if (present.DISCORD_TOKEN === undefined) return undefined;
  const parsed = schema.safeParse(present);
  if (!parsed.success) {
    const message = parsed.error.issues.map((i) => i.message).join(" ");
    throw new KneebotError("config", `Discord configuration: ${message}`, { cause: parsed.error });
  }
  const d = parsed.data;
  return {
    token: d.DISCORD_TOKEN,
    applicationId: d.DISCORD_APPLICATION_ID,
    ...(d.DISCORD_API_URL ? { apiUrl: d.DISCORD_API_URL } : {}),
    ...(d.DISCORD_GUILD_ID ? { guildId: d.DISCORD_GUILD_ID } : {}),
    ...(d.DISCORD_HELP_CHANNELS?.length ? { helpChannels: d.DISCORD_HELP_CHANNELS } : {}),
    ...(d.DISCORD_MENTION_THREADS === "false" ? { mentionThreads: false } : {}),
  };
}
