/** Starts the fake Discord and the real adapter against it; tears both down after each test. */
import { afterEach } from "vitest";
import { type DiscordHandle, startDiscord } from "../../adapters/discord/index.ts";
import type { DiscordOptions, Logger } from "../../adapters/discord/types.ts";
import type { Engine } from "../../src/engine-api.ts";
import { FakeDiscord, type FakeDiscordOptions } from "../helpers/fake-discord/index.ts";

/** A logger that keeps entries for assertions. */
export interface LogEntry {
  level: "info" | "warn" | "error";
  obj: Record<string, unknown>;
  msg?: string;
}

/** A running fake plus adapter. */
export interface Harness {
  fake: FakeDiscord;
  bot: DiscordHandle;
  logs: LogEntry[];
}

const running: (() => Promise<void>)[] = [];

afterEach(async () => {
  while (running.length > 0) await running.pop()!();
});

/** Starts a fake Discord and the adapter logged in to it, with `engine`. */
export async function startHarness(
  engine: Engine,
  opts: {
    fake?: FakeDiscordOptions;
    deferAfterMs?: number;
    adapter?: Partial<DiscordOptions>;
  } = {},
): Promise<Harness> {
  const fake = await FakeDiscord.start(opts.fake);
  running.push(() => fake.close());
  const logs: LogEntry[] = [];
  const bot = await startAdapter(fake, engine, logs, opts.deferAfterMs, opts.adapter);
  return { fake, bot, logs };
}

/** Starts (another) adapter against a running fake, e.g. to simulate a restart. */
export async function startAdapter(
  fake: FakeDiscord,
  engine: Engine,
  logs: LogEntry[] = [],
  deferAfterMs?: number,
  extra: Partial<DiscordOptions> = {},
): Promise<DiscordHandle> {
  const at =
    (level: LogEntry["level"]) =>
    (obj: object, msg?: string): void => {
      logs.push({ level, obj: obj as Record<string, unknown>, ...(msg ? { msg } : {}) });
    };
  const logger: Logger = { info: at("info"), warn: at("warn"), error: at("error") };
  const bot = await startDiscord({
    engine,
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    logger,
    ...(deferAfterMs !== undefined ? { deferAfterMs } : {}),
    ...extra,
  });
  running.push(() => bot.stop());
  return bot;
}

/** The custom_ids of every component in a recorded message, row by row. */
export function customIds(components: Record<string, unknown>[]): string[] {
  return components.flatMap((row) =>
    ((row.components as Record<string, unknown>[]) ?? []).map((c) => String(c.custom_id)),
  );
}

/** The first component of a recorded message's components (e.g. its select menu). */
export function firstComponent(components: Record<string, unknown>[]): Record<string, unknown> {
  return ((components[0]?.components as Record<string, unknown>[]) ?? [])[0] ?? {};
}
