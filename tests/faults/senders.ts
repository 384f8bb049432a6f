/**
 * The real platform senders (discord.js REST, Slack WebClient) pointed at the fakes, without a
 * gateway or socket: what a delivery process needs, and no more.
 */
import { Client, ClientUser, Routes } from "discord.js";
import { createDiscordSender } from "../../adapters/discord/direct.ts";
import { createSlackDirectSender } from "../../adapters/slack/send-direct.ts";
import type { DirectSender } from "../../src/followups/types.ts";

/** Where the fakes listen. */
export interface FakeUrls {
  discordApi: string;
  discordToken: string;
  slackApi: string;
}

/** A DirectSender routing by platform to the real Discord and Slack senders. */
export async function realSenders(
  urls: FakeUrls,
): Promise<{ send: DirectSender; close(): Promise<void> }> {
  const client = new Client({ intents: [], rest: { api: urls.discordApi } });
  client.rest.setToken(urls.discordToken);
  // No gateway login: the bot's own user comes from REST (createDM needs it).
  const me = await client.rest.get(Routes.user());
  const Ctor = ClientUser as unknown as new (c: Client, data: unknown) => ClientUser;
  client.user = new Ctor(client, me);
  const discord = createDiscordSender(client);
  const slack = createSlackDirectSender({ botToken: "xoxb-test-token", apiUrl: urls.slackApi });
  return {
    send: (platform, userId, replies, delivery) =>
      platform === "discord"
        ? discord(platform, userId, replies, delivery)
        : slack(platform, userId, replies, delivery),
    async close() {
      await client.destroy();
    },
  };
}
