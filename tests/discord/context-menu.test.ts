import { afterEach, describe, expect, test } from "vitest";
import { MENU_TEXT, POST_IN_THREAD_PREFIX } from "../../adapters/discord/context-menu.ts";
import { deployCommands } from "../../adapters/discord/deploy.ts";
import { CONTINUE_IN_DM_ID } from "../../adapters/discord/render.ts";
import type { Reply, Turn } from "../../src/index.ts";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { customIds, startHarness } from "./harness.ts";
import { ANSWER, CHECKLIST, triageScript } from "./scripts.ts";

const FOLLOWUPS: Reply = {
  kind: "info",
  text: "Your check-ins: Thursday 18:00 (knee pain after hills).",
  visibility: "private",
};

/** Answers a question with the FAQ answer, a "my knee" question with the (personal) checklist. */
function script(turn: Turn): Reply[] {
  if (turn.type === "command" && turn.command === "ask") {
    return turn.args?.includes("my knee")
      ? [CHECKLIST]
      : triageScript({ ...turn, type: "text", text: turn.args ?? "" });
  }
  if (turn.type === "command" && turn.command === "followups") return [FOLLOWUPS];
  return triageScript(turn);
}

describe("context menus (real discord.js against the fake)", () => {
  test("Ask kneebot answers the message privately; Post in thread shares it on the message", async () => {
    const engine = new ScriptedEngine(script);
    const { fake } = await startHarness(engine);
    const ann = fake.addUser("ann");
    const ben = fake.addUser("ben");
    const post = fake.userMessage(ann, "why does a knee click when you run?");
    expect(post.content).toBe(""); // the bot can't read it unaided
    fake.messageCommand(ben, "Ask kneebot", post);
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(engine.turns).toEqual([
      {
        platform: "discord",
        userId: ben.id,
        place: { kind: "channel", id: fake.guild.channelId },
        type: "command",
        command: "ask",
        args: "why does a knee click when you run?",
      },
    ]);
    expect(answer).toMatchObject({ via: "reply", ephemeral: true, content: ANSWER.text });
    expect(customIds(answer.components)).toEqual([`${POST_IN_THREAD_PREFIX}${post.id}`]);

    fake.click(ben, answer.messageId, `${POST_IN_THREAD_PREFIX}${post.id}`);
    const shared = await fake.waitFor("the thread post", () =>
      fake.sent.find((s) => s.channelId === post.id),
    );
    expect(fake.channels.get(post.id)).toMatchObject({
      type: 11,
      parentId: fake.guild.channelId,
      ownerId: fake.bot.id,
      name: "why does a knee click when you run?",
    });
    expect(shared).toMatchObject({ via: "channel", ephemeral: false, content: ANSWER.text });
    const note = await fake.waitFor("the note", () => fake.sent.find((s) => s.via === "followup"));
    expect(note).toMatchObject({ ephemeral: true, content: MENU_TEXT.posted(`<#${post.id}>`) });
    const edited = fake.sent.find((s) => s.via === "edit-original")!;
    expect(edited.messageId).toBe(answer.messageId);
    expect(edited.components).toEqual([]);
    expect(fake.errors).toEqual([]);
  });

  test("Post in thread uses the thread a message already has", async () => {
    const engine = new ScriptedEngine(script);
    const { fake } = await startHarness(engine);
    const cat = fake.addUser("cat");
    const post = fake.userMessage(cat, "is it fine to run on a sore knee?");
    fake.startThread(fake.guild.channelId, cat, "sore knees", post.id);
    fake.messageCommand(cat, "Ask kneebot", post);
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    fake.click(cat, answer.messageId, `${POST_IN_THREAD_PREFIX}${post.id}`);
    const shared = await fake.waitFor("the thread post", () =>
      fake.sent.find((s) => s.channelId === post.id),
    );
    expect(shared.content).toBe(ANSWER.text);
    expect(fake.channels.get(post.id)?.ownerId).toBe(cat.id);
    expect(fake.errors.map((e) => (e.body as { code?: number }).code)).toEqual([160004]);
  });

  test("a personal answer stays private and can't be posted in a thread", async () => {
    const engine = new ScriptedEngine(script);
    const { fake } = await startHarness(engine);
    const dan = fake.addUser("dan");
    const post = fake.userMessage(dan, "my knee hurts going downstairs");
    fake.messageCommand(dan, "Ask kneebot", post);
    const answer = await fake.waitFor("the answer", () => fake.sent[0]);
    expect(answer).toMatchObject({ ephemeral: true, content: CHECKLIST.text });
    expect(customIds(answer.components)).toEqual(["s1:redflags:v1", CONTINUE_IN_DM_ID]);
    expect([...fake.channels.values()].some((c) => c.type === 11)).toBe(false);
  });

  test("Check in on my knee lists the follow-ups of the member who ran it, privately", async () => {
    const engine = new ScriptedEngine(script);
    const { fake } = await startHarness(engine);
    const eve = fake.addUser("eve");
    const fay = fake.addUser("fay");
    fake.userCommand(eve, "Check in on my knee", fay);
    const list = await fake.waitFor("the list", () => fake.sent[0]);
    expect(list).toMatchObject({ via: "reply", ephemeral: true, content: FOLLOWUPS.text });
    expect(engine.turns).toEqual([
      {
        platform: "discord",
        userId: eve.id,
        place: { kind: "channel", id: fake.guild.channelId },
        type: "command",
        command: "followups",
      },
    ]);
  });
});

describe("deploy registers the context menus", () => {
  let fake: FakeDiscord | undefined;
  afterEach(async () => {
    await fake?.close();
  });

  test("a message command and a user command, in servers and the bot's DMs", async () => {
    fake = await FakeDiscord.start();
    const result = await deployCommands({
      token: fake.token,
      applicationId: fake.applicationId,
      apiUrl: fake.apiUrl,
    });
    expect(result.menus).toEqual(["Ask kneebot", "Check in on my knee"]);
    const registered = fake.deployments[0]!.commands;
    expect(registered.find((c) => c.name === "Ask kneebot")).toMatchObject({
      type: 3,
      contexts: [0, 1],
    });
    expect(registered.find((c) => c.name === "Check in on my knee")).toMatchObject({
      type: 2,
      contexts: [0, 1],
    });
    // Context menus have no description (Discord refuses one).
    for (const c of registered.filter((c) => c.type !== 1 && c.type !== undefined)) {
      expect(c.description ?? "").toBe("");
    }
  });
});
