/**
 * Starting and stopping kneebot as a whole: the runtime, whichever platform adapters have
 * tokens (or the terminal chat), follow-up delivery, and a graceful shutdown.
 */
import { discordConfigFromEnv, startDiscord } from "../adapters/discord/index.ts";
import { slackConfigFromEnv, startSlack } from "../adapters/slack/index.ts";
import { createTerminalChat } from "../adapters/terminal/index.ts";
import { terminalLogSink } from "../adapters/terminal/log.ts";
import { loadConfig } from "../src/config.ts";
import { isKneebotError, KneebotError } from "../src/errors.ts";
import type { DirectSender } from "../src/followups/types.ts";
import { adminStatsSource } from "../src/insights/admin-stats.ts";
import { createRuntime, type Runtime } from "../src/runtime.ts";
import { checkReachable, describeStartFailure, type StartPlatform } from "./start-errors.ts";

/** A running adapter, as far as the app is concerned. */
interface RunningAdapter {
  platform: string;
  stop(): Promise<void>;
  sendDirect?: DirectSender;
}

/** A started app. `done` resolves when the terminal chat ends (never, for platform bots). */
export interface App {
  runtime: Runtime;
  mode: "terminal" | "platforms";
  done: Promise<void>;
  /** Stops taking turns, lets in-flight turns finish, then closes adapters and stores. */
  shutdown(): Promise<void>;
}

/** Streams and clock for the terminal chat; tests pass their own. */
export interface AppIo {
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Where the terminal shows warnings and errors, in words (default stderr). */
  screen?: NodeJS.WritableStream;
  /** IANA time zone of the terminal (default: the computer's). */
  timeZone?: string;
  now?: () => number;
}

/** Validates the environment and starts everything it asks for. Throws KneebotError. */
export async function startApp(
  env: Record<string, string | undefined>,
  io: AppIo = {},
): Promise<App> {
  const config = loadConfig(env);
  const discord = discordConfigFromEnv(env);
  // A Discord shard child (npm run discord:shards) serves only its shards; Slack runs elsewhere.
  const shardChild = env.SHARDS !== undefined;
  const slack = shardChild ? undefined : slackConfigFromEnv(env);
  const platforms = Boolean(discord || slack);
  // The terminal is a chat, not a log: JSON lines go to a file in the data folder, warnings
  // and errors to the screen in words, and one local person is never rate-limited.
  const runtime = await createRuntime(
    config,
    platforms
      ? { logTo: "stdout", ...(io.now ? { now: io.now } : {}) }
      : {
          logDestination: terminalLogSink(config.dataDir, io.screen ?? process.stderr),
          rateLimit: false,
          ...(io.now ? { now: io.now } : {}),
        },
  );
  const adapters: RunningAdapter[] = [];
  let closing: Promise<void> | undefined;
  const shutdown = () => {
    closing ??= (async () => {
      runtime.logger.info("shutting down: finishing in-flight turns");
      await runtime.engine.drain();
      // No new check-ins start; one being sent finishes (or comes back as a retry).
      await runtime.scheduler.stop();
      for (const a of adapters.reverse()) await a.stop().catch(() => undefined);
      await runtime.close();
    })();
    return closing;
  };

  if (!platforms) {
    const chat = createTerminalChat({
      engine: runtime.engine,
      ...(io.input ? { input: io.input } : {}),
      ...(io.output ? { output: io.output } : {}),
      ...(io.timeZone ? { timeZone: io.timeZone } : {}),
      keepsCheckIns: config.store.kind !== "memory",
    });
    runtime.startDelivery(chat.sendDirect);
    return { runtime, mode: "terminal", done: chat.run(), shutdown };
  }

  // The organiser's summary behind /knee-admin stats and /knee admin.
  const adminStats = adminStatsSource(runtime.insights, runtime.knowledge.lexicon);
  let starting: StartPlatform = "discord";
  try {
    if (discord) {
      const handle = await startDiscord({
        ...discord,
        engine: runtime.engine,
        logger: runtime.logger,
        adminStats,
      });
      adapters.push({ platform: "discord", ...handle });
      runtime.logger.info("discord adapter ready");
    }
    if (slack) {
      starting = "slack";
      await checkReachable("slack", slack.apiUrl);
      const handle = await startSlack({
        ...slack,
        engine: runtime.engine,
        logger: runtime.logger,
        state: runtime.shared,
        adminStats,
      });
      adapters.push({ platform: "slack", ...handle });
      runtime.logger.info("slack adapter ready");
    }
  } catch (err) {
    await shutdown();
    // Already in words (a bad token, a refused connection): as they are. Anything else from
    // the platform library (no network, a refused token): one line saying what to check.
    if (isKneebotError(err)) throw err;
    const apiUrl = starting === "discord" ? discord?.apiUrl : slack?.apiUrl;
    throw new KneebotError("platform", describeStartFailure(starting, err, apiUrl), {
      cause: err,
    });
  }
  const sender: DirectSender = async (platform, userId, replies) => {
    const adapter = adapters.find((a) => a.platform === platform);
    if (!adapter?.sendDirect) return { type: "undeliverable", reason: "no-adapter" };
    return adapter.sendDirect(platform, userId, replies);
  };
  runtime.startDelivery(sender);
  return { runtime, mode: "platforms", done: new Promise<void>(() => undefined), shutdown };
}
