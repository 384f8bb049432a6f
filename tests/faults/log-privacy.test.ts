/**
 * Logs can't be linked per user through channel ids (a DM channel names one user): they are
 * hashed like user ids. And without KNEEBOT_HASH_SALT, each installation hashes with its own
 * random salt, kept in its store (SQLite file, or Redis), never the public default.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Writable } from "node:stream";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { createRuntime } from "../../src/runtime.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";

const publicDefault = loadConfig({}).hashSalt;

describe("channel ids in logs", () => {
  it("are hashed, at any depth, and differ per channel", () => {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _enc, done) {
        lines.push(String(chunk));
        done();
      },
    });
    const logger = createLogger({ level: "info", logContent: false, salt: "s", destination });
    logger.info(
      { platform: "slack", channel: "D0DMCHAN1", nested: { channelId: "D0DMCHAN2" } },
      "x",
    );
    logger.info({ platform: "discord", channel_id: "123456789012345678" }, "y");
    const out = lines.join("");
    for (const id of ["D0DMCHAN1", "D0DMCHAN2", "123456789012345678"])
      expect(out).not.toContain(id);
    const first = JSON.parse(lines[0]!) as { channel: string; nested: { channelId: string } };
    expect(first.channel).toMatch(/^ch-[0-9a-f]{16}$/);
    expect(first.nested.channelId).not.toBe(first.channel);
  });
});

describe("the log salt without KNEEBOT_HASH_SALT", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  const open = async (dir: string) =>
    createRuntime(loadConfig({ KNEEBOT_DATA_DIR: dir, LOG_LEVEL: "silent" }), { logTo: "stderr" });

  it("SQLite: random per installation, the same after a restart", async () => {
    const a = mkdtempSync(join(tmpdir(), "kneebot-salt-"));
    const b = mkdtempSync(join(tmpdir(), "kneebot-salt-"));
    dirs.push(a, b);
    const first = await open(a);
    const salt = first.config.hashSalt;
    await first.close();
    expect(salt).not.toBe(publicDefault);
    expect(salt.length).toBeGreaterThanOrEqual(32);
    const again = await open(a);
    expect(again.config.hashSalt).toBe(salt);
    await again.close();
    const other = await open(b);
    expect(other.config.hashSalt).not.toBe(salt);
    await other.close();
  });

  it("an explicit KNEEBOT_HASH_SALT wins", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-salt-"));
    dirs.push(dir);
    const rt = await createRuntime(
      loadConfig({ KNEEBOT_DATA_DIR: dir, LOG_LEVEL: "silent", KNEEBOT_HASH_SALT: "mine-123" }),
      { logTo: "stderr" },
    );
    expect(rt.config.hashSalt).toBe("mine-123");
    await rt.close();
  });

  it.skipIf(!redisUp)(`Redis: shared by every process on one Redis${REDIS_NOTICE}`, async () => {
    const prefix = uniquePrefix("salt");
    const config = loadConfig({ KNEEBOT_STORE: "redis", REDIS_URL, LOG_LEVEL: "silent" });
    const one = await createRuntime(config, { logTo: "stderr", redisPrefix: prefix });
    const two = await createRuntime(config, { logTo: "stderr", redisPrefix: prefix });
    try {
      expect(one.config.hashSalt).not.toBe(publicDefault);
      expect(two.config.hashSalt).toBe(one.config.hashSalt);
    } finally {
      await one.close();
      await two.close();
      const admin = testClient();
      await deletePrefix(admin, prefix);
      await admin.quit();
    }
  });
});
