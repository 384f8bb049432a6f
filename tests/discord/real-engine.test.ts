/** End to end: the real engine and knowledge, the real discord.js client, the fake Discord. */
import { beforeAll, describe, expect, test } from "vitest";
import { CONTINUE_IN_DM_ID } from "../../adapters/discord/render.ts";
import { encodeButtonId } from "../../src/choice-id.ts";
import { createEngine, type Knowledge, loadKnowledge } from "../../src/index.ts";
import type { Reply } from "../../src/types.ts";
import type { FakeDiscord, FakeUser } from "../helpers/fake-discord/index.ts";
import { SpyEngine } from "../helpers/spy-engine.ts";
import { customIds, startHarness } from "./harness.ts";

let knowledge: Knowledge;
beforeAll(async () => {
  knowledge = await loadKnowledge("knowledge");
});

const words = (s: string) => s.replaceAll("**", "").split(/\s+/).filter(Boolean);

/**
 * Answers each question the way a runner with no red flags would (the "none" of a checklist,
 * the first option otherwise) until the engine gives an outcome; returns that outcome.
 */
async function answerUntilOutcome(
  fake: FakeDiscord,
  spy: SpyEngine,
  user: FakeUser,
): Promise<Reply> {
  let seen = 0;
  for (let step = 0; step < 30; step++) {
    await fake.waitFor("the engine's answer", () => spy.replies.length > seen);
    const replies = spy.replies[seen]!;
    seen += 1;
    const outcome = replies.find((r) => r.kind === "outcome");
    if (outcome) return outcome;
    const set = replies.filter((r) => r.choices).at(-1)?.choices;
    if (!set) throw new Error(`no question in: ${replies.map((r) => r.kind).join(", ")}`);
    const carries = (id: string) => id === set.id || id.startsWith(`${set.id}#`);
    const message = await fake.waitFor("the question's message", () =>
      fake.sent.find((s) => customIds(s.components).some(carries)),
    );
    if (set.mode === "multi")
      fake.select(user, message.messageId, set.id, [set.noneValue ?? set.options[0]!.value]);
    else if (customIds(message.components).includes(set.id)) {
      fake.select(user, message.messageId, set.id, [set.options[0]!.value]);
    } else fake.click(user, message.messageId, encodeButtonId(set.id, set.options[0]!.value));
  }
  throw new Error("no outcome after 30 steps");
}

describe("the real engine through Discord", () => {
  test("a full triage in DMs reaches an outcome, every message in the DM", async () => {
    const spy = new SpyEngine(createEngine({ knowledge }));
    const { fake } = await startHarness(spy);
    const ann = fake.addUser("ann");
    fake.slashCommand(ann, "knee", { dm: true });
    await fake.waitFor("first question", () => spy.replies[0]);
    const first = spy.replies[0]!.find((r) => r.choices)!;
    expect(first.choices!.mode).toBe("multi");

    const outcome = await answerUntilOutcome(fake, spy, ann);
    expect(outcome.meta?.level).toBeTruthy();
    const shown = await fake.waitFor("the outcome in the DM", () => {
      const text = fake.sent.map((s) => s.content).join("\n\n");
      return words(text).join(" ").includes(words(outcome.text).join(" ")) && text;
    });
    expect(shown).toBeTruthy();
    const dm = fake.dmChannelFor(ann.id).id;
    for (const s of fake.sent) {
      expect(s.channelId).toBe(dm);
      expect(s.content.length).toBeLessThanOrEqual(2000);
      expect(s.allowedMentions).toEqual({ parse: [] });
    }
    expect(fake.errors).toEqual([]);
  }, 120_000);

  test("a full triage in DMs by typing alone (numbers for options, 'none' for checklists)", async () => {
    const spy = new SpyEngine(createEngine({ knowledge }));
    const { fake } = await startHarness(spy);
    const dot = fake.addUser("dot");
    fake.userMessage(dot, "check my knee", { dm: true });
    let outcome: Reply | undefined;
    for (let step = 0; step < 30 && !outcome; step++) {
      await fake.waitFor("the engine's answer", () => spy.replies[step]);
      await fake.waitFor("the DM", () => fake.sent.length > step);
      const replies = spy.replies[step]!;
      outcome = replies.find((r) => r.kind === "outcome");
      const set = replies.filter((r) => r.choices).at(-1)?.choices;
      if (!outcome && set) fake.userMessage(dot, set.mode === "multi" ? "none" : "1", { dm: true });
    }
    expect(outcome?.meta?.level).toBeTruthy();
    expect(fake.sent.every((s) => s.dmUserId === dot.id && s.via === "channel")).toBe(true);
    expect(fake.errors).toEqual([]);
  }, 120_000);

  test("/knee in a server stays ephemeral, then continues in DMs to an outcome", async () => {
    const spy = new SpyEngine(createEngine({ knowledge }));
    const { fake } = await startHarness(spy);
    const ben = fake.addUser("ben");
    fake.slashCommand(ben, "knee");
    const first = await fake.waitFor("checklist", () =>
      fake.sent.find((s) => customIds(s.components).includes(CONTINUE_IN_DM_ID)),
    );
    expect(fake.sent.filter((s) => s.guildId).every((s) => s.ephemeral)).toBe(true);
    fake.click(ben, first.messageId, CONTINUE_IN_DM_ID);
    const copy = await fake.waitFor("DM copy", () => fake.sent.find((s) => s.dmUserId === ben.id));
    expect(customIds(copy.components)).not.toContain(CONTINUE_IN_DM_ID);

    // Answer the copied checklist in the DM; the engine (keyed by user) carries on.
    const set = spy.replies[0]!.find((r) => r.choices)!.choices!;
    fake.select(ben, copy.messageId, set.id, [set.noneValue!]);
    spy.replies.splice(0, 1);
    const outcome = await answerUntilOutcome(fake, spy, ben);
    expect(outcome.kind).toBe("outcome");
    const afterMove = fake.sent
      .slice(fake.sent.indexOf(copy))
      .filter((s) => s.messageId !== first.messageId);
    expect(afterMove.every((s) => s.dmUserId === ben.id && !s.ephemeral)).toBe(true);
    expect(fake.errors).toEqual([]);
  }, 120_000);

  test("a mention with a general question gets a public reply to that message", async () => {
    const spy = new SpyEngine(createEngine({ knowledge }));
    const { fake } = await startHarness(spy);
    const cat = fake.addUser("cat");
    const asked = fake.userMessage(cat, `<@${fake.bot.id}> why does my knee click?`, {
      mentionBot: true,
    });
    const reply = await fake.waitFor("reply", () => fake.sent[0]);
    expect(reply).toMatchObject({ channelId: fake.guild.channelId, referenceId: asked.id });
    expect(spy.replies[0]!.some((r) => r.kind === "answer" || r.kind === "did-you-mean")).toBe(
      true,
    );
  });
});
