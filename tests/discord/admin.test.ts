/**
 * `/knee-admin stats` through the real discord.js client against the fake Discord: the
 * registered command carries Manage Server, the summary is ephemeral and holds the numbers of a
 * seeded store, and a member without the permission is refused.
 */
import { afterEach, describe, expect, it } from "vitest";
import { ADMIN_TEXT } from "../../adapters/discord/commands/admin.ts";
import { deployCommands } from "../../adapters/discord/deploy.ts";
import { type DiscordHandle, startDiscord } from "../../adapters/discord/index.ts";
import { adminStatsSource } from "../../src/insights/admin-stats.ts";
import { createMemoryInsightStore } from "../../src/store/memory.ts";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { apology } from "../helpers/scripted-engine.ts";
import { fillEvents } from "../report/fixture-events.ts";
import { FIXTURE_TOPICS, fillStore } from "../review/fixture.ts";

/** Manage Server (1 << 5) among an ordinary member's permissions, as Discord sends them. */
const MEMBER = 1071698660929n;
const MANAGE_GUILD = 1n << 5n;
const noEngine = { handle: async () => [], apology };

const running: (() => Promise<void>)[] = [];
afterEach(async () => {
  while (running.length > 0) await running.pop()!();
});

async function start(withStats: boolean): Promise<{ fake: FakeDiscord; bot: DiscordHandle }> {
  const fake = await FakeDiscord.start();
  running.push(() => fake.close());
  const store = createMemoryInsightStore();
  const now = Date.now();
  await fillStore(store, now);
  await fillEvents(store, now);
  const bot = await startDiscord({
    engine: noEngine,
    token: fake.token,
    applicationId: fake.applicationId,
    apiUrl: fake.apiUrl,
    ...(withStats
      ? { adminStats: adminStatsSource(store, shippedKnowledge().lexicon, () => now) }
      : {}),
  });
  running.push(() => bot.stop());
  return { fake, bot };
}

describe("/knee-admin stats on Discord", () => {
  it("is registered for servers only, for members with Manage Server", async () => {
    const fake = await FakeDiscord.start();
    running.push(() => fake.close());
    await deployCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
    });
    const admin = fake.deployments[0]!.commands.find((c) => c.name === "knee-admin");
    expect(admin).toBeDefined();
    expect(admin!.default_member_permissions).toBe(String(MANAGE_GUILD));
    expect(admin!.contexts).toEqual([0]);
    expect(admin!.options).toMatchObject([{ name: "stats", type: 1 }]);
  });

  it("gives a member with Manage Server the week's numbers, only to them", async () => {
    const { fake } = await start(true);
    const organiser = fake.addUser("organiser");
    const state = fake.slashCommand(organiser, "knee-admin", {
      subcommand: "stats",
      permissions: String(MEMBER | MANAGE_GUILD),
    });
    const sent = await fake.waitFor("the stats", () =>
      fake.sent.find((s) => s.interactionId === state.id && s.content.includes("last 7 days")),
    );
    expect(sent.ephemeral).toBe(true);
    expect(sent.content).toMatch(/Questions: \d+ \(\d+ answered, \d+ not\)/);
    expect(sent.content).toMatch(/Knee checks: [1-9]\d*/);
    // The biggest cluster of the week is listed with its count; the two-question one is not.
    expect(FIXTURE_TOPICS.epsom.some((q) => sent.content.includes(`× "${q}"`))).toBe(true);
    for (const q of FIXTURE_TOPICS.sauna) expect(sent.content).not.toContain(q);
    expect(sent.content).toContain("npm run report");
    // Nothing else went to the channel.
    expect(fake.sent.every((s) => s.ephemeral)).toBe(true);
  });

  it("refuses a member without Manage Server, even if the server shows them the command", async () => {
    const { fake } = await start(true);
    const runner = fake.addUser("runner");
    const state = fake.slashCommand(runner, "knee-admin", {
      subcommand: "stats",
      permissions: String(MEMBER),
    });
    const sent = await fake.waitFor("the refusal", () =>
      fake.sent.find((s) => s.interactionId === state.id),
    );
    expect(sent.ephemeral).toBe(true);
    expect(sent.content).toBe(ADMIN_TEXT.refused);
    expect(fake.sent.some((s) => s.content.includes("last 7 days"))).toBe(false);
  });

  it("says so when the bot was started without a summary", async () => {
    const { fake } = await start(false);
    const organiser = fake.addUser("organiser");
    const state = fake.slashCommand(organiser, "knee-admin", {
      subcommand: "stats",
      permissions: String(MEMBER | MANAGE_GUILD),
    });
    const sent = await fake.waitFor("the notice", () =>
      fake.sent.find((s) => s.interactionId === state.id),
    );
    expect(sent.ephemeral).toBe(true);
    expect(sent.content).toBe(ADMIN_TEXT.unavailable);
  });
});
