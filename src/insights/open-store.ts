/** Opens the insight store the configuration names, for the organiser's tools (review, report). */
import { join } from "node:path";
import { Redis } from "ioredis";
import type { Config } from "../config.ts";
import { KneebotError } from "../errors.ts";
import { DATABASE_FILE } from "../runtime.ts";
import { createMemoryInsightStore } from "../store/memory.ts";
import { createRedisInsightStore } from "../store/redis.ts";
import { createSqliteInsightStore, openDatabase } from "../store/sqlite.ts";
import type { InsightStore } from "../store/types.ts";

/** The configured insight store; `close` also closes its database or connection. */
export async function openInsightStore(
  config: Pick<Config, "dataDir" | "store">,
  options: { redisPrefix?: string } = {},
): Promise<InsightStore> {
  const store = config.store;
  if (store.kind === "memory") return createMemoryInsightStore();
  if (store.kind === "sqlite") {
    const db = openDatabase(join(config.dataDir, DATABASE_FILE));
    const insights = createSqliteInsightStore(db);
    return {
      ...insights,
      close: async () => {
        db.close();
      },
    };
  }
  const redis = new Redis(store.url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  try {
    await redis.connect();
  } catch (cause) {
    redis.disconnect();
    throw new KneebotError("store", "cannot reach Redis at REDIS_URL", { cause });
  }
  const insights = createRedisInsightStore(
    redis,
    options.redisPrefix ? { prefix: options.redisPrefix } : {},
  );
  return {
    ...insights,
    close: async () => {
      await redis.quit();
    },
  };
}

/** Parses "30d", "12h" or "4w" into milliseconds; undefined when it is none of those. */
export function parsePeriod(text: string): number | undefined {
  const m = /^(\d{1,4})([hdw])$/.exec(text.trim());
  if (!m) return undefined;
  const unit = { h: 3600_000, d: 86_400_000, w: 7 * 86_400_000 }[m[2] as "h" | "d" | "w"];
  return Number(m[1]) * unit;
}
