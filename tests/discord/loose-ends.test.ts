import { describe, expect, test } from "vitest";
import { SEND_PRIVATELY_ID, TEXT } from "../../adapters/discord/render.ts";
import type { Reply } from "../../src/index.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { customIds, startHarness } from "./harness.ts";
import { ANSWER, triageScript } from "./scripts.ts";

/** A public answer too long for one Discord message (three paragraphs of ~900 characters). */
const LONG: Reply = {
  kind: "answer",
  text: ["first", "second", "third"]
    .map((w) => `The ${w} part. ${"Ease off the hills for a while. ".repeat(28)}`.trim())
    .join("\n\n"),
  visibility: "public",
};

describe("loose ends of the Discord adapter (real discord.js against the fake)", () => {
  test("'Send me this privately' on a split answer DMs every part, in order", async () => {
    const engine = new ScriptedEngine((turn) =>
      turn.type === "command" && turn.command === "ask" ? [LONG] : triageScript(turn),
    );
    const { fake } = await startHarness(engine);
    const ann = fake.addUser("ann");
    fake.slashCommand(ann, "ask", { options: { question: "how long should I rest?" } });
    const parts = await fake.waitFor("both parts", () => {
      const pub = fake.sent.filter((s) => s.channelId === fake.guild.channelId);
      return pub.length >= 2 && pub;
    });
    expect(parts.map((p) => p.ephemeral)).toEqual([false, false]);
    expect(parts.map((p) => p.content).join("\n\n")).toBe(LONG.text);
    const [buttonId] = customIds(parts[1]!.components);
    // The last part's button names the first part.
    expect(buttonId).toBe(`${SEND_PRIVATELY_ID}:${parts[0]!.messageId}`);

    fake.click(ann, parts[1]!.messageId, buttonId!);
    await fake.waitFor("the ack", () => fake.sent.find((s) => s.content === TEXT.sentPrivately));
    const dms = fake.sent.filter((s) => s.dmUserId === ann.id);
    expect(dms.map((d) => d.content)).toEqual(parts.map((p) => p.content));
    expect(dms.every((d) => d.components.length === 0)).toBe(true);
    expect(fake.errors).toEqual([]);
  });

  test("a split answer to a mention links its parts too", async () => {
    const engine = new ScriptedEngine(() => [LONG]);
    const { fake } = await startHarness(engine);
    const ben = fake.addUser("ben");
    const asked = fake.userMessage(ben, `<@${fake.bot.id}> how long should I rest?`, {
      mentionBot: true,
    });
    const parts = await fake.waitFor("both parts", () => fake.sent.length >= 2 && fake.sent);
    expect(parts[0]!.referenceId).toBe(asked.id);
    expect(customIds(parts[1]!.components)).toEqual([
      `${SEND_PRIVATELY_ID}:${parts[0]!.messageId}`,
    ]);
    fake.click(ben, parts[1]!.messageId, customIds(parts[1]!.components)[0]!);
    await fake.waitFor("the ack", () => fake.sent.find((s) => s.content === TEXT.sentPrivately));
    const dms = fake.sent.filter((s) => s.dmUserId === ben.id).map((d) => d.content);
    expect(dms).toEqual([parts[0]!.content, parts[1]!.content]);
  });

  test("a mention of the bot's managed role is answered like a mention of the bot", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const cat = fake.addUser("cat");
    const asked = fake.userMessage(cat, `<@&${fake.botRoleId}> why does my knee click?`, {
      mentionRole: true,
    });
    const reply = await fake.waitFor("the reply", () => fake.sent[0]);
    expect(reply).toMatchObject({ content: ANSWER.text, referenceId: asked.id });
    expect(engine.turns).toEqual([
      {
        platform: "discord",
        userId: cat.id,
        place: { kind: "channel", id: fake.guild.channelId },
        mentioned: true,
        type: "text",
        text: "why does my knee click?",
      },
    ]);
  });

  test("a mention of some other role is not for the bot", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const dan = fake.addUser("dan");
    fake.userMessage(dan, "<@&123456789012345678> anyone running tonight?");
    fake.userMessage(dan, `<@${fake.bot.id}>`, { mentionBot: true });
    await fake.waitFor("the bare mention's reply", () => fake.sent[0]);
    expect(engine.turns).toHaveLength(1);
    expect(engine.turns[0]).toMatchObject({ type: "command", command: "start" });
  });

  test("a DM whose answer is slow shows 'kneebot is typing…' first", async () => {
    const engine = new ScriptedEngine(triageScript);
    // Typing as soon as the engine hasn't answered at once; the engine is held until then.
    const { fake } = await startHarness(engine, { adapter: { typingAfterMs: 0 } });
    const eve = fake.addUser("eve");
    engine.hold();
    fake.userMessage(eve, "does ice help?", { dm: true });
    await engine.started();
    const dm = fake.dmChannelFor(eve.id);
    await fake.waitFor("typing", () => fake.typing.includes(dm.id));
    expect(fake.sent).toEqual([]);
    engine.release();
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ dmUserId: eve.id, content: ANSWER.text });
    expect(fake.typing).toEqual([dm.id]);
  });

  test("a quick DM answer shows no typing", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine, { adapter: { typingAfterMs: 60_000 } });
    const fay = fake.addUser("fay");
    fake.userMessage(fay, "does ice help?", { dm: true });
    await fake.waitFor("the answer", () => fake.sent[0]);
    expect(fake.typing).toEqual([]);
  });
});
