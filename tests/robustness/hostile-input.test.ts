/**
 * The hostile-input corpus through every adapter: each item arrives as the platform would
 * deliver it (Discord message, mention, /ask, clicks; Slack DM, mention, /knee, clicks and the
 * share button; a terminal line), goes through the adapter's parse, the real engine (SQLite
 * sessions and insights on a temp file), and the adapter's render. Nothing throws, the engine
 * answers, every payload fits the platform, and no mention or markup gets through: Discord
 * payloads switch mentions off, Slack text carries no unescaped `<!`/`<@`, the terminal gets
 * no raw control characters. The SQL-like item is stored verbatim.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import {
  type ChatInputCommandInteraction,
  Collection,
  type Message,
  type MessageComponentInteraction,
} from "discord.js";
import { afterAll, describe, expect, it } from "vitest";
import { ask, MAX_QUESTION_CHARS } from "../../adapters/discord/commands/ask.ts";
import { choiceTurn, commandTurn, messageTurn } from "../../adapters/discord/parse.ts";
import { renderReplies } from "../../adapters/discord/render.ts";
import {
  parseAction,
  parseSlashText,
  placeOf,
  slackTextToPlain,
} from "../../adapters/slack/parse.ts";
import { renderReply as renderSlack } from "../../adapters/slack/render.ts";
import { runTerminal } from "../../adapters/terminal/index.ts";
import { createEngine } from "../../src/engine.ts";
import { splitText, truncate } from "../../src/index.ts";
import {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
} from "../../src/store/sqlite.ts";
import { sanitizeInput } from "../../src/text/normalize.ts";
import type { Reply, Turn } from "../../src/types.ts";
import {
  blockActions,
  dmEvent,
  mentionEvent,
  slashCommand,
} from "../helpers/fake-slack/payloads.ts";
import { seededRandom, shippedKnowledge } from "../helpers/knowledge.ts";
import { HOSTILE_CORPUS, SQL_LIKE } from "./hostile-corpus.ts";
import {
  allProblems,
  discordProblems,
  discordRenderings,
  slackProblems,
  terminalProblems,
} from "./limits.ts";

const k = shippedKnowledge();
const dir = mkdtempSync(join(tmpdir(), "kneebot-hostile-"));
const db = openDatabase(join(dir, "kneebot.db"));
const insights = createSqliteInsightStore(db);
const engine = createEngine({
  knowledge: k,
  sessions: createSqliteSessionStore(db),
  insights,
  random: seededRandom(3),
});
afterAll(() => {
  db.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Asks the engine and checks the answer: an array of non-blank replies, no internal error. */
async function answer(turn: Turn): Promise<Reply[]> {
  const replies = await engine.handle(turn);
  expect(replies.length).toBeGreaterThan(0);
  expect(replies.map((r) => r.text)).not.toContain(k.wording.error);
  expect(allProblems(replies)).toEqual([]);
  return replies;
}

// --- Discord: events in the shapes discord.js hands the adapter (only the fields parse reads).

const BOT = "900000000000000001";
const RUNNER = "300000000000000002";
const GUILD = "700000000000000003";
const CHANNEL = "800000000000000004";

function discordMessage(content: string, where: "dm" | "guild"): Message {
  return {
    id: "1",
    content,
    guildId: where === "guild" ? GUILD : null,
    channelId: where === "guild" ? CHANNEL : "600000000000000005",
    author: { id: RUNNER, bot: false },
    // discord.js Collections, as a real message has: users (the bot, in a guild) and roles.
    mentions: {
      users: new Collection(where === "guild" ? [[BOT, { id: BOT }]] : []),
      roles: new Collection(),
    },
  } as unknown as Message;
}

function discordAsk(question: string): ChatInputCommandInteraction {
  return {
    commandName: "ask",
    user: { id: RUNNER },
    guildId: GUILD,
    channelId: CHANNEL,
    options: { getString: () => question },
  } as unknown as ChatInputCommandInteraction;
}

function discordComponent(customId: string, values?: string[]): MessageComponentInteraction {
  return {
    customId,
    user: { id: RUNNER },
    guildId: GUILD,
    channelId: CHANNEL,
    values: values ?? [],
    isStringSelectMenu: () => values !== undefined,
  } as unknown as MessageComponentInteraction;
}

/** Renders Discord replies every way the adapter does and returns the problems. */
function discordCheck(replies: Reply[]): string[] {
  return discordRenderings(replies).flatMap(discordProblems);
}

describe("hostile input through the Discord adapter", () => {
  it.each(HOSTILE_CORPUS)("$name: DM, mention, /ask and forged clicks", async ({ text }) => {
    for (const where of ["dm", "guild"] as const) {
      const content = where === "guild" ? `<@${BOT}> ${text}` : text;
      const turn = messageTurn(discordMessage(content, where), BOT);
      if (!turn) {
        expect(text.trim()).toBe("");
        continue;
      }
      const replies = await answer(turn);
      expect(discordCheck(replies)).toEqual([]);
      expect(renderReplies(replies, where, { offerDm: false }).length).toBeGreaterThan(0);
    }
    // Discord enforces the option's max length before the bot sees it.
    const question = text.slice(0, MAX_QUESTION_CHARS);
    if (question.length > 0) {
      const replies = await answer(commandTurn(discordAsk(question), ask));
      expect(discordCheck(replies)).toEqual([]);
    }
    // A forged custom_id or select value: refused by parse, or answered "expired".
    for (const component of [
      discordComponent(text),
      discordComponent(`${text}#yes`),
      discordComponent("m", [text]),
      discordComponent(text, [text, "yes"]),
    ]) {
      const turn = choiceTurn(component);
      if (!turn) continue;
      const replies = await answer(turn);
      expect(discordCheck(replies)).toEqual([]);
    }
  });
});

// --- Slack: payloads in the shapes the fake Slack sends (tests/helpers/fake-slack/payloads.ts).

const SLACK_BOT = "UBOT";

/** What the adapter's handlers do with a payload, minus the I/O: parse, ask, render. */
async function slackTurn(turn: Turn, share?: string): Promise<string[]> {
  const replies = await answer(turn);
  return replies.flatMap((r) =>
    slackProblems(
      renderSlack(r, share !== undefined && r.kind === "answer" ? { shareQuestion: share } : {}),
    ),
  );
}

describe("hostile input through the Slack adapter", () => {
  it.each(HOSTILE_CORPUS)("$name: DM, mention, /knee, clicks and share", async ({ text }) => {
    const user = "U0RUNNER";
    const dm = dmEvent(user, text);
    const dmText = slackTextToPlain(dm.text, SLACK_BOT);
    const base = { platform: "slack", userId: user };
    if (dmText) {
      const turn: Turn = { ...base, place: placeOf(dm.channel), type: "text", text: dmText };
      expect(await slackTurn(turn)).toEqual([]);
    }
    const mention = mentionEvent(user, "C0GENERAL", `<@${SLACK_BOT}> ${text}`);
    const said = slackTextToPlain(mention.text, SLACK_BOT);
    const place = placeOf(mention.channel);
    expect(
      await slackTurn(
        said
          ? { ...base, place, mentioned: true, type: "text", text: said }
          : { ...base, place, mentioned: true, type: "command", command: "start" },
      ),
    ).toEqual([]);
    const command = slashCommand(user, "C0GENERAL", text, "https://hooks.example/r");
    const parsed = parseSlashText(slackTextToPlain(command.text, SLACK_BOT));
    expect(await slackTurn({ ...base, place, type: "command", ...parsed }, parsed.args)).toEqual(
      [],
    );
    // Clicks: a forged button id, a forged select value, and the share button's question.
    const actions = [
      { type: "button", action_id: text, text: { type: "plain_text", text } },
      { type: "button", action_id: `m#${text}`, text: { type: "plain_text", text } },
      {
        type: "static_select",
        action_id: "m",
        selected_option: { value: text, text: { type: "plain_text", text } },
      },
      { type: "button", action_id: "kneebot-share", value: text },
    ];
    for (const action of actions) {
      const body = blockActions({
        user,
        channel: "C0GENERAL",
        action,
        responseUrl: "https://hooks.example/r",
      });
      const click = parseAction(body);
      if (click.type === "ignore") continue;
      const turn: Turn =
        click.type === "share"
          ? { ...base, place, type: "command", command: "ask", args: click.question }
          : { ...base, place, type: "choice", setId: click.setId, values: click.values };
      expect(await slackTurn(turn)).toEqual([]);
    }
  });
});

// --- Terminal: the item typed as a line (and as a /ask command) into the real terminal loop.

async function terminalOutput(lines: string[]): Promise<string> {
  const output = new PassThrough();
  const chunks: string[] = [];
  output.on("data", (c: Buffer) => chunks.push(c.toString("utf8")));
  await runTerminal({
    engine,
    input: Readable.from([`${lines.join("\n")}\n`]),
    output,
    interactive: false,
    userId: "hostile",
  });
  return chunks.join("");
}

describe("hostile input through the terminal adapter", () => {
  it.each(HOSTILE_CORPUS)("$name: typed as a line and after /ask", async ({ text }) => {
    // A terminal line cannot hold a line break: readline splits it, so do the same.
    const lines = text.split(/\r\n|\r|\n/).filter((l) => l.trim());
    if (lines.length === 0) return;
    const out = await terminalOutput([...lines.slice(0, 5), `/ask ${lines[0]}`]);
    expect(out.length).toBeGreaterThan(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for raw control characters.
    expect(out).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/);
    expect(out).not.toContain(k.wording.error);
  });
});

describe("SQL-like text is stored verbatim", () => {
  it("through the engine: what it records as unanswered reads back exactly, tables intact", async () => {
    const user = { platform: "slack", userId: "U0SQL", place: { kind: "dm" as const } };
    const latest = db.prepare("SELECT text FROM unanswered ORDER BY id DESC LIMIT 1");
    for (const text of SQL_LIKE) {
      const replies = await answer({ ...user, type: "text", text });
      // Whether it is "unanswered" is the matcher's call ("sessions" may read as physio
      // sessions); when it is, the record holds the text exactly.
      if (!replies.some((r) => r.kind === "unknown")) continue;
      expect(latest.get()).toEqual({ text });
      expect((await insights.listUnanswered(1))[0]?.text).toBe(text);
    }
    const tables = db
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(["feedback", "sessions", "unanswered"]));
    // The sessions table still works for the user who sent them.
    const help = await answer({ ...user, type: "text", text: "help" });
    expect(help.map((r) => r.text)).toContain(k.wording.help);
  });

  it("in the SQLite insight store: every corpus item, as the engine would store it", async () => {
    const file = join(dir, "insights.db");
    const own = openDatabase(file);
    const store = createSqliteInsightStore(own);
    // The engine stores sanitised text (no lone surrogates or control characters).
    const texts = HOSTILE_CORPUS.map((i) => sanitizeInput(i.text, 200_000).text);
    for (const [i, text] of texts.entries()) {
      await store.recordUnanswered({ text, score: 0.1, outOfScope: false, at: i });
    }
    own.close();
    // Read back from the file by a fresh connection.
    const again = openDatabase(file);
    const back = await createSqliteInsightStore(again).listUnanswered(texts.length);
    expect(back.map((r) => r.text).reverse()).toEqual(texts);
    for (const sql of SQL_LIKE) expect(back.map((r) => r.text)).toContain(sql);
    const tables = again
      .prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
      .all()
      .map((r) => (r as { name: string }).name);
    expect(tables).toEqual(["feedback", "insight_events", "sqlite_sequence", "unanswered"]);
    again.close();
  });
});

// --- Defence in depth: if the engine ever echoed user text, would the renderers still hold?

/** A reply that echoes the hostile text as its text and as a choice label. */
function echo(text: string): Reply {
  return {
    kind: "answer",
    text: `You said: ${text}`,
    visibility: "public",
    choices: { mode: "single", id: "m", options: [{ value: "help", label: text || "x" }] },
  };
}

describe("renderers given a reply that echoes hostile text verbatim", () => {
  it.each(HOSTILE_CORPUS)(
    "$name: Discord and Slack stay within limits and ping nobody",
    ({ text }) => {
      const replies = [echo(text)];
      expect(discordCheck(replies)).toEqual([]);
      expect(slackProblems(renderSlack(replies[0]!))).toEqual([]);
    },
  );

  // Cutting text or labels to fit must not split a surrogate pair (the platform shows U+FFFD,
  // or refuses the payload). JSON.stringify writes a lone surrogate as a \udXXX escape.
  const splitsPair = (json: string) => /\\ud[89a-f][0-9a-f]{2}/i.test(json);
  const rendered = (text: string) => [
    ...discordRenderings([echo(text)])
      .flat()
      .map((m) => JSON.stringify(m)),
    ...renderSlack(echo(text)).map((m) => JSON.stringify(m)),
  ];
  const ASTRAL = new Set(["huge astral run", "huge astral run, odd offset"]);
  const whole = HOSTILE_CORPUS.filter((i) => !/\p{Cs}/u.test(i.text) && !ASTRAL.has(i.name));
  it.each(whole)("$name: cutting to fit never splits a surrogate pair", ({ text }) => {
    for (const json of rendered(text)) expect(splitsPair(json)).toBe(false);
  });
  it.each(HOSTILE_CORPUS.filter((i) => ASTRAL.has(i.name)))(
    "truncate() / splitText() never cut inside a surrogate pair: $name",
    ({ text }) => {
      for (const json of rendered(text)) expect(splitsPair(json)).toBe(false);
    },
  );
  it("truncate() keeps surrogate pairs whole, at an even or an odd offset", () => {
    expect(splitsPair(JSON.stringify(truncate("😀".repeat(50), 80)))).toBe(false);
    expect(splitsPair(JSON.stringify(truncate(`x${"😀".repeat(50)}`, 75)))).toBe(false);
  });
  it("splitText() hard cuts keep surrogate pairs whole", () => {
    const chunks = splitText(`x${"😀".repeat(2000)}`, 3000);
    expect(chunks.some((c) => splitsPair(JSON.stringify(c)))).toBe(false);
  });

  const controls = HOSTILE_CORPUS.filter((i) =>
    // biome-ignore lint/suspicious/noControlCharactersInRegex: items with raw control characters.
    /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/.test(i.text),
  );
  it.each(controls)("the terminal renderer strips raw control characters: $name", ({ text }) => {
    expect(terminalProblems([echo(text)])).toEqual([]);
  });
});
