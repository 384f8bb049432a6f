/**
 * Slack settings from environment variables, validated with zod. Errors name the variable and
 * say how to fix it, because the person reading them is a club volunteer.
 */
import { z } from "zod";
import { KneebotError } from "../../src/index.ts";

/**
 * How Slack reaches the bot: Socket Mode (an outbound connection, no public URL: the default
 * for clubs) with an app token, or HTTP on a port with the signing secret to check requests.
 */
export type SlackTransport =
  | { kind: "socket"; appToken: string }
  | { kind: "http"; signingSecret: string; port: number };

/** Slack settings read from the environment (the engine and logger are added by the caller). */
export interface SlackEnvConfig {
  botToken: string;
  transport: SlackTransport;
  apiUrl?: string;
  /** Who may see `/knee admin` besides workspace admins and owners (SLACK_ADMIN_USER_IDS). */
  adminUserIds?: string[];
  /** Channels where the bot answers without a mention, in threads (SLACK_HELP_CHANNELS). */
  helpChannels?: string[];
}

/** Port for HTTP mode when SLACK_PORT is unset. */
export const DEFAULT_SLACK_PORT = 3000;

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A comma-separated list of Slack ids, each checked against `pattern`. */
const idList = (pattern: RegExp, message: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .transform((s) =>
        s
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      )
      .pipe(z.array(z.string().regex(pattern, message)))
      .optional(),
  );

const envSchema = z
  .object({
    SLACK_BOT_TOKEN: z
      .string()
      .trim()
      .startsWith(
        "xoxb-",
        "must be the Bot User OAuth Token starting with xoxb- (OAuth & Permissions page)",
      ),
    SLACK_APP_TOKEN: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .startsWith(
          "xapp-",
          "must be an App-Level Token starting with xapp- (Basic Information → App-Level Tokens, scope connections:write)",
        )
        .optional(),
    ),
    SLACK_SIGNING_SECRET: z.preprocess(
      blankToUndefined,
      z
        .string()
        .trim()
        .min(8, "looks too short: copy the Signing Secret from Basic Information → App Credentials")
        .optional(),
    ),
    SLACK_PORT: z.preprocess(
      blankToUndefined,
      z.coerce
        .number({ message: "must be a port number such as 3000" })
        .int("must be a whole port number such as 3000")
        .min(0, "must be between 0 and 65535")
        .max(65535, "must be between 0 and 65535")
        .optional(),
    ),
    SLACK_API_URL: z.preprocess(
      blankToUndefined,
      z.url({ message: "must be a full URL such as https://slack.com/api/" }).optional(),
    ),
    SLACK_ADMIN_USER_IDS: idList(
      /^[UW][A-Z0-9]{2,}$/,
      "must be Slack user ids such as U024BE7LH, comma separated (a member's profile → ⋮ → Copy member ID)",
    ),
    SLACK_HELP_CHANNELS: idList(
      /^[CG][A-Z0-9]{2,}$/,
      "must be Slack channel ids such as C024BE91L, comma separated (the channel's name → About → Channel ID)",
    ),
  })
  .refine((env) => env.SLACK_APP_TOKEN !== undefined || env.SLACK_SIGNING_SECRET !== undefined, {
    path: ["SLACK_APP_TOKEN"],
    message:
      "is missing: set SLACK_APP_TOKEN (xapp-…, Socket Mode, recommended) or SLACK_SIGNING_SECRET (HTTP mode)",
  });

/**
 * Reads SLACK_BOT_TOKEN, SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP mode, with
 * SLACK_PORT, default 3000) and SLACK_API_URL. Returns undefined when SLACK_BOT_TOKEN is unset
 * (Slack is off); throws a KneebotError "config" naming the variable when a value is wrong.
 * With both tokens set, Socket Mode wins.
 */
export function slackConfigFromEnv(
  env: Record<string, string | undefined>,
): SlackEnvConfig | undefined {
  if (!env.SLACK_BOT_TOKEN?.trim()) return undefined;
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${String(i.path[0] ?? "Slack")} ${i.message}`);
    throw new KneebotError("config", `Slack settings are not right:\n- ${lines.join("\n- ")}`, {
      cause: parsed.error,
    });
  }
  const e = parsed.data;
  const apiUrl =
    e.SLACK_API_URL && !e.SLACK_API_URL.endsWith("/") ? `${e.SLACK_API_URL}/` : e.SLACK_API_URL;
  const transport: SlackTransport = e.SLACK_APP_TOKEN
    ? { kind: "socket", appToken: e.SLACK_APP_TOKEN }
    : {
        kind: "http",
        // The schema's refine makes sure one of the two is set.
        signingSecret: e.SLACK_SIGNING_SECRET!,
        port: e.SLACK_PORT ?? DEFAULT_SLACK_PORT,
      };
  return {
    botToken: e.SLACK_BOT_TOKEN,
    transport,
    ...(apiUrl ? { apiUrl } : {}),
    ...(e.SLACK_ADMIN_USER_IDS?.length ? { adminUserIds: e.SLACK_ADMIN_USER_IDS } : {}),
    ...(e.SLACK_HELP_CHANNELS?.length ? { helpChannels: e.SLACK_HELP_CHANNELS } : {}),
  };
}
