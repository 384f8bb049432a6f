/**
 * The privacy contract, over every adapter: a personal reply to a channel turn is never shown
 * in public, whichever way the turn arrived (a mention, a slash command, a click on a shared
 * message, Slack's "Share in channel"). The engine decides (`settleVisibility`); each adapter
 * must carry it out. The scripted engine answers every turn with a general answer and a
 * personal one that a careless engine path marked public, so the test fails if either the
 * core rule or an adapter's delivery lets it through. The general answer must still reach the
 * channel, so a test that saw nothing public would fail too.
 */
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { SHARE_ACTION_ID } from "../../adapters/slack/types.ts";
import { runTerminal } from "../../adapters/terminal/index.ts";
import { encodeButtonId, type Reply, settleVisibility, type Turn } from "../../src/index.ts";
import { customIds, startHarness as startDiscord } from "../discord/harness.ts";
import { chat } from "../helpers/conversation.ts";
import { startHarness as startSlack } from "../helpers/fake-slack/harness.ts";
import {
  blockActions,
  eventCallback,
  mentionEvent,
  slashCommand,
} from "../helpers/fake-slack/payloads.ts";
import type { Record_ } from "../helpers/fake-slack/server.ts";
import { testEngine } from "../helpers/knowledge.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";

const SECRET = "SECRET: that swelling after your long run needs a doctor";
const GENERAL = "GENERAL: knee clicking without pain is usually harmless";
const MENU = "s1:menu:v1";

/** The general answer, and a personal one wrongly marked public; a bare start gets a menu. */
function script(turn: Turn): Reply[] {
  if (turn.type === "command" && turn.command === "start") {
    return [
      {
        kind: "greeting",
        text: "Hi, I'm kneebot.",
        visibility: "public",
        choices: { mode: "single", id: MENU, options: [{ value: "ask", label: "Ask" }] },
      },
    ];
  }
  return [
    { kind: "answer", text: GENERAL, visibility: "public", meta: { faqId: "clicking" } },
    { kind: "answer", text: SECRET, visibility: "public", personal: true },
  ];
}

/** What one way of arriving made visible: to the channel, and to the asking user alone. */
interface Seen {
  publicly: string;
  privately: string;
  turns: Turn[];
}

interface Way {
  way: string;
  /** False where the platform shows this way's answers to the user alone (an ephemeral reply). */
  expectsPublic: boolean;
  run(): Promise<Seen>;
}

// ---- Discord, through the real discord.js against the fake ----

async function discordWay(
  act: (fake: Awaited<ReturnType<typeof startDiscord>>["fake"]) => Promise<void>,
): Promise<Seen> {
  const engine = new ScriptedEngine(script);
  const { fake } = await startDiscord(engine);
  await act(fake);
  const has = (text: string) => fake.sent.some((s) => s.content.includes(text));
  await fake.waitFor("both replies", () => has(SECRET) && has(GENERAL));
  const shown = (pub: boolean) =>
    fake.sent
      .filter((s) => (!s.ephemeral && s.dmUserId === undefined) === pub)
      .map((s) => s.content)
      .join("\n");
  return { publicly: shown(true), privately: shown(false), turns: engine.turns };
}

const discordWays: Way[] = [
  {
    way: "a mention in a channel",
    expectsPublic: true,
    run: () =>
      discordWay(async (fake) => {
        const ann = fake.addUser("ann");
        fake.userMessage(ann, `<@${fake.bot.id}> my knee clicks`, { mentionBot: true });
      }),
  },
  {
    way: "/ask in a channel (a public command)",
    expectsPublic: true,
    run: () =>
      discordWay(async (fake) => {
        fake.slashCommand(fake.addUser("ben"), "ask", { options: { question: "why the click?" } });
      }),
  },
  {
    way: "/knee in a channel (a private command)",
    expectsPublic: false,
    run: () =>
      discordWay(async (fake) => {
        fake.slashCommand(fake.addUser("cat"), "knee");
      }),
  },
  {
    way: "a click on a shared message (answered to the clicker alone)",
    expectsPublic: false,
    run: () =>
      discordWay(async (fake) => {
        const dan = fake.addUser("dan");
        fake.userMessage(dan, `<@${fake.bot.id}>`, { mentionBot: true });
        const menu = await fake.waitFor("the public menu", () =>
          fake.sent.find((s) => customIds(s.components).includes(encodeButtonId(MENU, "ask"))),
        );
        fake.click(fake.addUser("eve"), menu.messageId, encodeButtonId(MENU, "ask"));
      }),
  },
];

// ---- Slack, through the real Bolt app (HTTP receiver) against the fake ----

const HANDLED = "slack turn handled";

async function slackWay(
  act: (h: Awaited<ReturnType<typeof startSlack>>) => Promise<void>,
): Promise<Seen> {
  const engine = new ScriptedEngine(script);
  const h = await startSlack("http", engine);
  try {
    await act(h);
    const text = (r: Record_) => JSON.stringify(r.kind === "response" ? r.body : r);
    const isPublic = (r: Record_) =>
      (r.kind === "api" &&
        ["chat.postMessage", "chat.update"].includes(r.method) &&
        !String(r.args.channel).startsWith("D")) ||
      (r.kind === "response" && r.body.response_type === "in_channel");
    const isPrivate = (r: Record_) =>
      (r.kind === "api" &&
        (r.method === "chat.postEphemeral" ||
          (r.method === "chat.postMessage" && String(r.args.channel).startsWith("D")))) ||
      (r.kind === "response" && r.body.response_type !== "in_channel");
    const shown = (test: (r: Record_) => boolean) =>
      h.fake.timeline.filter(test).map(text).join("\n");
    return { publicly: shown(isPublic), privately: shown(isPrivate), turns: engine.turns };
  } finally {
    await h.close();
  }
}

const slackWays: Way[] = [
  {
    way: "a mention in a channel",
    expectsPublic: true,
    run: () =>
      slackWay(async (h) => {
        await h.postEvent(eventCallback(mentionEvent("U1", "C1", "<@UBOT> my knee clicks")));
        await h.logged(HANDLED);
      }),
  },
  {
    way: "/knee <question> in a channel (ephemeral)",
    expectsPublic: false,
    run: () =>
      slackWay(async (h) => {
        await h.postCommand(slashCommand("U1", "C1", "why the click?", h.fake.responseUrl("a")));
        await h.logged(HANDLED);
      }),
  },
  {
    way: "a click on a shared message in a thread",
    expectsPublic: true,
    run: () =>
      slackWay(async (h) => {
        const click = blockActions({
          user: "U2",
          channel: "C1",
          responseUrl: h.fake.responseUrl("click"),
          message: { ts: "17000.1", text: "Hi" },
          action: {
            type: "button",
            action_id: encodeButtonId(MENU, "ask"),
            block_id: MENU,
            value: "ask",
            text: { type: "plain_text", text: "Ask" },
          },
        });
        await h.postAction(click);
        await h.logged(HANDLED);
      }),
  },
  {
    way: "Share in channel (asks again, shares only what may be public)",
    expectsPublic: true,
    run: () =>
      slackWay(async (h) => {
        const click = blockActions({
          user: "U1",
          channel: "C1",
          ephemeral: true,
          responseUrl: h.fake.responseUrl("share"),
          action: {
            type: "button",
            action_id: SHARE_ACTION_ID,
            block_id: "kneebot-share",
            value: "why the click?",
          },
        });
        await h.postAction(click);
        await h.logged("slack answer shared");
        // Sharing posts the general answer only; asking again shows the personal one privately.
        await h.postCommand(slashCommand("U1", "C1", "why the click?", h.fake.responseUrl("b")));
        await h.logged(HANDLED);
      }),
  },
];

// ---- The terminal: a one-person chat, so every turn it makes is a DM ----

const terminalWays: Way[] = [
  {
    way: "typed text",
    expectsPublic: false,
    run: async () => {
      const engine = new ScriptedEngine(script);
      const input = new PassThrough();
      const output = new PassThrough();
      let out = "";
      output.on("data", (d) => (out += d));
      const done = runTerminal({ engine, input, output, interactive: false });
      input.end("my knee clicks\n");
      await done;
      return { publicly: "", privately: out, turns: engine.turns };
    },
  },
];

describe.each([
  { adapter: "terminal", ways: terminalWays, channel: false },
  { adapter: "discord", ways: discordWays, channel: true },
  { adapter: "slack", ways: slackWays, channel: true },
])("privacy contract: $adapter", ({ ways, channel }) => {
  it.each(ways)("$way: the personal reply is never public", async (w) => {
    const seen = await w.run();
    expect(seen.turns.length).toBeGreaterThan(0);
    for (const turn of seen.turns) expect(turn.place.kind).toBe(channel ? "channel" : "dm");
    expect(seen.publicly).not.toContain(SECRET);
    if (w.expectsPublic) expect(seen.publicly).toContain(GENERAL);
    else expect(seen.privately).toContain(GENERAL);
    expect(seen.privately).toContain(SECRET);
  });
});

describe("privacy contract: the core", () => {
  it("settles every personal reply to a channel turn as private, with the real engine", async () => {
    const place = { kind: "channel", id: "C1" } as const;
    const user = chat(testEngine(), "u1", place);
    const replies = [
      ...(await user.say("my knee has been aching on the inside for weeks")),
      ...(await user.command("triage")),
      ...(await user.click("none")),
      ...(await user.command("ask", "should I run with a swollen knee?")),
    ];
    expect(replies.some((r) => r.personal)).toBe(true);
    for (const r of replies.filter((r) => r.personal)) expect(r.visibility).toBe("private");
  });

  it("makes a personal reply private in a channel, and leaves a DM as it is", () => {
    const reply: Reply = { kind: "answer", text: SECRET, visibility: "public", personal: true };
    const channel = settleVisibility({ place: { kind: "channel", id: "C1" } }, [reply]);
    expect(channel[0]?.visibility).toBe("private");
    expect(settleVisibility({ place: { kind: "dm" } }, [reply])[0]?.visibility).toBe("public");
  });
});
