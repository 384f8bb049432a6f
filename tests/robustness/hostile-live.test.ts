/**
 * The hostile-input corpus end to end: the real engine behind the real discord.js client and
 * the real Bolt app, against the local fakes of Discord and Slack. What the fakes record is what
 * the platforms would receive: every Discord message carries allowed_mentions with nothing to
 * parse and pings nobody; every Slack message passes the Block Kit checks and its mrkdwn holds
 * no control sequence (`<!…>`, `<@…>`, `<#…>`) that could come from a user.
 */
import { describe, expect, it } from "vitest";
import { MAX_QUESTION_CHARS } from "../../adapters/discord/commands/ask.ts";
import { slackTextToPlain } from "../../adapters/slack/parse.ts";
import { createEngine } from "../../src/engine.ts";
import type { Engine } from "../../src/engine-api.ts";
import type { Turn } from "../../src/types.ts";
import { startHarness as startDiscord } from "../discord/harness.ts";
import { startHarness as startSlack } from "../helpers/fake-slack/harness.ts";
import {
  dmEvent,
  eventCallback,
  mentionEvent,
  nextId,
  slashCommand,
} from "../helpers/fake-slack/payloads.ts";
import { FAKE_BOT } from "../helpers/fake-slack/server.ts";
import { seededRandom, shippedKnowledge } from "../helpers/knowledge.ts";
import { HOSTILE_CORPUS } from "./hostile-corpus.ts";
import { mrkdwnTexts } from "./limits.ts";

/** The real engine, counting the turns it has finished. */
function countingEngine(): Engine & { done: number; turns: Turn[] } {
  const real = createEngine({ knowledge: shippedKnowledge(), random: seededRandom(5) });
  const spy = {
    done: 0,
    turns: [] as Turn[],
    async handle(turn: Turn) {
      spy.turns.push(turn);
      try {
        return await real.handle(turn);
      } finally {
        spy.done += 1;
      }
    },
    apology: () => real.apology(),
  };
  return spy;
}

/** Discord takes at most 4,000 characters in a message (with Nitro); the fake takes more. */
const DISCORD_MESSAGE_CHARS = 4000;

describe("hostile input end to end", () => {
  it("through discord.js and the fake Discord: DMs, mentions and /ask", async () => {
    const engine = countingEngine();
    const { fake, logs } = await startDiscord(engine);
    const runner = fake.addUser("runner");
    let expected = 0;
    const settled = async (what: string) => {
      await fake.waitFor(what, () => engine.done >= expected, 10_000);
    };
    for (const { name, text } of HOSTILE_CORPUS) {
      const said = text.slice(0, DISCORD_MESSAGE_CHARS);
      if (said.trim()) {
        fake.userMessage(runner, said, { dm: true });
        expected += 1;
        await settled(`DM: ${name}`);
      }
      fake.userMessage(runner, `<@${fake.bot.id}> ${said}`, { mentionBot: true });
      expected += 1;
      await settled(`mention: ${name}`);
      const question = text.slice(0, MAX_QUESTION_CHARS);
      if (question.trim()) {
        fake.slashCommand(runner, "ask", { options: { question } });
        expected += 1;
        await settled(`/ask: ${name}`);
      }
    }
    // Let the last replies reach the fake.
    await new Promise((r) => setTimeout(r, 300));
    expect(fake.sent.length).toBeGreaterThan(HOSTILE_CORPUS.length);
    for (const s of fake.sent) {
      expect(s.allowedMentions).toEqual({ parse: [] });
      expect(s.pings).toEqual([]);
      expect(s.content.length).toBeLessThanOrEqual(2000);
    }
    expect(fake.errors).toEqual([]);
    expect(logs.filter((l) => l.level === "error")).toEqual([]);
  }, 120_000);

  it("through Bolt and the fake Slack: DMs, mentions and /knee", async () => {
    const engine = countingEngine();
    const h = await startSlack("socket", engine);
    try {
      h.fake.users.set("U0RUNNER", { tz: "Europe/London" });
      let expected = 0;
      const settled = () => h.logged("slack turn handled", expected);
      for (const { text } of HOSTILE_CORPUS) {
        const dm = eventCallback(dmEvent("U0RUNNER", text));
        await h.fake.sendEnvelope({ envelope_id: nextId("env-"), type: "events_api", payload: dm });
        // The adapter drops a DM whose text is blank once Slack markup is removed.
        if (slackTextToPlain(text, FAKE_BOT.userId)) {
          expected += 1;
          await settled();
        }
        const mention = mentionEvent("U0RUNNER", "C0GENERAL", `<@${FAKE_BOT.userId}> ${text}`);
        await h.fake.sendEnvelope({
          envelope_id: nextId("env-"),
          type: "events_api",
          payload: eventCallback(mention),
        });
        expected += 1;
        await settled();
        const command = slashCommand(
          "U0RUNNER",
          "C0GENERAL",
          text,
          h.fake.responseUrl(nextId("r")),
        );
        await h.fake.sendEnvelope({
          envelope_id: nextId("env-"),
          type: "slash_commands",
          payload: command,
        });
        expected += 1;
        await settled();
      }
      expect(h.logs.filter((l) => l.level === "error")).toEqual([]);
      const messages = [
        ...h.fake.calls().map((c) => ({ ok: c.ok, error: c.error, body: c.args, what: c.method })),
        ...h.fake
          .responses()
          .map((r) => ({ ok: r.ok, error: undefined, body: r.body, what: "response_url" })),
      ].filter((m) => "blocks" in m.body || "text" in m.body);
      expect(messages.length).toBeGreaterThan(HOSTILE_CORPUS.length);
      for (const m of messages) {
        expect(m, `${m.what} refused: ${m.error}`).toMatchObject({ ok: true });
        const texts = mrkdwnTexts({
          text: String(m.body.text ?? ""),
          blocks: (m.body.blocks ?? []) as never,
        });
        for (const t of texts) expect(t).not.toMatch(/<[!@#]/);
      }
    } finally {
      await h.close();
    }
  }, 120_000);
});
