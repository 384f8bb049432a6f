/** The fake enforces Discord's rules, so adapter bugs can't hide behind a lenient fake. */
import { Client, GatewayIntentBits } from "discord.js";
import { afterEach, describe, expect, test } from "vitest";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";
import { pingsOf } from "../helpers/fake-discord/validate.ts";

let fake: FakeDiscord | undefined;
afterEach(async () => {
  await fake?.close();
});

async function post(
  path: string,
  body: unknown,
  auth = true,
): Promise<{ status: number; code?: number }> {
  const res = await fetch(`${fake!.apiUrl}/v10${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(auth ? { authorization: `Bot ${fake!.token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = res.status === 204 ? {} : ((await res.json()) as { code?: number });
  return { status: res.status, ...(json.code !== undefined ? { code: json.code } : {}) };
}

const button = (id: string, label = "ok") => ({ type: 2, style: 1, custom_id: id, label });
const row = (...components: unknown[]) => ({ type: 1, components });

describe("fake Discord rules", () => {
  test("message limits: content, rows, buttons, options, custom_id, label, empty", async () => {
    fake = await FakeDiscord.start();
    const ch = `/channels/${fake.guild.channelId}/messages`;
    expect(await post(ch, { content: "x".repeat(2000) })).toMatchObject({ status: 200 });
    expect(await post(ch, { content: "x".repeat(2001) })).toMatchObject({ code: 50035 });
    const six = Array.from({ length: 6 }, (_, i) => row(button(`b${i}`)));
    expect(await post(ch, { content: "x", components: six })).toMatchObject({ code: 50035 });
    const sixButtons = row(...Array.from({ length: 6 }, (_, i) => button(`b${i}`)));
    expect(await post(ch, { content: "x", components: [sixButtons] })).toMatchObject({
      code: 50035,
    });
    const options = Array.from({ length: 26 }, (_, i) => ({ label: `o${i}`, value: `o${i}` }));
    const select = { type: 3, custom_id: "s", options, min_values: 1, max_values: 1 };
    expect(await post(ch, { content: "x", components: [row(select)] })).toMatchObject({
      code: 50035,
    });
    expect(
      await post(ch, { content: "x", components: [row(button("i".repeat(101)))] }),
    ).toMatchObject({
      code: 50035,
    });
    expect(
      await post(ch, { content: "x", components: [row(button("b", "l".repeat(81)))] }),
    ).toMatchObject({
      code: 50035,
    });
    expect(
      await post(ch, { content: "x", components: [row(button("b"), button("b"))] }),
    ).toMatchObject({
      code: 50035,
    });
    expect(await post(ch, { content: "" })).toMatchObject({ code: 50006 });
    expect(await post(ch, { content: "x" }, false)).toMatchObject({ status: 401 });
  });

  test("closed DMs fail with 50007", async () => {
    fake = await FakeDiscord.start();
    const user = fake.addUser("shy", { closedDms: true });
    const dm = fake.dmChannelFor(user.id);
    expect(await post(`/channels/${dm.id}/messages`, { content: "hi" })).toMatchObject({
      code: 50007,
    });
  });

  test("opening a DM with nobody fails with 50033; faults answer instead of the route", async () => {
    fake = await FakeDiscord.start();
    expect(await post("/users/@me/channels", { recipient_id: "123456789012345678" })).toMatchObject(
      { status: 400, code: 50033 },
    );
    const user = fake.addUser("ann");
    fake.addFault({ route: /^POST \/users\/@me\/channels$/, status: 503, times: 1 });
    expect(await post("/users/@me/channels", { recipient_id: user.id })).toMatchObject({
      status: 503,
    });
    expect(await post("/users/@me/channels", { recipient_id: user.id })).toMatchObject({
      status: 200,
    });
    expect(fake.faulted).toEqual(["POST /users/@me/channels"]);
  });

  test("interactions: 10062 after the window, 40060 on a second acknowledgement", async () => {
    fake = await FakeDiscord.start({ interactionWindowMs: 1000 });
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    await client.login(fake.token);
    try {
      const user = fake.addUser("u");
      const first = fake.slashCommand(user, "knee");
      const cb = (s: { id: string; token: string }) => `/interactions/${s.id}/${s.token}/callback`;
      expect(await post(cb(first), { type: 4, data: { content: "hi" } })).toMatchObject({
        status: 204,
      });
      expect(await post(cb(first), { type: 4, data: { content: "again" } })).toMatchObject({
        code: 40060,
      });
      const late = fake.slashCommand(user, "knee");
      await new Promise((r) => setTimeout(r, 1100));
      expect(await post(cb(late), { type: 5 })).toMatchObject({ code: 10062 });
      // Follow-ups need an acknowledged interaction.
      expect(
        await post(`/webhooks/${fake.applicationId}/${late.token}`, { content: "x" }),
      ).toMatchObject({
        code: 10015,
      });
    } finally {
      await client.destroy();
    }
  });

  test("privileged intents are refused like Discord does (close 4014)", async () => {
    fake = await FakeDiscord.start();
    const client = new Client({
      intents: [GatewayIntentBits.Guilds, GatewayIntentBits.MessageContent],
      rest: { api: fake.apiUrl },
    });
    try {
      await expect(client.login(fake.token)).rejects.toThrow();
    } finally {
      await client.destroy();
    }
    expect(fake.sessions).toBe(0);
  });

  test("GUILD_CREATE after login reaches the client's cache", async () => {
    fake = await FakeDiscord.start();
    const client = new Client({ intents: [GatewayIntentBits.Guilds], rest: { api: fake.apiUrl } });
    try {
      await client.login(fake.token);
      expect(client.guilds.cache.has(fake.guild.id)).toBe(true);
      const club = fake.addGuild("Trail runners");
      await fake.waitFor("guild cached", () => client.guilds.cache.get(club.id));
      expect(client.channels.cache.has(club.channelId)).toBe(true);
    } finally {
      await client.destroy();
    }
  });

  test("pings: every mention pings without allowed_mentions, none with parse []", () => {
    const text = "@everyone hi <@123456789012345678> <@&223456789012345678>";
    expect(pingsOf(text, undefined)).toEqual([
      "@everyone",
      "123456789012345678",
      "&223456789012345678",
    ]);
    expect(pingsOf(text, { parse: [] })).toEqual([]);
    expect(pingsOf(text, { parse: ["users"] })).toEqual(["123456789012345678"]);
  });
});
