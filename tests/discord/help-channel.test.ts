/**
 * Help channels (DISCORD_HELP_CHANNELS) through the real discord.js client against the fake
 * Discord, with the real engine: a confident answer in a thread on the message, a private check
 * offered for someone's own knee, silence on small talk and on a question it is unsure of, and
 * messages the adapter never hands to the engine (members' replies to each other, follow-ups in
 * a thread it answered). Only help channels need the MessageContent intent.
 */
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { discordConfigFromEnv } from "../../adapters/discord/config.ts";
import type { DiscordOptions } from "../../adapters/discord/types.ts";
import { type FakeChannel, FakeDiscord } from "../helpers/fake-discord/index.ts";
import { testEngine } from "../helpers/knowledge.ts";
import { SpyEngine } from "../helpers/spy-engine.ts";
import { customIds, type LogEntry, startAdapter } from "./harness.ts";

const MESSAGE_CONTENT = 1 << 15;

let fake: FakeDiscord;
let help: FakeChannel;
let engine: SpyEngine;
let logs: LogEntry[];

/** Starts the adapter with `help` as its help channel (and any other options). */
async function start(extra: Partial<DiscordOptions> = {}): Promise<void> {
  await startAdapter(fake, engine, logs, undefined, { helpChannels: [help.id], ...extra });
}

beforeEach(async () => {
  fake = await FakeDiscord.start({ allowPrivilegedIntents: true });
  help = fake.addChannel("knee-help");
  logs = [];
  const inner = testEngine();
  engine = new SpyEngine(inner);
});
afterEach(async () => {
  await fake.close();
});

/** Texts of the turns the engine has seen. */
const seen = () => engine.turns.map((t) => (t.type === "text" ? t.text : t.type));

describe("a Discord help channel", () => {
  test("asks for MessageContent only when help channels are set", async () => {
    await start();
    expect(fake.identifies.at(-1)!.intents & MESSAGE_CONTENT).toBe(MESSAGE_CONTENT);
    await startAdapter(fake, engine, logs);
    expect(fake.identifies.at(-1)!.intents & MESSAGE_CONTENT).toBe(0);
  });

  test("answers a confident question publicly, in a thread on the message", async () => {
    await start();
    const ann = fake.addUser("ann");
    const asked = fake.userMessage(ann, "should i ice my knee after a run?", {
      channelId: help.id,
    });
    const answer = await fake.waitFor("the answer", () =>
      fake.sent.find((s) => s.channelId === asked.id),
    );
    expect(fake.channels.get(asked.id)).toMatchObject({ type: 11, parentId: help.id });
    expect(answer).toMatchObject({ via: "channel", ephemeral: false });
    expect(answer.content).toMatch(/ice/i);
    expect(engine.replies[0]!.map((r) => r.kind)).toEqual(["answer"]);
    expect(engine.turns[0]).toMatchObject({
      userId: ann.id,
      overheard: true,
      place: { kind: "channel", id: help.id },
    });
    expect(fake.sent).toHaveLength(1);
  });

  test("stays silent on small talk and on a question it is unsure of", async () => {
    await start();
    const ben = fake.addUser("ben");
    const quiet = ["morning all, great run today!", "is the knee thing from last week any better?"];
    for (const text of quiet) fake.userMessage(ben, text, { channelId: help.id });
    await fake.waitFor("both read", () => engine.replies.length >= 2);
    expect(engine.replies).toEqual([[], []]);
    expect(seen()).toEqual(quiet);
    expect(fake.sent).toEqual([]);
    expect([...fake.channels.values()].some((c) => c.type === 11)).toBe(false);
  });

  test("offers someone describing their own knee a private check, started by the button", async () => {
    await start();
    const cat = fake.addUser("cat");
    const told = fake.userMessage(
      cat,
      "my knee has been aching on the outside after my long runs this month",
      { channelId: help.id },
    );
    const offer = await fake.waitFor("the offer", () =>
      fake.sent.find((s) => s.channelId === told.id),
    );
    expect(offer.content).not.toMatch(/outside|long run/i);
    const [button] = customIds(offer.components);
    fake.click(cat, offer.messageId, button!);
    const question = await fake.waitFor("a private question", () =>
      fake.sent.find((s) => s.via === "followup"),
    );
    expect(question.ephemeral).toBe(true);
    expect(engine.replies[1]!.some((r) => r.kind === "question")).toBe(true);
  });

  test("never reads a member's reply to another member", async () => {
    await start();
    const dan = fake.addUser("dan");
    const eve = fake.addUser("eve");
    const first = fake.userMessage(dan, "great session tonight", { channelId: help.id });
    fake.userMessage(eve, "should i ice my knee after a run?", {
      channelId: help.id,
      replyTo: first,
    });
    fake.userMessage(dan, "see you all on sunday", { channelId: help.id });
    // Messages are handled in order: once the last one is read, the reply was skipped.
    await fake.waitFor("the last message read", () => engine.replies.length >= 2);
    expect(seen()).toEqual(["great session tonight", "see you all on sunday"]);
    expect(fake.sent).toEqual([]);
  });

  test("stays silent on follow-ups in a thread it answered, unless mentioned", async () => {
    await start();
    const fay = fake.addUser("fay");
    const asked = fake.userMessage(fay, "should i ice my knee after a run?", {
      channelId: help.id,
    });
    await fake.waitFor("the answer", () => fake.sent.find((s) => s.channelId === asked.id));
    fake.userMessage(fay, "how long should i ice it for?", { channelId: asked.id });
    const mention = fake.userMessage(fay, `<@${fake.bot.id}> does ice help a swollen knee?`, {
      channelId: asked.id,
      mentionBot: true,
    });
    const reply = await fake.waitFor("the mention's reply", () =>
      fake.sent.find((s) => s.referenceId === mention.id),
    );
    expect(reply.channelId).toBe(asked.id);
    expect(seen()).toEqual(["should i ice my knee after a run?", "does ice help a swollen knee?"]);
    expect(engine.turns[1]).toMatchObject({ mentioned: true });
    expect(engine.turns[1]!.overheard).toBeUndefined();
  });

  test("answers in the member's own thread, then leaves that thread's follow-ups alone", async () => {
    await start();
    const gus = fake.addUser("gus");
    const thread = fake.startThread(help.id, gus, "ice?");
    if ("code" in thread) throw new Error("no thread");
    const asked = fake.userMessage(gus, "should i ice my knee after a run?", {
      channelId: thread.id,
    });
    const answer = await fake.waitFor("the answer", () =>
      fake.sent.find((s) => s.channelId === thread.id),
    );
    expect(answer.referenceId).toBe(asked.id);
    fake.userMessage(gus, "is it bad to run with knee pain?", { channelId: thread.id });
    fake.userMessage(gus, "morning all", { channelId: help.id });
    await fake.waitFor("the last message read", () => engine.replies.length >= 2);
    expect(seen()).toEqual(["should i ice my knee after a run?", "morning all"]);
  });
});

describe("DISCORD_HELP_CHANNELS and DISCORD_MENTION_THREADS", () => {
  const base = { DISCORD_TOKEN: "t", DISCORD_APPLICATION_ID: "123456789012345678" };

  test("read as channel ids and a boolean; unset, no help channels and threads on", () => {
    expect(
      discordConfigFromEnv({
        ...base,
        DISCORD_HELP_CHANNELS: " 223456789012345678, 323456789012345678 ",
        DISCORD_MENTION_THREADS: "false",
      }),
    ).toMatchObject({
      helpChannels: ["223456789012345678", "323456789012345678"],
      mentionThreads: false,
    });
    const plain = discordConfigFromEnv({ ...base, DISCORD_HELP_CHANNELS: "" })!;
    expect(plain.helpChannels).toBeUndefined();
    expect(plain.mentionThreads).toBeUndefined();
  });

  test("a channel name or a yes is refused with the variable and the fix", () => {
    expect(() => discordConfigFromEnv({ ...base, DISCORD_HELP_CHANNELS: "#knee-help" })).toThrow(
      /DISCORD_HELP_CHANNELS must be channel ids.*Copy Channel ID/,
    );
    expect(() => discordConfigFromEnv({ ...base, DISCORD_MENTION_THREADS: "yes" })).toThrow(
      /DISCORD_MENTION_THREADS must be true or false/,
    );
  });
});
