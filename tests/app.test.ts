import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type App, startApp } from "../bin/app.ts";
import { FakeDiscord } from "./helpers/fake-discord/index.ts";
import { dmEvent, eventCallback, nextId } from "./helpers/fake-slack/payloads.ts";
import { type ApiCall, type FakeSlack, startFakeSlack } from "./helpers/fake-slack/server.ts";

describe("npm start with platform tokens", () => {
  let app: App | undefined;
  let discord: FakeDiscord | undefined;
  let slack: FakeSlack | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await app?.shutdown();
    await discord?.close();
    await slack?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it("runs Discord and Slack in one process, on one engine and store", async () => {
    discord = await FakeDiscord.start();
    slack = await startFakeSlack();
    dir = mkdtempSync(join(tmpdir(), "kneebot-app-"));
    app = await startApp({
      KNEEBOT_DATA_DIR: dir,
      LOG_LEVEL: "silent",
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: discord.applicationId,
      DISCORD_API_URL: discord.apiUrl,
      SLACK_BOT_TOKEN: "xoxb-test-token",
      SLACK_APP_TOKEN: "xapp-test-token",
      SLACK_API_URL: slack.apiUrl,
    });
    expect(app.mode).toBe("platforms");

    const d = discord;
    const runner = d.addUser("runner");
    d.userMessage(runner, "should I ice my knee?", { dm: true });
    const onDiscord = await d.waitFor(
      "a Discord DM answer",
      () => d.sent.find((s) => /can ease pain/.test(s.content)),
      10_000,
    );
    expect(onDiscord.allowedMentions).toEqual({ parse: [] });

    await slack.socketConnected();
    await slack.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload: eventCallback(dmEvent("U1", "should I ice my knee?")),
    });
    const posted = (await slack.waitFor(
      (r) =>
        r.kind === "api" &&
        r.method === "chat.postMessage" &&
        JSON.stringify(r.args).includes("can ease pain"),
    )) as ApiCall;
    expect(posted.ok).toBe(true);

    // One store: both conversations are there, keyed by platform.
    expect(await app.runtime.sessions.get(`discord:${runner.id}`)).toBeDefined();
    expect(await app.runtime.sessions.get("slack:U1")).toBeDefined();
  }, 120_000);
});
