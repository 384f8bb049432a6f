/**
 * A keyed send is a no-op the second time: Discord through `nonce` + `enforce_nonce` (the fake
 * honours it as Discord does), Slack through message metadata found in the DM's history. The
 * real senders, against the fakes.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Reply } from "../../src/types.ts";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";
import { type FakeSlack, startFakeSlack } from "../helpers/fake-slack/server.ts";
import { realSenders } from "./senders.ts";

const checkIn = (jobId: string): Reply[] => [
  {
    kind: "followup",
    text: "How's your knee today?",
    visibility: "private",
    personal: true,
    choices: {
      mode: "single",
      id: `u.${jobId}`,
      options: [
        { value: "better", label: "Better" },
        { value: "same", label: "Same" },
      ],
    },
  },
];

let discord: FakeDiscord;
let slack: FakeSlack;
let senders: Awaited<ReturnType<typeof realSenders>>;

beforeAll(async () => {
  discord = await FakeDiscord.start();
  slack = await startFakeSlack();
  senders = await realSenders({
    discordApi: discord.apiUrl,
    discordToken: discord.token,
    slackApi: slack.apiUrl,
  });
});
afterAll(async () => {
  await senders.close();
  await discord.close();
  await slack.close();
});

describe("keyed sends", () => {
  it("Discord: the same key twice creates one message; the second send gets the first back", async () => {
    const ann = discord.addUser("ann");
    const key = { key: "f00000000000000a1", resend: false };
    expect(await senders.send("discord", ann.id, checkIn(key.key), key)).toEqual({ type: "sent" });
    const again = { ...key, resend: true };
    expect(await senders.send("discord", ann.id, checkIn(key.key), again)).toEqual({
      type: "sent",
    });
    expect(discord.sent.filter((s) => s.dmUserId === ann.id)).toHaveLength(1);
    expect(discord.nonceHits).toEqual([`${key.key}.0`]);
    // Unkeyed sends are not deduplicated (the fake does not invent idempotency).
    await senders.send("discord", ann.id, checkIn("x"));
    await senders.send("discord", ann.id, checkIn("x"));
    expect(discord.sent.filter((s) => s.dmUserId === ann.id)).toHaveLength(3);
  });

  it("Discord: a nonce without enforce_nonce, or after the window, creates a new message", async () => {
    const bob = discord.addUser("bob");
    const key = { key: "f00000000000000b2", resend: false };
    await senders.send("discord", bob.id, checkIn(key.key), key);
    for (const v of discord.nonces.values()) v.at -= 6 * 60 * 1000;
    await senders.send("discord", bob.id, checkIn(key.key), { ...key, resend: true });
    expect(discord.sent.filter((s) => s.dmUserId === bob.id)).toHaveLength(2);
  });

  it("Slack: a resend finds the message by its metadata and posts nothing", async () => {
    const key = { key: "f00000000000000c3", resend: false };
    expect(await senders.send("slack", "U7", checkIn(key.key), key)).toEqual({ type: "sent" });
    const posts = () => slack.calls("chat.postMessage").filter((c) => c.args.channel === "DU7");
    expect(posts()).toHaveLength(1);
    expect(posts()[0]!.args.metadata).toEqual({
      event_type: "kneebot_delivery",
      event_payload: { key: key.key, part: 0 },
    });
    expect(await senders.send("slack", "U7", checkIn(key.key), { ...key, resend: true })).toEqual({
      type: "sent",
    });
    expect(posts()).toHaveLength(1);
    expect(slack.calls("conversations.history")).toHaveLength(1);
    // A first attempt does not look (no history call), and another key is posted.
    await senders.send("slack", "U7", checkIn("f00000000000000d4"), {
      key: "f00000000000000d4",
      resend: false,
    });
    expect(posts()).toHaveLength(2);
    expect(slack.calls("conversations.history")).toHaveLength(1);
  });

  it("Slack: when the history lookup fails, the resend still goes out (a duplicate beats a loss)", async () => {
    slack.failures.set("conversations.history", "missing_scope");
    const key = { key: "f00000000000000e5", resend: true };
    expect(await senders.send("slack", "U8", checkIn(key.key), key)).toEqual({ type: "sent" });
    slack.failures.delete("conversations.history");
    expect(slack.calls("chat.postMessage").filter((c) => c.args.channel === "DU8")).toHaveLength(1);
  });
});
