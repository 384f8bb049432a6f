/**
 * The Slack adapter: start/stop wiring around a Bolt App, on the transport the options name:
 * Socket Mode (no public URL needed: the default for clubs) or HTTP with a signing secret.
 */
import type { Server } from "node:http";
import { App, HTTPReceiver, SocketModeReceiver, webApi } from "@slack/bolt";
import {
  createMemorySharedState,
  type DirectSender,
  drainTurns,
  type Engine,
  KneebotError,
  type SharedState,
  silentLogger,
} from "../../src/index.ts";
import { guardBodies } from "./body-guard.ts";
import { toBoltLogger } from "./bolt-logger.ts";
import { type HandlerDeps, registerHandlers } from "./handlers.ts";
import { registerHelpChannels } from "./help-channel.ts";
import { registerHome } from "./home.ts";
import { createSlackDirectSender } from "./send-direct.ts";
import { registerAskShortcut } from "./shortcut.ts";
import { TimeZones } from "./time-zones.ts";
import type { Logger } from "./types.ts";

export { type SlackEnvConfig, type SlackTransport, slackConfigFromEnv } from "./config.ts";
export {
  createSlackDirectSender,
  deliveryResultOf,
  SEND_DIRECT_TIMEOUT_MS,
  type SlackDirectOptions,
  UNDELIVERABLE_ERRORS,
} from "./send-direct.ts";
export type { Logger } from "./types.ts";

/** Path Slack posts events, commands and clicks to in HTTP mode. */
export const EVENTS_PATH = "/slack/events";

/**
 * How Slack reaches the bot, with the options only that transport understands (as bolt-js
 * gives each receiver its own options).
 */
export type SlackTransportOptions =
  | {
      kind: "socket";
      /** App-Level Token (xapp-…, scope connections:write). */
      appToken: string;
      /** Reconnects after a drop (default true; tests turn it off). */
      autoReconnect?: boolean;
    }
  | {
      kind: "http";
      /** Signing Secret, to check that requests come from Slack. */
      signingSecret: string;
      /** Port to listen on (0 picks a free one). */
      port: number;
      /** Bind address (default: all interfaces; tests use 127.0.0.1). */
      host?: string;
    };

/** Options for startSlack. */
export interface SlackOptions {
  engine: Engine;
  /** Bot User OAuth Token (xoxb-…). */
  botToken: string;
  transport: SlackTransportOptions;
  /** Web API base URL (SLACK_API_URL), e.g. a local fake in tests. */
  apiUrl?: string;
  logger?: Logger;
  /**
   * Where delivery ids are remembered to drop Slack's retries: the runtime's shared state, so
   * processes on one Redis drop a retry that reaches another process (default: this process).
   */
  state?: SharedState;
  /** Web API retries (tests use 0; default: five retries within about five minutes). */
  webApiRetries?: number;
  /** Slash command name (default "/knee", as in manifest.yml). */
  command?: string;
  /** fetch used for response_url posts (default: global fetch). */
  fetch?: typeof fetch;
  /** On stop, how long replies still being posted may take to finish (default 10 s). */
  drainMs?: number;
  /** The organiser's summary behind `/knee admin` (see admin.ts). */
  adminStats?: () => Promise<string>;
  /** Who may see it besides workspace admins and owners (SLACK_ADMIN_USER_IDS). */
  adminUserIds?: readonly string[];
  /** Channels where the bot answers without a mention, in threads (SLACK_HELP_CHANNELS). */
  helpChannels?: readonly string[];
}

/** How long stop() waits for replies still being posted. */
export const DEFAULT_DRAIN_MS = 10_000;

/** A running Slack adapter. */
export interface SlackHandle {
  app: App;
  /** The HTTP port actually bound (HTTP mode only). */
  port?: number;
  /**
   * Sends follow-up check-ins by DM: pass it to `runtime.startDelivery`. Works in both modes
   * (the Web API only); never throws.
   */
  sendDirect: DirectSender;
  stop(): Promise<void>;
}

/**
 * Starts the Slack adapter: checks the bot token (auth.test), connects (Socket Mode) or
 * listens (HTTP mode), and routes /knee, mentions, DMs and clicks to the engine.
 */
export async function startSlack(options: SlackOptions): Promise<SlackHandle> {
  const logger = options.logger ?? silentLogger;
  const boltLogger = toBoltLogger(logger);
  // Tests set retries to 0; otherwise replies give up after about five minutes, not thirty.
  const connection: webApi.WebClientOptions = {
    logger: boltLogger,
    ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}),
    ...(options.webApiRetries !== undefined
      ? { retryConfig: { retries: options.webApiRetries } }
      : {}),
  };
  const clientOptions: webApi.WebClientOptions = {
    ...connection,
    retryConfig: connection.retryConfig ?? webApi.retryPolicies.fiveRetriesInFiveMinutes,
  };

  const auth = await new webApi.WebClient(options.botToken, { ...clientOptions }).auth
    .test()
    .catch((err: unknown) => {
      const refused = (err as { data?: { error?: unknown } }).data?.error;
      const reason =
        typeof refused === "string"
          ? `Slack refused SLACK_BOT_TOKEN (${refused}): copy the Bot User OAuth Token (xoxb-…) from OAuth & Permissions, and reinstall the app if you changed it`
          : `Could not reach Slack to check SLACK_BOT_TOKEN (${(err as { code?: string }).code ?? "no answer"}): check the internet connection${options.apiUrl ? " and SLACK_API_URL" : ""}`;
      throw new KneebotError("config", reason, { cause: err });
    });
  const identity = {
    botToken: options.botToken,
    botUserId: auth.user_id,
    botId: auth.bot_id,
    teamId: auth.team_id,
    enterpriseId: auth.enterprise_id || undefined,
  };

  const transport = options.transport;
  const receiver =
    transport.kind === "socket"
      ? {
          kind: "socket" as const,
          socket: new SocketModeReceiver({
            appToken: transport.appToken,
            logger: boltLogger,
            autoReconnectEnabled: transport.autoReconnect ?? true,
            // Without our retry policy: the socket client keeps retrying to reconnect on its own.
            // A copy, because it writes its policy into the object it gets.
            installerOptions: { clientOptions: { ...connection } },
          }),
        }
      : {
          kind: "http" as const,
          http: new HTTPReceiver({
            signingSecret: transport.signingSecret,
            endpoints: EVENTS_PATH,
            logger: boltLogger,
          }),
          listen: { port: transport.port, ...(transport.host ? { host: transport.host } : {}) },
        };

  const app = new App({
    receiver: receiver.kind === "socket" ? receiver.socket : receiver.http,
    logger: boltLogger,
    clientOptions,
    authorize: async () => identity,
  });
  app.error(async (err) => {
    logger.error(
      { platform: "slack", errName: err.name, errCode: err.code },
      "slack listener error",
    );
  });
  const sendOne = createSlackDirectSender({
    botToken: options.botToken,
    logger,
    ...(options.apiUrl ? { apiUrl: options.apiUrl } : {}),
  });
  const inFlight = new Set<Promise<unknown>>();
  // Replies Slack was already told are coming (the request was acknowledged) are posted
  // before the adapter stops, up to a deadline.
  const drain = async () => {
    const left = await drainTurns(inFlight, options.drainMs ?? DEFAULT_DRAIN_MS);
    if (left > 0)
      logger.warn({ platform: "slack", unfinished: left }, "slack stopped with replies unsent");
  };
  const deps: HandlerDeps = {
    inFlight,
    engine: options.engine,
    logger,
    botUserId: identity.botUserId ?? "",
    state: options.state ?? createMemorySharedState(),
    zones: new TimeZones(),
    fetch: options.fetch ?? globalThis.fetch,
    command: options.command ?? "/knee",
    admin: {
      userIds: options.adminUserIds ?? [],
      ...(options.adminStats ? { stats: options.adminStats } : {}),
    },
  };
  registerHandlers(app, deps);
  registerAskShortcut(app, deps);
  registerHelpChannels(app, deps, options.helpChannels ?? []);
  const refreshHome = registerHome(app, deps);
  // A delivered check-in leaves the user's scheduled check-ins: their Home tab follows.
  const sendDirect: DirectSender = async (platform, userId, replies, delivery) => {
    const result = await sendOne(platform, userId, replies, delivery);
    if (result.type === "sent" && refreshHome) void refreshHome(userId);
    return result;
  };

  if (receiver.kind === "socket") {
    await app.start().catch((err: unknown) => {
      const refused = (err as { data?: { error?: unknown } }).data?.error;
      throw new KneebotError(
        "config",
        `Could not open the Socket Mode connection (${typeof refused === "string" ? refused : "no answer"}): check SLACK_APP_TOKEN is an App-Level Token (xapp-…) with connections:write, and that Socket Mode is on in the app settings`,
        { cause: err },
      );
    });
    logger.info({ platform: "slack", mode: "socket" }, "slack adapter connected");
    const client = receiver.socket.client;
    return {
      app,
      sendDirect,
      stop: async () => {
        await drain();
        await client.disconnect();
      },
    };
  }
  const listen = receiver.listen;
  const server = (await app.start(listen)) as Server;
  // Malformed bodies get a 400 here: Bolt would crash the process on some (a JSON null).
  guardBodies(server, EVENTS_PATH, logger);
  const address = server.address();
  const port =
    typeof address === "object" && address !== null
      ? (address as { port: number }).port
      : listen.port;
  logger.info({ platform: "slack", mode: "http", port }, "slack adapter listening");
  return {
    app,
    port,
    sendDirect,
    stop: async () => {
      await drain();
      await app.stop();
    },
  };
}
