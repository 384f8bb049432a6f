/** Answers to mentions in busy channels go in a thread on the mention (real discord.js, fake Discord). */
import { describe, expect, test } from "vitest";
import { BUSY_MESSAGES, threadName } from "../../adapters/discord/threads.ts";
import type { FakeDiscord, FakeUser } from "../helpers/fake-discord/index.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { startHarness } from "./harness.ts";
import { ANSWER, triageScript } from "./scripts.ts";

/** Other members chat in the main channel (the bot hears the messages, not their text). */
function chatter(fake: FakeDiscord, n = BUSY_MESSAGES - 1): void {
  const others = [fake.addUser("kim"), fake.addUser("lee")];
  for (let i = 0; i < n; i++) fake.userMessage(others[i % 2]!, "see you at the track");
}

const mention = (fake: FakeDiscord, user: FakeUser) =>
  fake.userMessage(user, `<@${fake.bot.id}> why does my knee click?`, { mentionBot: true });

describe("mentions in busy channels are answered in a thread", () => {
  test("a mention in a busy channel gets its answer in a thread on the mention", async () => {
    const { fake } = await startHarness(new ScriptedEngine(triageScript));
    chatter(fake);
    const asked = mention(fake, fake.addUser("ann"));
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ channelId: asked.id, content: ANSWER.text });
    expect(fake.channels.get(asked.id)).toMatchObject({
      type: 11,
      parentId: fake.guild.channelId,
      ownerId: fake.bot.id,
      name: "why does my knee click?",
    });
  });

  test("a mention in a quiet channel is answered as a reply in the channel", async () => {
    const { fake } = await startHarness(new ScriptedEngine(triageScript));
    chatter(fake, BUSY_MESSAGES - 2);
    const asked = mention(fake, fake.addUser("ben"));
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ channelId: fake.guild.channelId, referenceId: asked.id });
    expect(fake.channels.has(asked.id)).toBe(false);
  });

  test("DISCORD_MENTION_THREADS=false keeps answers in the channel", async () => {
    const { fake } = await startHarness(new ScriptedEngine(triageScript), {
      adapter: { mentionThreads: false },
    });
    chatter(fake);
    const asked = mention(fake, fake.addUser("cat"));
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ channelId: fake.guild.channelId, referenceId: asked.id });
  });

  test("where Discord refuses the thread (no permission), the answer is a reply instead", async () => {
    const { fake, logs } = await startHarness(new ScriptedEngine(triageScript));
    fake.addFault({ route: /\/threads$/, status: 403, code: 50013 });
    chatter(fake);
    const asked = mention(fake, fake.addUser("dan"));
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ channelId: fake.guild.channelId, referenceId: asked.id });
    expect(fake.faulted).toHaveLength(1);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
  });

  test("a mention inside a thread is answered there, as a reply", async () => {
    const { fake } = await startHarness(new ScriptedEngine(triageScript));
    const eve = fake.addUser("eve");
    const thread = fake.startThread(fake.guild.channelId, eve, "long runs");
    if ("code" in thread) throw new Error("no thread");
    chatter(fake);
    const asked = fake.userMessage(eve, `<@${fake.bot.id}> why does my knee click?`, {
      mentionBot: true,
      channelId: thread.id,
    });
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ channelId: thread.id, referenceId: asked.id });
  });

  test("thread names are the question on one line, without mentions, within 100 characters", () => {
    expect(threadName("<@123456789012345678>  why does\nmy knee click?")).toBe(
      "why does my knee click?",
    );
    expect(threadName("<@&123456789012345678>")).toBe("Answer from kneebot");
    expect(threadName("a".repeat(300))).toHaveLength(100);
  });
});
