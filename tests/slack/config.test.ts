import pino from "pino";
import { describe, expect, it } from "vitest";
import { type Logger, slackConfigFromEnv } from "../../adapters/slack/index.ts";
import { isKneebotError } from "../../src/errors.ts";

describe("slackConfigFromEnv", () => {
  it("is off when SLACK_BOT_TOKEN is unset", () => {
    expect(slackConfigFromEnv({})).toBeUndefined();
    expect(
      slackConfigFromEnv({ SLACK_BOT_TOKEN: "  ", SLACK_APP_TOKEN: "xapp-1" }),
    ).toBeUndefined();
  });

  it("reads Socket Mode settings", () => {
    expect(slackConfigFromEnv({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xapp-1" })).toEqual({
      botToken: "xoxb-1",
      transport: { kind: "socket", appToken: "xapp-1" },
    });
  });

  it("prefers Socket Mode when both tokens are set, and keeps no HTTP options then", () => {
    expect(
      slackConfigFromEnv({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_APP_TOKEN: "xapp-1",
        SLACK_SIGNING_SECRET: "abcdef0123456789",
        SLACK_PORT: "8080",
      })?.transport,
    ).toEqual({ kind: "socket", appToken: "xapp-1" });
  });

  it("reads HTTP mode settings with the default port and the API URL", () => {
    expect(
      slackConfigFromEnv({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "abcdef0123456789",
        SLACK_API_URL: "http://127.0.0.1:9/api",
      }),
    ).toEqual({
      botToken: "xoxb-1",
      transport: { kind: "http", signingSecret: "abcdef0123456789", port: 3000 },
      apiUrl: "http://127.0.0.1:9/api/",
    });
    expect(
      slackConfigFromEnv({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "abcdef0123456789",
        SLACK_PORT: "8080",
      })?.transport,
    ).toMatchObject({ kind: "http", port: 8080 });
  });

  it("names the variable and the fix when something is wrong, as a config KneebotError", () => {
    const attempt = (env: Record<string, string>) => () => slackConfigFromEnv(env);
    expect(attempt({ SLACK_BOT_TOKEN: "xoxb-1" })).toThrow(
      /SLACK_APP_TOKEN is missing: set SLACK_APP_TOKEN/,
    );
    expect(attempt({ SLACK_BOT_TOKEN: "xoxp-1", SLACK_APP_TOKEN: "xapp-1" })).toThrow(
      /SLACK_BOT_TOKEN must be the Bot User OAuth Token/,
    );
    expect(attempt({ SLACK_BOT_TOKEN: "xoxb-1", SLACK_APP_TOKEN: "xoxb-2" })).toThrow(
      /SLACK_APP_TOKEN must be an App-Level Token/,
    );
    expect(
      attempt({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "abcdef0123456789",
        SLACK_PORT: "web",
      }),
    ).toThrow(/SLACK_PORT must be/);
    expect(
      attempt({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_SIGNING_SECRET: "abcdef0123456789",
        SLACK_PORT: "70000",
      }),
    ).toThrow(/SLACK_PORT must be between 0 and 65535/);
    try {
      slackConfigFromEnv({ SLACK_BOT_TOKEN: "xoxb-1" });
      expect.unreachable("should throw");
    } catch (err) {
      expect(isKneebotError(err, "config")).toBe(true);
    }
  });

  it("accepts a pino logger as its Logger", () => {
    const logger: Logger = pino({ level: "silent" });
    expect(typeof logger.info).toBe("function");
  });
});
