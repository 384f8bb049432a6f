import { describe, expect, test } from "vitest";
import { TEXT } from "../../adapters/discord/render.ts";
import type { Reply, Turn } from "../../src/types.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { customIds, startHarness } from "./harness.ts";
import { ANSWER, CHECKLIST, triageScript, WHERE } from "./scripts.ts";

/** Typed text starts the checklist (a personal question). */
const personalScript = (turn: Turn): Reply[] =>
  turn.type === "text" ? [CHECKLIST] : triageScript(turn);

describe("mentions and DMs (real discord.js against the fake)", () => {
  test("a mention in a server is answered as a reply, with the mention stripped", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const ann = fake.addUser("ann");
    const asked = fake.userMessage(ann, `<@${fake.bot.id}> why does my knee click?`, {
      mentionBot: true,
    });
    const reply = await fake.waitFor("reply", () => fake.sent[0]);
    expect(reply).toMatchObject({
      via: "channel",
      channelId: fake.guild.channelId,
      referenceId: asked.id,
      content: ANSWER.text,
      allowedMentions: { parse: [] },
    });
    expect(engine.turns).toEqual([
      {
        platform: "discord",
        userId: ann.id,
        place: { kind: "channel", id: fake.guild.channelId },
        mentioned: true,
        type: "text",
        text: "why does my knee click?",
      },
    ]);
  });

  test("server messages that don't mention the bot are ignored (their content is blank)", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const ben = fake.addUser("ben");
    fake.userMessage(ben, "my knee hurts after long runs");
    fake.userMessage(ben, `<@${fake.bot.id}>`, { mentionBot: true });
    await fake.waitFor("reply to the bare mention", () => fake.sent[0]);
    // Only the mention reached the engine; a bare mention means "start".
    expect(engine.turns).toHaveLength(1);
    expect(engine.turns[0]).toMatchObject({ type: "command", command: "start" });
  });

  test("a personal answer to a mention goes by DM; the public reply stays generic", async () => {
    const engine = new ScriptedEngine(personalScript);
    const { fake } = await startHarness(engine);
    const cat = fake.addUser("cat");
    fake.userMessage(cat, `<@${fake.bot.id}> check my knee`, { mentionBot: true });
    const pub = await fake.waitFor("public", () =>
      fake.sent.find((s) => s.channelId === fake.guild.channelId),
    );
    const dm = fake.sent.find((s) => s.dmUserId === cat.id)!;
    expect(pub.content).toBe(TEXT.mentionPrivate);
    expect(pub.components).toEqual([]);
    expect(dm.content).toBe(CHECKLIST.text);
    expect(customIds(dm.components)).toEqual(["s1:redflags:v1"]);
    // The checklist answered in the DM carries on there.
    fake.select(cat, dm.messageId, "s1:redflags:v1", ["none"]);
    const next = await fake.waitFor("next", () => fake.sent.find((s) => s.via === "followup"));
    expect(next).toMatchObject({ content: WHERE.text, dmUserId: cat.id, ephemeral: false });
  });

  test("a personal answer to a mention from a user with closed DMs stays generic, no crash", async () => {
    const engine = new ScriptedEngine(personalScript);
    const { fake, logs } = await startHarness(engine);
    const dan = fake.addUser("dan", { closedDms: true });
    fake.userMessage(dan, `<@${fake.bot.id}> check my knee`, { mentionBot: true });
    const pub = await fake.waitFor("public", () => fake.sent[0]);
    expect(pub.content).toBe(TEXT.mentionDmClosed);
    expect(fake.sent).toHaveLength(1);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
  });

  test("the whole conversation works in DMs by typing and clicking", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake } = await startHarness(engine);
    const eve = fake.addUser("eve");
    fake.userMessage(eve, "does ice help?", { dm: true });
    const answer = await fake.waitFor("answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ content: ANSWER.text, dmUserId: eve.id, components: [] });
    expect(engine.turns[0]).toMatchObject({
      type: "text",
      text: "does ice help?",
      place: { kind: "dm" },
    });
  });

  test("hostile text can't ping anyone: allowed_mentions parse is empty on every message", async () => {
    const hostile = "@everyone @here <@&123456789012345678> look at this";
    const echo = (text: string, visibility: Reply["visibility"]): Reply[] => [
      { kind: "answer", text: `You said: ${text}`, visibility },
    ];
    const engine = new ScriptedEngine((turn) => {
      if (turn.type === "text") return echo(turn.text, "public");
      if (turn.type === "command" && turn.args) return echo(turn.args, "public");
      if (turn.type === "command") return [{ ...WHERE, text: `${hostile} ${WHERE.text}` }];
      return echo(hostile, "private");
    });
    const { fake } = await startHarness(engine);
    const fay = fake.addUser("fay");
    const victim = fake.addUser("victim");
    const text = `${hostile} <@${victim.id}>`;
    fake.userMessage(fay, `<@${fake.bot.id}> ${text}`, { mentionBot: true });
    fake.userMessage(fay, text, { dm: true });
    fake.slashCommand(fay, "ask", { options: { question: text } });
    await fake.waitFor("three answers", () => fake.sent.length >= 3);
    fake.slashCommand(fay, "knee");
    const q = await fake.waitFor("question", () =>
      fake.sent.find((s) => s.content.includes(WHERE.text)),
    );
    fake.click(fay, q.messageId, "s1:where:v1#front");
    await fake.waitFor("follow-up", () => fake.sent.find((s) => s.via === "followup"));
    expect(fake.sent.length).toBeGreaterThanOrEqual(6);
    for (const s of fake.sent) {
      expect(s.allowedMentions).toEqual({ parse: [] });
      expect(s.pings).toEqual([]);
    }
    // The hostile text did reach Discord: allowed_mentions is what kept it silent.
    expect(fake.sent.some((s) => s.content.includes(`<@${victim.id}>`))).toBe(true);
  });
});
