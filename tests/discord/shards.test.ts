import { spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, test } from "vitest";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";

const root = join(import.meta.dirname, "../..");

describe("npm run discord:shards", () => {
  let fake: FakeDiscord | undefined;
  let stop: (() => void) | undefined;
  afterEach(async () => {
    stop?.();
    await fake?.close();
  });

  test("spawns shard processes that log in with their shard ids and answer DMs", async () => {
    fake = await FakeDiscord.start();
    const data = mkdtempSync(join(tmpdir(), "kneebot-shards-"));
    const child = spawn(
      join(root, "node_modules/.bin/tsx"),
      [join(root, "bin/discord-shards.ts")],
      {
        cwd: root,
        env: {
          ...process.env,
          DISCORD_TOKEN: fake.token,
          DISCORD_APPLICATION_ID: fake.applicationId,
          DISCORD_API_URL: fake.apiUrl,
          DISCORD_TOTAL_SHARDS: "1",
          KNEEBOT_DATA_DIR: data,
          LOG_LEVEL: "warn",
        },
        detached: true,
      },
    );
    stop = () => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {}
      rmSync(data, { recursive: true, force: true });
    };
    const f = fake;
    const identify = await f.waitFor(
      "a shard to identify",
      () => f.identifies.find((i) => i.shard),
      30_000,
    );
    expect(identify.shard).toEqual([0, 1]);
    await f.waitFor("the shard to be ready", () => f.sessions > 0, 10_000);
    let log = "";
    child.stdout.on("data", (d) => (log += d));
    child.stderr.on("data", (d) => (log += d));
    const runner = f.addUser("runner");
    f.userMessage(runner, "should I ice my knee?", { dm: true });
    const answer = await f
      .waitFor(
        "the answer in DMs",
        () => f.sent.find((s) => /can ease pain/.test(s.content)),
        8_000,
      )
      .catch((err: Error) => {
        throw new Error(
          `${err.message}\nsent: ${JSON.stringify(f.sent).slice(0, 2500)}\nshard output:\n${log.slice(0, 3000)}`,
        );
      });
    expect(answer.content).toMatch(/15–20 minutes/);
  }, 120_000);
});
