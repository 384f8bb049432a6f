import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterEach, describe, expect, test } from "vitest";
import { commands } from "../../adapters/discord/commands/index.ts";
import { discordConfigFromEnv } from "../../adapters/discord/config.ts";
import { deployCommands } from "../../adapters/discord/deploy.ts";
import type { Logger } from "../../adapters/discord/types.ts";
import { isKneebotError } from "../../src/index.ts";
import { silentLogger } from "../../src/logger.ts";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";

const APP = "123456789012345678";
const run = promisify(execFile);

describe("discordConfigFromEnv", () => {
  test("Discord is off when DISCORD_TOKEN is unset or empty", () => {
    expect(discordConfigFromEnv({})).toBeUndefined();
    expect(
      discordConfigFromEnv({ DISCORD_TOKEN: "", DISCORD_APPLICATION_ID: APP }),
    ).toBeUndefined();
  });

  test("reads token, application id, API URL and guild id", () => {
    expect(
      discordConfigFromEnv({
        DISCORD_TOKEN: " t0ken ",
        DISCORD_APPLICATION_ID: APP,
        DISCORD_API_URL: "http://127.0.0.1:9/api",
        DISCORD_GUILD_ID: "223456789012345678",
        HOME: "/root",
      }),
    ).toEqual({
      token: "t0ken",
      applicationId: APP,
      apiUrl: "http://127.0.0.1:9/api",
      guildId: "223456789012345678",
    });
  });

  test("a token without an application id names the variable and the fix", () => {
    const thrown = (() => {
      try {
        discordConfigFromEnv({ DISCORD_TOKEN: "t" });
        return undefined;
      } catch (err) {
        return err;
      }
    })();
    expect(isKneebotError(thrown, "config")).toBe(true);
    expect((thrown as Error).message).toMatch(/DISCORD_APPLICATION_ID/);
    expect(() => discordConfigFromEnv({ DISCORD_TOKEN: "t" })).toThrow(
      /DISCORD_APPLICATION_ID is required.*Developer Portal/,
    );
  });

  test("malformed ids and URLs are refused with the variable's name", () => {
    expect(() =>
      discordConfigFromEnv({ DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "my-bot" }),
    ).toThrow(/DISCORD_APPLICATION_ID must be a numeric Discord id/);
    expect(() =>
      discordConfigFromEnv({
        DISCORD_TOKEN: "t",
        DISCORD_APPLICATION_ID: APP,
        DISCORD_API_URL: "nope",
      }),
    ).toThrow(/DISCORD_API_URL/);
    expect(() =>
      discordConfigFromEnv({
        DISCORD_TOKEN: "t",
        DISCORD_APPLICATION_ID: APP,
        DISCORD_GUILD_ID: "x",
      }),
    ).toThrow(/DISCORD_GUILD_ID/);
  });
});

test("the project's pino logger fits the adapter's Logger", () => {
  const logger: Logger = silentLogger;
  expect(typeof logger.error).toBe("function");
});

describe("deploy (npm run discord:deploy) against the fake", () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  test("registers every command to one guild when a guild id is given, else globally", async () => {
    fake = await FakeDiscord.start();
    const base = { token: fake.token, applicationId: fake.applicationId, apiUrl: fake.apiUrl };
    expect(await deployCommands({ ...base, guildId: fake.guild.id })).toMatchObject({
      scope: "guild",
    });
    expect(await deployCommands(base)).toMatchObject({ scope: "global" });
    expect(fake.deployments.map((d) => d.scope)).toEqual([fake.guild.id, "global"]);
    const names = fake.deployments[1]!.commands.map((c) => c.name);
    expect(names).toEqual([
      "knee",
      "ask",
      "kneehelp",
      "kneeprivacy",
      "forgetme",
      "knee-admin",
      "Ask kneebot",
      "Check in on my knee",
    ]);
    const ask = fake.deployments[1]!.commands.find((c) => c.name === "ask")!;
    expect(ask.options).toMatchObject([{ name: "question", type: 3, required: true }]);
    expect(ask.contexts).toEqual([0, 1]);

    expect(await deployCommands({ ...base, guildId: fake.guild.id, clear: true })).toEqual({
      scope: "guild",
      names: [],
      menus: [],
    });
    expect(fake.deployments[2]).toEqual({ scope: fake.guild.id, commands: [] });
  });

  test("the npm script itself runs against DISCORD_API_URL", async () => {
    fake = await FakeDiscord.start();
    const env = {
      PATH: process.env.PATH,
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: fake.applicationId,
      DISCORD_GUILD_ID: fake.guild.id,
      DISCORD_API_URL: fake.apiUrl,
    };
    const { stdout } = await run("node_modules/.bin/tsx", ["adapters/discord/deploy.ts"], { env });
    expect(stdout).toContain(
      `Registered /knee, /ask, /kneehelp, /kneeprivacy, /forgetme, /knee-admin for server ${fake.guild.id}`,
    );
    expect(fake.deployments.map((d) => d.scope)).toEqual([fake.guild.id]);
    await expect(
      run("node_modules/.bin/tsx", ["adapters/discord/deploy.ts"], {
        env: { PATH: process.env.PATH },
      }),
    ).rejects.toMatchObject({ stderr: expect.stringContaining("DISCORD_TOKEN is not set") });
  }, 120_000);

  test("a wrong token is refused (401) and reported", async () => {
    fake = await FakeDiscord.start();
    await expect(
      deployCommands({ token: "wrong", applicationId: fake.applicationId, apiUrl: fake.apiUrl }),
    ).rejects.toThrow(/401/);
    expect(fake.deployments).toEqual([]);
  });

  test("every command has a lower-case name and a description within Discord's limits", () => {
    for (const c of commands) {
      expect(c.data.name).toMatch(/^[a-z0-9_-]{1,32}$/);
      expect(c.data.description.length).toBeLessThanOrEqual(100);
    }
  });
});
