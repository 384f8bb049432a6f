import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  ConfigError,
  DEFAULT_HASH_SALT,
  formatConfigError,
  loadConfig,
  SETTINGS,
} from "../../src/config.ts";

const DAY_MS = 86_400_000;

function problemsOf(env: Record<string, string | undefined>): ConfigError {
  try {
    loadConfig(env);
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected loadConfig to throw a ConfigError");
}

describe("loadConfig defaults", () => {
  it("gives every documented default for an empty environment", () => {
    const config = loadConfig({});
    expect(config).toEqual({
      dataDir: "./data",
      knowledgeDir: "./knowledge",
      store: { kind: "sqlite" },
      sessionTtlMs: 30 * DAY_MS,
      httpHost: "127.0.0.1",
      logLevel: "info",
      logContent: false,
      rateLimit: { burst: 8, perMinute: 20 },
      maxInputChars: 2000,
      hashSalt: DEFAULT_HASH_SALT,
      hashSaltIsDefault: true,
      platformEnv: {},
      warnings: [],
    });
    expect(config.httpPort).toBeUndefined();
  });

  it("treats empty and blank values as unset", () => {
    const config = loadConfig({ KNEEBOT_STORE: "", KNEEBOT_HTTP_PORT: "  ", LOG_LEVEL: "" });
    expect(config.store).toEqual({ kind: "sqlite" });
    expect(config.httpPort).toBeUndefined();
    expect(config.logLevel).toBe("info");
  });

  it("trims surrounding whitespace from values", () => {
    expect(loadConfig({ KNEEBOT_STORE: " memory\n" }).store).toEqual({ kind: "memory" });
  });
});

describe("loadConfig values", () => {
  it.each([
    ["3600", 3_600_000],
    ["90s", 90_000],
    ["15m", 900_000],
    ["12h", 43_200_000],
    ["30d", 30 * DAY_MS],
    ["365d", 365 * DAY_MS],
    ["1", 1000],
  ])("parses KNEEBOT_SESSION_TTL=%s as %i ms", (value, ms) => {
    expect(loadConfig({ KNEEBOT_SESSION_TTL: value }).sessionTtlMs).toBe(ms);
  });

  it.each(["0", "366d", "30 d", "1w", "-5", "1.5h", "d", "30D"])(
    "rejects KNEEBOT_SESSION_TTL=%s",
    (value) => {
      expect(problemsOf({ KNEEBOT_SESSION_TTL: value }).problems.map((p) => p.variable)).toEqual([
        "KNEEBOT_SESSION_TTL",
      ]);
    },
  );

  it.each([
    ["0", 0],
    ["9464", 9464],
    ["65535", 65535],
  ])("accepts KNEEBOT_HTTP_PORT=%s", (value, port) => {
    expect(loadConfig({ KNEEBOT_HTTP_PORT: value }).httpPort).toBe(port);
  });

  it.each(["65536", "-1", "80.5", "http", "1e3"])("rejects KNEEBOT_HTTP_PORT=%s", (value) => {
    expect(problemsOf({ KNEEBOT_HTTP_PORT: value }).message).toMatch(
      /^KNEEBOT_HTTP_PORT must be a whole number from 0 to 65535/,
    );
  });

  it("bounds KNEEBOT_MAX_INPUT_CHARS to 50–20000", () => {
    expect(loadConfig({ KNEEBOT_MAX_INPUT_CHARS: "50" }).maxInputChars).toBe(50);
    expect(loadConfig({ KNEEBOT_MAX_INPUT_CHARS: "20000" }).maxInputChars).toBe(20000);
    expect(() => loadConfig({ KNEEBOT_MAX_INPUT_CHARS: "49" })).toThrow(ConfigError);
    expect(() => loadConfig({ KNEEBOT_MAX_INPUT_CHARS: "20001" })).toThrow(ConfigError);
  });

  it("parses KNEEBOT_RATE_LIMIT as burst/perMinute", () => {
    expect(loadConfig({ KNEEBOT_RATE_LIMIT: "3/60" }).rateLimit).toEqual({
      burst: 3,
      perMinute: 60,
    });
    for (const bad of ["8", "0/20", "8/0", "8/20/1", "a/b", "8 / 20"]) {
      expect(problemsOf({ KNEEBOT_RATE_LIMIT: bad }).problems[0]?.variable).toBe(
        "KNEEBOT_RATE_LIMIT",
      );
    }
  });

  it('turns content logging on only for LOG_CONTENT="1"', () => {
    expect(loadConfig({ LOG_CONTENT: "1" }).logContent).toBe(true);
    expect(loadConfig({ LOG_CONTENT: "0" }).logContent).toBe(false);
    expect(problemsOf({ LOG_CONTENT: "true" }).message).toContain("LOG_CONTENT must be");
  });

  it("accepts every pino level and rejects others", () => {
    expect(loadConfig({ LOG_LEVEL: "debug" }).logLevel).toBe("debug");
    expect(loadConfig({ LOG_LEVEL: "silent" }).logLevel).toBe("silent");
    expect(problemsOf({ LOG_LEVEL: "verbose" }).message).toContain('(got "verbose")');
  });

  it("rejects a host given as a URL", () => {
    expect(loadConfig({ KNEEBOT_HTTP_HOST: "0.0.0.0" }).httpHost).toBe("0.0.0.0");
    expect(loadConfig({ KNEEBOT_HTTP_HOST: "::1" }).httpHost).toBe("::1");
    expect(problemsOf({ KNEEBOT_HTTP_HOST: "http://localhost" }).message).toContain(
      "KNEEBOT_HTTP_HOST must be a host name or IP address",
    );
  });

  it("uses a custom hash salt and flags the default one", () => {
    const config = loadConfig({ KNEEBOT_HASH_SALT: "0123456789abcdef" });
    expect(config.hashSalt).toBe("0123456789abcdef");
    expect(config.hashSaltIsDefault).toBe(false);
    expect(problemsOf({ KNEEBOT_HASH_SALT: "short" }).message).toContain(
      "KNEEBOT_HASH_SALT must be at least 8 characters",
    );
  });
});

describe("store settings", () => {
  it("needs REDIS_URL when the store is redis", () => {
    const err = problemsOf({ KNEEBOT_STORE: "redis" });
    expect(err.message).toBe(
      "REDIS_URL is required when KNEEBOT_STORE=redis. Set REDIS_URL=redis://localhost:6379, or set KNEEBOT_STORE=sqlite.",
    );
  });

  it("accepts redis:// and rediss:// URLs", () => {
    expect(
      loadConfig({ KNEEBOT_STORE: "redis", REDIS_URL: "redis://localhost:6379" }).store,
    ).toEqual({ kind: "redis", url: "redis://localhost:6379" });
    expect(
      loadConfig({ KNEEBOT_STORE: "redis", REDIS_URL: "rediss://:pw@cache.example:6380/2" }).store,
    ).toEqual({ kind: "redis", url: "rediss://:pw@cache.example:6380/2" });
  });

  it("rejects other URLs without echoing them (they may hold a password)", () => {
    const err = problemsOf({ KNEEBOT_STORE: "redis", REDIS_URL: "http://user:hunter2@cache" });
    expect(err.problems).toHaveLength(1);
    expect(err.message).toContain("REDIS_URL must be a redis:// or rediss:// URL with a host");
    expect(err.message).not.toContain("hunter2");
    expect(problemsOf({ KNEEBOT_STORE: "redis", REDIS_URL: "redis://" }).problems).toHaveLength(1);
  });

  it("ignores REDIS_URL when the store is not redis", () => {
    expect(loadConfig({ REDIS_URL: "not a url" }).store).toEqual({ kind: "sqlite" });
  });

  it("names the variable, the bad value and the fix", () => {
    expect(problemsOf({ KNEEBOT_STORE: "mongo" }).message).toBe(
      'KNEEBOT_STORE must be "sqlite", "redis" or "memory" (got "mongo"). Set KNEEBOT_STORE=sqlite, or remove it to use the default (sqlite).',
    );
  });
});

describe("ConfigError", () => {
  it("lists every bad variable, one line each", () => {
    const err = problemsOf({
      KNEEBOT_STORE: "mongo",
      KNEEBOT_SESSION_TTL: "forever",
      KNEEBOT_HTTP_PORT: "99999",
      LOG_LEVEL: "loud",
      LOG_CONTENT: "yes",
      KNEEBOT_RATE_LIMIT: "lots",
      KNEEBOT_MAX_INPUT_CHARS: "10",
      KNEEBOT_HASH_SALT: "x",
    });
    const variables = [
      "KNEEBOT_STORE",
      "KNEEBOT_SESSION_TTL",
      "KNEEBOT_HTTP_PORT",
      "LOG_LEVEL",
      "LOG_CONTENT",
      "KNEEBOT_RATE_LIMIT",
      "KNEEBOT_MAX_INPUT_CHARS",
      "KNEEBOT_HASH_SALT",
    ];
    expect(err.problems.map((p) => p.variable).sort()).toEqual([...variables].sort());
    const lines = err.message.split("\n");
    expect(lines).toHaveLength(variables.length);
    for (const line of lines) {
      const variable = variables.find((v) => line.startsWith(`${v} must be`));
      expect(variable, line).toBeDefined();
      expect(line).toContain(`Set ${variable}=`);
      expect(line).toMatch(/\(got .+\)/);
      expect(line.endsWith(".")).toBe(true);
    }
  });

  it("is formatted for the start script with a count", () => {
    const text = formatConfigError(problemsOf({ KNEEBOT_STORE: "mongo", LOG_LEVEL: "loud" }));
    const lines = text.split("\n");
    expect(lines[0]).toBe("kneebot cannot start: 2 settings are invalid.");
    expect(lines.slice(1).every((l) => l.startsWith("  - "))).toBe(true);
    expect(lines).toHaveLength(3);
    expect(formatConfigError(problemsOf({ LOG_LEVEL: "loud" }))).toMatch(/^.*1 setting is invalid/);
  });

  it("formats unexpected errors too", () => {
    expect(formatConfigError(new Error("boom"))).toContain("boom");
    expect(formatConfigError("odd")).toContain("odd");
  });

  it("cuts very long values in the message", () => {
    const err = problemsOf({ LOG_LEVEL: "x".repeat(500) });
    expect(err.message.length).toBeLessThan(300);
  });
});

describe("pass-through and warnings", () => {
  it("passes DISCORD_* and SLACK_* through untouched and unvalidated", () => {
    const config = loadConfig({
      DISCORD_TOKEN: "not-a-real-token",
      SLACK_SIGNING_SECRET: "",
      SLACK_BOT_TOKEN: " xoxb-spaces ",
      PATH: "/usr/bin",
    });
    expect(config.platformEnv).toEqual({
      DISCORD_TOKEN: "not-a-real-token",
      SLACK_SIGNING_SECRET: "",
      SLACK_BOT_TOKEN: " xoxb-spaces ",
    });
  });

  it("warns about unknown KNEEBOT_* variables, suggesting the likely one", () => {
    const config = loadConfig({ KNEEBOT_STOR: "redis", KNEEBOT_COLOUR: "blue", HOME: "/root" });
    expect(config.warnings).toEqual([
      "KNEEBOT_STOR is not a kneebot setting; did you mean KNEEBOT_STORE?",
      "KNEEBOT_COLOUR is not a kneebot setting and is ignored.",
    ]);
  });
});

describe("SETTINGS table", () => {
  it("documents every setting once, with a description", () => {
    const names = SETTINGS.map((s) => s.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toEqual(
      expect.arrayContaining([
        "KNEEBOT_DATA_DIR",
        "KNEEBOT_KNOWLEDGE_DIR",
        "KNEEBOT_STORE",
        "REDIS_URL",
        "KNEEBOT_SESSION_TTL",
        "KNEEBOT_HTTP_PORT",
        "KNEEBOT_HTTP_HOST",
        "LOG_LEVEL",
        "LOG_CONTENT",
        "KNEEBOT_RATE_LIMIT",
        "KNEEBOT_MAX_INPUT_CHARS",
        "KNEEBOT_HASH_SALT",
      ]),
    );
    expect(names).toHaveLength(12);
    for (const s of SETTINGS) expect(s.description.length, s.name).toBeGreaterThan(20);
  });

  it("lists defaults that are the real defaults", () => {
    const baseline = loadConfig({});
    for (const s of SETTINGS) {
      if (s.default === null) continue;
      expect(loadConfig({ [s.name]: s.default }), s.name).toEqual(baseline);
    }
  });

  it("documents what happens without a hash salt (a random one, kept in the store)", () => {
    const salt = SETTINGS.find((s) => s.name === "KNEEBOT_HASH_SALT");
    expect(salt?.description).toMatch(/random salt/);
    expect(loadConfig({}).hashSaltIsDefault).toBe(true);
  });

  it("only ever reports documented variables, each at most once", () => {
    const names = SETTINGS.map((s) => s.name);
    fc.assert(
      fc.property(
        fc.dictionary(fc.constantFrom(...names), fc.oneof(fc.string(), fc.constantFrom("redis"))),
        (env) => {
          try {
            loadConfig(env);
          } catch (err) {
            expect(err).toBeInstanceOf(ConfigError);
            const reported = (err as ConfigError).problems.map((p) => p.variable);
            expect(new Set(reported).size).toBe(reported.length);
            for (const v of reported) expect(names).toContain(v);
          }
        },
      ),
    );
  });
});
