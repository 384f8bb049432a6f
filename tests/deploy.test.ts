/**
 * Keeps the deployment files honest: Dockerfile, compose.yaml, .env.example, .dockerignore and
 * deploy/kneebot.service. Every variable they set is one kneebot reads, every setting the config
 * schema knows is listed in .env.example, and the combinations they make start cleanly through
 * the real config loaders. There is no Docker engine or systemd on the test machines, so the
 * files are checked statically; the health check's own command is run against a real /healthz.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { discordConfigFromEnv } from "../adapters/discord/index.ts";
import { slackConfigFromEnv } from "../adapters/slack/index.ts";
import { loadConfig, SETTINGS } from "../src/config.ts";
import { createRuntime } from "../src/runtime.ts";

const root = join(import.meta.dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");
const run = promisify(execFile);

/** Platform variables each adapter reads; each must be a key of that adapter's config schema. */
const PLATFORM_VARS = {
  discord: [
    "DISCORD_TOKEN",
    "DISCORD_APPLICATION_ID",
    "DISCORD_GUILD_ID",
    "DISCORD_API_URL",
    "DISCORD_HELP_CHANNELS",
    "DISCORD_MENTION_THREADS",
  ],
  slack: [
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_PORT",
    "SLACK_API_URL",
    "SLACK_ADMIN_USER_IDS",
    "SLACK_HELP_CHANNELS",
  ],
} as const;
/** Read by Node itself, not by kneebot. */
const NODE_VARS = ["NODE_ENV"];
const KNOWN = new Set([
  ...SETTINGS.map((s) => s.name),
  ...PLATFORM_VARS.discord,
  ...PLATFORM_VARS.slack,
  ...NODE_VARS,
]);

/** .env.example as entries: `NAME=value` lines, and `# NAME=value` ones (commented defaults). */
function envExample(): { name: string; value: string; commented: boolean }[] {
  return [...read(".env.example").matchAll(/^(# )?([A-Z][A-Z0-9_]*)=(.*)$/gm)].map((m) => ({
    name: m[2]!,
    value: m[3]!,
    commented: m[1] !== undefined,
  }));
}

/** The final stage of the Dockerfile (after the last FROM). */
function dockerfile() {
  const text = read("Dockerfile");
  const stages = text.split(/^FROM /m).slice(1);
  return {
    text,
    froms: [...text.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]!),
    last: stages.at(-1)!,
  };
}

describe(".env.example", () => {
  it("lists every setting the config schema knows, and only variables kneebot reads", () => {
    const names = envExample().map((e) => e.name);
    for (const s of SETTINGS) expect(names, s.name).toContain(s.name);
    for (const n of names) expect(KNOWN.has(n), `${n} is not a kneebot setting`).toBe(true);
    expect(new Set(names).size).toBe(names.length);
  });

  it("names only platform variables the adapters' config schemas accept", () => {
    for (const [platform, vars] of Object.entries(PLATFORM_VARS)) {
      const source = read(`adapters/${platform}/config.ts`);
      for (const v of vars) expect(source, `${v} in ${platform}/config.ts`).toMatch(`${v}:`);
      for (const v of vars) expect(read(".env.example")).toMatch(new RegExp(`^${v}=$`, "m"));
    }
  });

  it("starts cleanly as shipped, with every commented default uncommented, and once filled in", () => {
    const asShipped = Object.fromEntries(
      envExample()
        .filter((e) => !e.commented)
        .map((e) => [e.name, e.value]),
    );
    const config = loadConfig(asShipped);
    expect(config.warnings).toEqual([]);
    expect(config.store).toEqual({ kind: "sqlite" });
    expect(discordConfigFromEnv(asShipped)).toBeUndefined();
    expect(slackConfigFromEnv(asShipped)).toBeUndefined();

    const everything = Object.fromEntries(envExample().map((e) => [e.name, e.value]));
    expect(loadConfig(everything).warnings).toEqual([]);
    const filled = {
      ...everything,
      KNEEBOT_STORE: "redis",
      DISCORD_TOKEN: "MTIzNDU2Nzg5MDEyMzQ1Njc4.GabcDe.abcdefghijklmnopqrstuvwxyz0123456789ab",
      DISCORD_APPLICATION_ID: "123456789012345678",
      SLACK_BOT_TOKEN: "xoxb-1-2-abc",
      SLACK_APP_TOKEN: "xapp-1-abc",
    };
    expect(loadConfig(filled).store).toEqual({ kind: "redis", url: "redis://localhost:6379" });
    expect(discordConfigFromEnv(filled)?.applicationId).toBe("123456789012345678");
    expect(slackConfigFromEnv(filled)?.transport).toEqual({
      kind: "socket",
      appToken: "xapp-1-abc",
    });
  });
});

describe("compose.yaml", () => {
  const compose = parse(read("compose.yaml")) as {
    services: Record<string, Record<string, unknown>>;
    volumes: Record<string, unknown>;
  };
  const bot = compose.services.kneebot!;
  const redis = compose.services.redis!;

  it("sets only variables kneebot reads, and with .env.example they make a valid Redis setup", () => {
    const env = bot.environment as Record<string, string>;
    for (const n of Object.keys(env))
      expect(KNOWN.has(n), `${n} is not a kneebot setting`).toBe(true);
    // compose: `environment` wins over `env_file`.
    const fromFile = Object.fromEntries(
      envExample()
        .filter((e) => !e.commented)
        .map((e) => [e.name, e.value]),
    );
    const config = loadConfig({ ...fromFile, ...env });
    expect(config.warnings).toEqual([]);
    expect(config.store).toEqual({ kind: "redis", url: "redis://redis:6379" });
    expect(config.httpPort).toBe(9464);
    expect(bot.env_file).toBe(".env");
    expect(bot.build).toBe(".");
    expect(bot.restart).toBe("unless-stopped");
  });

  it("keeps the bot's data folder and Redis's data on named volumes, and waits for Redis", () => {
    const env = bot.environment as Record<string, string>;
    expect(bot.volumes).toContain(`kneebot-data:${env.KNEEBOT_DATA_DIR}`);
    expect(redis.volumes).toContain("redis-data:/data");
    expect(redis.command).toEqual(["redis-server", "--appendonly", "yes"]);
    expect(Object.keys(compose.volumes).sort()).toEqual(["kneebot-data", "redis-data"]);
    expect(bot.depends_on).toEqual({ redis: { condition: "service_healthy" } });
    expect(redis.healthcheck).toBeDefined();
    expect(new URL(env.REDIS_URL!).hostname).toBe("redis");
  });
});

describe("Dockerfile", () => {
  const { text, froms, last } = dockerfile();
  const envIn = (stage: string) =>
    Object.fromEntries(
      [...stage.matchAll(/(?:ENV|\\)\s+([A-Z_]+)=(\S+)/g)].map((m) => [m[1]!, m[2]!]),
    );

  it("is multi-stage on Node 20 slim and runs as a non-root user", () => {
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toBe("node:20-slim");
    expect(text).toMatch(/^FROM node:20-slim AS build$/m);
    expect(last).toMatch(/^COPY --from=build \/app\/node_modules/m);
    const user = /^USER (\S+)$/m.exec(last)?.[1];
    expect(user).toBeDefined();
    expect(["root", "0"]).not.toContain(user);
    // No compilers in the image that runs.
    expect(last).not.toMatch(/g\+\+|apt-get install/);
  });

  it("sets only kneebot's variables, keeps the data folder in a volume, and starts bin/start.ts", () => {
    const env = envIn(last);
    for (const n of Object.keys(env))
      expect(KNOWN.has(n), `${n} is not a kneebot setting`).toBe(true);
    expect(loadConfig(env).warnings).toEqual([]);
    expect(last).toContain(`VOLUME ["${env.KNEEBOT_DATA_DIR}"]`);
    expect(last).toMatch(/^CMD \["node", "--import", "tsx", "bin\/start\.ts"\]$/m);
    expect(JSON.parse(read("package.json")).scripts.start).toBe("tsx bin/start.ts");
    for (const m of last.matchAll(/^COPY (?!--from)(.+) \S+$/gm)) {
      for (const src of m[1]!.split(" ")) expect(existsSync(join(root, src)), src).toBe(true);
    }
  });

  it("checks health on /healthz, and that check passes on a running bot and fails without one", async () => {
    const cmd = /^HEALTHCHECK[^\n]*\\\n\s*CMD (\[.*\])$/m.exec(text)?.[1];
    expect(cmd).toBeDefined();
    const argv = JSON.parse(cmd!) as string[];
    expect(argv.slice(0, 2)).toEqual(["node", "-e"]);
    expect(argv[2]).toContain("/healthz");
    const runtime = await createRuntime(
      loadConfig({ KNEEBOT_STORE: "memory", KNEEBOT_HTTP_PORT: "0", LOG_LEVEL: "silent" }),
    );
    try {
      const port = String(runtime.ops!.port);
      const env = { ...process.env, KNEEBOT_HTTP_PORT: port };
      await expect(run(process.execPath, argv.slice(1), { env })).resolves.toBeDefined();
      await runtime.close();
      await expect(run(process.execPath, argv.slice(1), { env })).rejects.toMatchObject({
        code: 1,
      });
    } finally {
      await runtime.close().catch(() => undefined);
    }
  });

  it(".dockerignore keeps secrets, local data and installed modules out of the image", () => {
    const ignore = read(".dockerignore").split("\n");
    for (const entry of [".env", "data", "node_modules", ".git"]) expect(ignore).toContain(entry);
  });
});

describe("deploy/kneebot.service (systemd)", () => {
  const unit = read("deploy/kneebot.service");
  const values = (key: string) =>
    [...unit.matchAll(new RegExp(`^${key}=(.*)$`, "gm"))].map((m) => m[1]!);

  it("runs bin/start.ts as its own user, restarts on failure, reads the env file", () => {
    for (const section of ["[Unit]", "[Service]", "[Install]"]) expect(unit).toContain(section);
    expect(values("ExecStart")).toEqual(["/usr/bin/node --import tsx bin/start.ts"]);
    expect(values("User")[0]).toBeDefined();
    expect(values("User")[0]).not.toBe("root");
    expect(values("Restart")).toEqual(["on-failure"]);
    expect(values("EnvironmentFile")).toHaveLength(1);
    expect(values("KillSignal")).toEqual(["SIGTERM"]);
    expect(values("WantedBy")).toEqual(["multi-user.target"]);
  });

  it("sets only kneebot's variables, and the data folder is the one path it may write", () => {
    const env = Object.fromEntries(
      values("Environment").map((v) => v.split("=") as [string, string]),
    );
    for (const n of Object.keys(env))
      expect(KNOWN.has(n), `${n} is not a kneebot setting`).toBe(true);
    expect(loadConfig(env).warnings).toEqual([]);
    expect(values("ReadWritePaths")).toEqual([env.KNEEBOT_DATA_DIR]);
    expect(values("ProtectSystem")).toEqual(["strict"]);
  });
});
