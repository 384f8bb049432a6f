import { join } from "node:path";
import pino from "pino";
import type { Config } from "./config.ts";
import type { FollowUpHooks } from "./engine/context.ts";
import { createEngine, type KneebotEngine } from "./engine.ts";
import { KneebotError } from "./errors.ts";
import { type Knowledge, loadKnowledge } from "./knowledge/load.ts";
import { createLogger, type Logger } from "./logger.ts";
import { createMetrics, type Metrics } from "./metrics.ts";
import { type OpsServer, startOpsServer } from "./ops-server.ts";
import { createRateLimiter } from "./rate-limit.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "./store/memory.ts";
import {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
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
  ops?: OpsServer;
  /** Closes everything in order: stop taking turns, finish in-flight ones, close stores. */
  close(): Promise<void>;
}

/** Options for building a runtime. */
export interface RuntimeOptions {
  /** Where JSON logs go: stdout by default; the terminal chat sends them to stderr. */
  logTo?: "stdout" | "stderr";
  followUps?: FollowUpHooks;
  now?: () => number;
}

/** File name of the SQLite database inside the data folder. */
export const DATABASE_FILE = "kneebot.db";
const PURGE_EVERY_MS = 60 * 60 * 1000;

/** Loads knowledge, opens the configured stores and builds the engine. Throws KneebotError. */
export async function createRuntime(
  config: Config,
  options: RuntimeOptions = {},
): Promise<Runtime> {
  const logger = createLogger({
    level: config.logLevel,
    logContent: config.logContent,
    salt: config.hashSalt,
    destination: pino.destination(options.logTo === "stderr" ? 2 : 1),
  });
  for (const w of config.warnings) logger.warn(w);
  if (config.hashSaltIsDefault)
    logger.info(
      "KNEEBOT_HASH_SALT is not set: using the public default salt for hashing user ids in logs",
    );
  const knowledge = loadKnowledge(config.knowledgeDir);
  const metrics = createMetrics();
  const closers: Array<() => Promise<void> | void> = [];
  let sessions: SessionStore;
  let insights: InsightStore;
  switch (config.store.kind) {
    case "memory":
      sessions = createMemorySessionStore({ ttlMs: config.sessionTtlMs });
      insights = createMemoryInsightStore();
      break;
    case "sqlite": {
      const db = openDatabase(join(config.dataDir, DATABASE_FILE));
      const store = createSqliteSessionStore(db, { ttlMs: config.sessionTtlMs });
      const timer = setInterval(() => store.purgeExpired(), PURGE_EVERY_MS);
      timer.unref();
      sessions = store;
      insights = createSqliteInsightStore(db);
      closers.push(() => clearInterval(timer));
      closers.push(() => {
        db.close();
      });
      break;
    }
    case "redis":
      throw new KneebotError(
        "config",
        "KNEEBOT_STORE=redis is not available in this build yet. Use KNEEBOT_STORE=sqlite.",
      );
  }
  const engine = createEngine({
    knowledge,
    sessions,
    insights,
    logger,
    metrics,
    rateLimiter: createRateLimiter(config.rateLimit),
    maxInputChars: config.maxInputChars,
    ...(options.followUps ? { followUps: options.followUps } : {}),
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
  return {
    config,
    knowledge,
    engine,
    sessions,
    insights,
    logger,
    metrics,
    ...(ops ? { ops } : {}),
    async close() {
      await engine.drain();
      await ops?.close();
      await sessions.close();
      await insights.close();
      for (const c of closers.reverse()) await c();
    },
  };
}
