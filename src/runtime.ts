import { randomBytes } from "node:crypto";
import { join } from "node:path";
import type Database from "better-sqlite3";
import { Redis } from "ioredis";
import pino, { type DestinationStream } from "pino";
import type { Config } from "./config.ts";
import type { FollowUpHooks } from "./engine/context.ts";
import { createEngine, type KneebotEngine } from "./engine.ts";
import { KneebotError } from "./errors.ts";
import { createBullmqScheduler } from "./followups/bullmq-scheduler.ts";
import { createFollowUps } from "./followups/conversation.ts";
import { withProcessLock } from "./followups/local-lock.ts";
import { createSqliteScheduler } from "./followups/sqlite-scheduler.ts";
import type { DirectSender, Scheduler } from "./followups/types.ts";
import { type Knowledge, loadKnowledge } from "./knowledge/load.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { type OpsServer, startOpsServer } from "./ops-server.ts";
import { createRateLimiter } from "./rate-limit.ts";
import {
  createMemorySharedState,
  createRedisSharedState,
  type SharedState,
} from "./shared-state.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "./store/memory.ts";
import { createRedisInsightStore, createRedisSessionStore, redisSalt } from "./store/redis.ts";
import {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
  sqliteSalt,
} from "./store/sqlite.ts";
import type { InsightStore, SessionStore } from "./store/types.ts";

/** Everything a running bot is made of, built from the validated config. */
export interface Runtime {
  config: Config;
  knowledge: Knowledge;
  engine: KneebotEngine;
  sessions: SessionStore;
  insights: InsightStore;
  logger: Logger;
  metrics: Metrics;
  /** Where DM check-ins are scheduled: SQLite (the same file) or BullMQ on Redis. */
  scheduler: Scheduler;
  /**
   * State every process of the bot shares (Redis) or this process keeps (memory): the rate
   * limit counts, and set-if-absent for the adapters (Slack's retry dedupe).
   */
  shared: SharedState;
  /**
   * Starts delivering due check-ins through an adapter's `sendDirect`. Call it once per process
   * that can send DMs (with Redis, every such process runs a worker; BullMQ shares the work).
   */
  startDelivery(sender: DirectSender): void;
  ops?: OpsServer;
  /** Closes everything in order: stop taking turns, finish in-flight ones, close stores. */
  close(): Promise<void>;
}

/** Options for building a runtime. */
export interface RuntimeOptions {
  /** Where JSON logs go: stdout by default, or stderr. */
  logTo?: "stdout" | "stderr";
  /** A destination of its own, instead of logTo (the terminal chat: a file, and the screen). */
  logDestination?: DestinationStream;
  /** False: no per-user rate limit (the terminal chat is one local person). Default true. */
  rateLimit?: boolean;
  /** Replaces the built-in follow-up hooks (tests). */
  followUps?: FollowUpHooks;
  now?: () => number;
  /** How often the SQLite scheduler looks for due check-ins (default 15 s). */
  followUpPollMs?: number;
  /** Prefix of every Redis key (default "kneebot:"); tests use a unique one. */
  redisPrefix?: string;
  /**
   * How long a check-in claimed by a process that died stays claimed before another process
   * takes it over (SQLite lease, BullMQ lock; defaults 2 min and 30 s). Crash tests shorten it.
   */
  followUpLeaseMs?: number;
}

/**
 * The safety net: an unhandled rejection (a library's request path that forgot a catch) is
 * logged with its code and the process keeps serving, instead of Node's default of exiting and
 * taking every platform and delivery down with it. One process-wide listener, installed while
 * at least one runtime is open; it logs through the most recent one.
 */
const netLoggers: Logger[] = [];
function onUnhandledRejection(reason: unknown): void {
  const err = reason instanceof Error ? reason : undefined;
  const code = (reason as { code?: unknown } | null)?.code;
  netLoggers.at(-1)?.error(
    {
      code: typeof code === "string" || typeof code === "number" ? code : undefined,
      errName: err?.name ?? typeof reason,
    },
    "unhandled rejection: logged, still serving",
  );
}
function holdSafetyNet(logger: Logger): () => void {
  if (netLoggers.length === 0) process.on("unhandledRejection", onUnhandledRejection);
  netLoggers.push(logger);
  return () => {
    const at = netLoggers.indexOf(logger);
    if (at >= 0) netLoggers.splice(at, 1);
    if (netLoggers.length === 0) process.off("unhandledRejection", onUnhandledRejection);
  };
}

/** File name of the SQLite database inside the data folder. */
export const DATABASE_FILE = "kneebot.db";
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Loads knowledge, opens the configured stores and builds the engine. Throws KneebotError. */
export async function createRuntime(
  config: Config,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  // The stores open first: without KNEEBOT_HASH_SALT, the log salt is this installation's own,
  // generated on first start and kept in the store.
  let db: Database.Database | undefined;
  let redis: Redis | undefined;
  if (config.store.kind === "sqlite") db = openDatabase(join(config.dataDir, DATABASE_FILE));
  if (config.store.kind === "redis") redis = await connectRedis(config.store.url);
  const salt = !config.hashSaltIsDefault
    ? config.hashSalt
    : db
      ? sqliteSalt(db)
      : redis
        ? await redisSalt(redis, options.redisPrefix)
        : randomBytes(24).toString("base64url");
  config = { ...config, hashSalt: salt };
  const logger = createLogger({
    level: config.logLevel,
    logContent: config.logContent,
    salt,
    destination: options.logDestination ?? pino.destination(options.logTo === "stderr" ? 2 : 1),
  });
  for (const w of config.warnings) logger.warn(w);
  if (config.hashSaltIsDefault)
    logger.info(
      "KNEEBOT_HASH_SALT is not set: hashing ids in logs with this installation's own random salt, kept in the store",
    );
  const knowledge = loadKnowledge(config.knowledgeDir);
  const metrics = createMetrics();
  const closers: Array<() => Promise<void> | void> = [];
  let sessions: SessionStore;
  let insights: InsightStore;
  let scheduler: Scheduler;
  let shared: SharedState = createMemorySharedState();
  const now = options.now ?? Date.now;
  const sqliteScheduler = (db: ReturnType<typeof openDatabase>) =>
    createSqliteScheduler(db, {
      now,
      logger,
      ...(options.followUpPollMs ? { pollMs: options.followUpPollMs } : {}),
      ...(options.followUpLeaseMs ? { leaseMs: options.followUpLeaseMs } : {}),
    });
  switch (config.store.kind) {
    case "memory": {
      sessions = createMemorySessionStore({ ttlMs: config.sessionTtlMs, logger });
      insights = createMemoryInsightStore();
      const db = openDatabase(":memory:");
      scheduler = sqliteScheduler(db);
      closers.push(() => {
        db.close();
      });
      break;
    }
    case "sqlite": {
      const file = db!;
      const store = createSqliteSessionStore(file, { ttlMs: config.sessionTtlMs, logger });
      // At start too: a bot restarted more often than hourly must not keep expired sessions.
      store.purgeExpired();
      const timer = setInterval(() => store.purgeExpired(), PURGE_EVERY_MS);
      timer.unref();
      sessions = store;
      insights = createSqliteInsightStore(file);
      scheduler = sqliteScheduler(file);
      closers.push(() => clearInterval(timer));
      closers.push(() => {
        file.close();
      });
      break;
    }
    case "redis": {
      const url = config.store.url;
      const client = redis!;
      const prefix = options.redisPrefix ? { prefix: options.redisPrefix } : {};
      sessions = createRedisSessionStore(client, { ttlMs: config.sessionTtlMs, logger, ...prefix });
      insights = createRedisInsightStore(client, prefix);
      shared = createRedisSharedState(client, prefix);
      scheduler = createBullmqScheduler({
        url,
        now,
        logger,
        ...prefix,
        ...(options.followUpLeaseMs ? { lockMs: options.followUpLeaseMs } : {}),
      });
      closers.push(async () => {
        await client.quit().catch(() => undefined);
      });
      break;
    }
  }
  // Check-in deliveries write the session from outside a turn: share the turns' lock.
  sessions = withProcessLock(sessions);
  const builtIn = options.followUps
    ? undefined
    : createFollowUps({ scheduler, knowledge, sessions, insights, now, logger, metrics });
  const followUps: FollowUpHooks = options.followUps ?? builtIn!;
  const engine = createEngine({
    knowledge,
    sessions,
    insights,
    logger,
    metrics,
    ...(options.rateLimit === false
      ? {}
      : { rateLimiter: createRateLimiter({ ...config.rateLimit, state: shared }) }),
    maxInputChars: config.maxInputChars,
    sessionTtlMs: config.sessionTtlMs,
    followUps,
    ...(options.now ? { now: options.now } : {}),
  });
  let ops: OpsServer | undefined;
  if (config.httpPort !== undefined) {
    ops = await startOpsServer({
      port: config.httpPort,
      host: config.httpHost,
      metrics,
      logger,
      health: async () => {
        await sessions.get("health:probe");
        return { ok: true, checks: { knowledge: true, sessions: true } };
      },
    });
    logger.info({ port: ops.port }, "ops server listening");
  }
  closers.push(holdSafetyNet(logger));
  return {
    config,
    knowledge,
    engine,
    sessions,
    insights,
    logger,
    metrics,
    scheduler,
    shared,
    startDelivery(sender) {
      if (!builtIn) {
        throw new KneebotError("internal", "startDelivery needs the built-in follow-up hooks.");
      }
      scheduler.start(builtIn.deliverWith(sender));
    },
    ...(ops ? { ops } : {}),
    async close() {
      await engine.drain();
      await scheduler.close();
      await ops?.close();
      await sessions.close();
      await insights.close();
      for (const c of closers.reverse()) await c();
    },
  };
}

/** Opens a Redis connection and checks it answers, so a wrong REDIS_URL fails at start. */
async function connectRedis(url: string): Promise<Redis> {
  const redis = new Redis(url, {
    lazyConnect: true,
    connectTimeout: 5000,
    maxRetriesPerRequest: 2,
  });
  redis.on("error", () => undefined); // reported through the commands that fail
  try {
    await redis.connect();
    await redis.ping();
    return redis;
  } catch (err) {
    redis.disconnect();
    const host = new URL(url).host;
    throw new KneebotError(
      "config",
      `Could not reach Redis at ${host} (REDIS_URL). Check that Redis runs and the URL is right, or set KNEEBOT_STORE=sqlite.`,
      { cause: err },
    );
  }
}
