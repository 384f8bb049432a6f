/**
 * Whether the real Redis on 127.0.0.1:6379 is up, decided once per test file. Without it the
 * Redis suites are skipped with a notice in their names; with KNEEBOT_REQUIRE_REDIS=1 (CI) a
 * missing Redis fails the run instead.
 */
import { randomBytes } from "node:crypto";
import { createConnection } from "node:net";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";

/** The Redis the tests use. */
export const REDIS_URL = process.env.KNEEBOT_TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

function probe(): Promise<boolean> {
  const url = new URL(REDIS_URL);
  return new Promise((resolve) => {
    const socket = createConnection({ host: url.hostname, port: Number(url.port || 6379) });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once("connect", () => done(true));
    socket.once("error", () => done(false));
  });
}

/** True when Redis answers. */
export const redisUp = await probe();

if (!redisUp && process.env.KNEEBOT_REQUIRE_REDIS === "1") {
  throw new Error(
    `KNEEBOT_REQUIRE_REDIS=1 but no Redis answers at ${REDIS_URL}: start one (redis-server) or unset the variable.`,
  );
}

/** Suffix for suite names: says why a suite was skipped. */
export const REDIS_NOTICE = redisUp ? "" : ` (skipped: no Redis at ${new URL(REDIS_URL).host})`;

/** A key prefix no other test run uses. */
export function uniquePrefix(name: string): string {
  return `kneebot-test:${name}:${randomBytes(4).toString("hex")}:`;
}

/** Deletes every key under `prefix`. */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${prefix}*`, "COUNT", 500);
    cursor = next;
    if (keys.length > 0) await redis.del(...keys);
  } while (cursor !== "0");
}

/** A plain client for assertions and cleanup. */
export function testClient(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 2 });
}

/**
 * For the describe block it is called in: a unique key prefix, and `count` clients (as that
 * many processes would have) opened before its tests and closed after, with every key under
 * the prefix deleted.
 */
export function useRedis(name: string, count = 1): { prefix: string; clients: Redis[] } {
  const used = { prefix: uniquePrefix(name), clients: [] as Redis[] };
  beforeAll(() => {
    for (let i = 0; i < count; i++) used.clients.push(testClient());
  });
  afterAll(async () => {
    const [first] = used.clients;
    if (first) await deletePrefix(first, used.prefix);
    for (const c of used.clients) await c.quit();
  });
  return used;
}
