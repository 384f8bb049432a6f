/**
 * The Discord adapter: logs a discord.js client in, turns slash commands, clicks, mentions and
 * DMs into engine turns, and renders the replies. Needs no privileged intent, unless help
 * channels are configured (MessageContent, to read messages that don't mention the bot).
 */
import { Client, Events, GatewayIntentBits, Partials } from "discord.js";
import { type DirectSender, drainTurns, silentLogger } from "../../src/index.ts";
import { createSharedAnswers } from "./context-menu.ts";
import { createDiscordSender } from "./direct.ts";
import { createHelpChannels } from "./help-channel.ts";
import { handleInteraction } from "./interactions.ts";
import { DEFAULT_TYPING_AFTER_MS, handleMessage } from "./messages.ts";
import { DEFAULT_DEFER_AFTER_MS, errorInfo } from "./send.ts";
import { ChannelActivity } from "./threads.ts";
import type { DiscordOptions } from "./types.ts";

export { commands } from "./commands/index.ts";
export { type DiscordEnvConfig, discordConfigFromEnv } from "./config.ts";
export {
  classifySendError,
  createDiscordSender,
  DIRECT_SEND_TIMEOUT_MS,
  type DiscordSenderOptions,
} from "./direct.ts";
export type { Command, DiscordOptions, Logger } from "./types.ts";

/**
 * Gateway intents: slash commands and clicks need none; Guilds lets discord.js cache the
 * channels, GuildMessages + DirectMessages deliver mentions and DMs. Messages that mention the
 * bot and DMs carry their content without the privileged MessageContent intent.
 */
export const INTENTS = [
  GatewayIntentBits.Guilds,
  GatewayIntentBits.GuildMessages,
  GatewayIntentBits.DirectMessages,
] as const;

/**
 * The intents to request: {@link INTENTS}, plus the privileged MessageContent only when help
 * channels are configured (reading messages that don't mention the bot is their whole point).
 */
export function intentsFor(options: Pick<DiscordOptions, "helpChannels">): GatewayIntentBits[] {
  const help = (options.helpChannels?.length ?? 0) > 0;
  return help ? [...INTENTS, GatewayIntentBits.MessageContent] : [...INTENTS];
}

/** How long stop() waits for replies still being sent (10 s, as on Slack). */
export const DEFAULT_DRAIN_MS = 10_000;

/** A running Discord adapter. */
export interface DiscordHandle {
  client: Client<true>;
  /**
   * Sends follow-up check-ins by DM: pass it to `runtime.startDelivery`. Answers other
   * platforms' calls with `undeliverable` ("wrong-platform"); never throws.
   */
  sendDirect: DirectSender;
  stop(): Promise<void>;
}

/** Starts the Discord adapter and resolves once the bot is logged in and ready. */
export async function startDiscord(options: DiscordOptions): Promise<DiscordHandle> {
  const logger = options.logger ?? silentLogger;
  const deferAfterMs = options.deferAfterMs ?? DEFAULT_DEFER_AFTER_MS;
  const client = new Client({
    intents: intentsFor(options),
    // Inbound DMs arrive in channels discord.js hasn't cached yet.
    partials: [Partials.Channel],
    allowedMentions: { parse: [] },
    ...(options.apiUrl ? { rest: { api: options.apiUrl } } : {}),
  });
  client.on(Events.Error, (err) => logger.error({ err: errorInfo(err) }, "discord client error"));
  client.on(Events.ShardDisconnect, (event, shardId) =>
    logger.warn({ code: event.code, shardId }, "discord gateway disconnected"),
  );
  // Turns being answered: on stop they may finish (up to drainMs) before the client goes.
  const inFlight = new Set<Promise<unknown>>();
  let stopping = false;
  const track = (work: Promise<unknown>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  const shared = createSharedAnswers();
  client.on(Events.InteractionCreate, (interaction) => {
    if (stopping) return;
    track(
      handleInteraction(interaction, {
        engine: options.engine,
        logger,
        deferAfterMs,
        shared,
        ...(options.adminStats ? { adminStats: options.adminStats } : {}),
      }),
    );
  });
  const help = createHelpChannels(options.helpChannels);
  const activity = options.mentionThreads === false ? undefined : new ChannelActivity();
  const typingAfterMs = options.typingAfterMs ?? DEFAULT_TYPING_AFTER_MS;
  client.on(Events.MessageCreate, (message) => {
    if (!client.user || stopping) return;
    if (message.author.id !== client.user.id) activity?.seen(message.channelId);
    track(
      handleMessage(message, {
        engine: options.engine,
        logger,
        botId: client.user.id,
        typingAfterMs,
        ...(activity ? { mentionThreads: activity } : {}),
        ...(help ? { help } : {}),
      }),
    );
  });

  const ready = new Promise<Client<true>>((resolve) => client.once(Events.ClientReady, resolve));
  try {
    await client.login(options.token);
  } catch (err) {
    await client.destroy();
    throw err;
  }
  const readyClient = client.isReady() ? client : await ready;
  if (readyClient.application.id !== options.applicationId) {
    logger.warn(
      { expected: options.applicationId, actual: readyClient.application.id },
      "DISCORD_APPLICATION_ID does not match the token's application",
    );
  }
  logger.info({ botId: readyClient.user.id }, "discord adapter ready");
  return {
    client: readyClient,
    sendDirect: createDiscordSender(
      readyClient,
      logger,
      options.sendTimeoutMs !== undefined ? { timeoutMs: options.sendTimeoutMs } : {},
    ),
    async stop() {
      stopping = true;
      const left = await drainTurns(inFlight, options.drainMs ?? DEFAULT_DRAIN_MS);
      if (left > 0)
        logger.warn(
          { platform: "discord", unfinished: left },
          "discord stopped with replies unsent",
        );
      await client.destroy();
    },
  };
}
