import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { SeenIds } from "../../adapters/slack/dedupe.ts";
import { SlackConfigError, startSlack } from "../../adapters/slack/index.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { startFakeSlack } from "../helpers/fake-slack/server.ts";

describe("slack set-up", () => {
  it("has a manifest with the scopes, events, command and Socket Mode the adapter needs", async () => {
    const manifest = parse(await readFile("adapters/slack/manifest.yml", "utf8"));
    expect(manifest.oauth_config.scopes.bot).toEqual(
      expect.arrayContaining([
        "app_mentions:read",
        "chat:write",
        "commands",
        "im:history",
        "im:read",
        "im:write",
        "users:read",
      ]),
    );
    expect(manifest.settings.event_subscriptions.bot_events).toEqual(["app_mention", "message.im"]);
    expect(manifest.features.slash_commands[0].command).toBe("/knee");
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
    expect(manifest.settings.socket_mode_enabled).toBe(true);
    expect(manifest.features.app_home.messages_tab_read_only_enabled).toBe(false);
  });

  it("refuses to start with a bot token Slack rejects, naming the variable", async () => {
    const fake = await startFakeSlack();
    fake.failures.set("auth.test", "invalid_auth");
    try {
      const start = startSlack({
        engine: new ScriptedEngine(() => []),
        botToken: "xoxb-wrong",
        signingSecret: "secret-secret",
        port: 0,
        host: "127.0.0.1",
        apiUrl: fake.apiUrl,
        webApiRetries: 0,
      });
      await expect(start).rejects.toThrow(SlackConfigError);
      await expect(start).rejects.toThrow(/SLACK_BOT_TOKEN \(invalid_auth\)/);
    } finally {
      await fake.close();
    }
  });

  it("refuses to start when Socket Mode cannot connect, naming SLACK_APP_TOKEN", async () => {
    const fake = await startFakeSlack();
    fake.failures.set("apps.connections.open", "invalid_auth");
    try {
      const start = startSlack({
        engine: new ScriptedEngine(() => []),
        botToken: "xoxb-ok",
        appToken: "xapp-wrong",
        autoReconnect: false,
        apiUrl: fake.apiUrl,
        webApiRetries: 0,
      });
      await expect(start).rejects.toThrow(/SLACK_APP_TOKEN/);
      await expect(start).rejects.toThrow(SlackConfigError);
    } finally {
      await fake.close();
    }
  });

  it("remembers ids for a while, and only so many", () => {
    let now = 0;
    const seen = new SeenIds(3, 1000, () => now);
    expect(seen.firstTime("a")).toBe(true);
    expect(seen.firstTime("a")).toBe(false);
    now = 1000;
    expect(seen.firstTime("a")).toBe(true);
    for (const id of ["b", "c", "d"]) seen.firstTime(id);
    expect(seen.size).toBe(3);
    expect(seen.firstTime("a")).toBe(true);
    expect(seen.firstTime("d")).toBe(false);
  });
});
