import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { DEDUPE_TTL_MS, firstDelivery } from "../../adapters/slack/dedupe.ts";
import { startSlack } from "../../adapters/slack/index.ts";
import { isKneebotError } from "../../src/errors.ts";
import { createMemorySharedState } from "../../src/shared-state.ts";
import { startFakeSlack } from "../helpers/fake-slack/server.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";

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
    expect(manifest.settings.event_subscriptions.bot_events).toEqual([
      "app_home_opened",
      "app_mention",
      "message.channels",
      "message.im",
    ]);
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
        transport: { kind: "http", signingSecret: "secret-secret", port: 0, host: "127.0.0.1" },
        apiUrl: fake.apiUrl,
        webApiRetries: 0,
      });
      expect(isKneebotError(await start.catch((e: unknown) => e), "config")).toBe(true);
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
        transport: { kind: "socket", appToken: "xapp-wrong", autoReconnect: false },
        apiUrl: fake.apiUrl,
        webApiRetries: 0,
      });
      await expect(start).rejects.toThrow(/SLACK_APP_TOKEN/);
      expect(isKneebotError(await start.catch((e: unknown) => e), "config")).toBe(true);
    } finally {
      await fake.close();
    }
  });

  it("claims each delivery id once, for the dedupe window, in the shared state", async () => {
    const state = createMemorySharedState();
    expect(await firstDelivery(state, "event:Ev1")).toBe(true);
    expect(await firstDelivery(state, "event:Ev1")).toBe(false);
    expect(await firstDelivery(state, "event:Ev2")).toBe(true);
    // Slack retries within about five minutes: the window outlasts them.
    expect(DEDUPE_TTL_MS).toBeGreaterThanOrEqual(5 * 60 * 1000);
  });
});
