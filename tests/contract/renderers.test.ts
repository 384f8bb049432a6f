/**
 * One contract for every adapter's renderer (terminal, Discord, Slack): each kind of reply, with
 * long text and with each kind of choice set, renders within the platform's limits, keeps every
 * choice, and loses no word when its text is split across messages.
 */
import { describe, expect, it } from "vitest";
import { renderReplies } from "../../adapters/discord/render.ts";
import { renderReply as renderSlack } from "../../adapters/slack/render.ts";
import { renderReply as renderTerminal } from "../../adapters/terminal/render.ts";
import { type ChoiceSet, decodeComponentId, type Reply, type ReplyKind } from "../../src/index.ts";
import { validateMessage } from "../helpers/fake-discord/validate.ts";
import { blockErrors } from "../helpers/fake-slack/blocks.ts";

const KINDS: ReplyKind[] = [
  "greeting",
  "answer",
  "did-you-mean",
  "unknown",
  "question",
  "confirm",
  "outcome",
  "urgent",
  "info",
  "feedback",
  "followup",
  "error",
  "expired",
  "rate-limited",
];

const options = (n: number, label: (i: number) => string) =>
  Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: label(i) }));

/** The shapes of choice set the engine produces, and the largest ones it can. */
const CHOICES: Record<string, ChoiceSet | undefined> = {
  "no choices": undefined,
  "three buttons": { mode: "single", id: "s1:q1:v1", options: options(3, (i) => `Option ${i}`) },
  "a long single list": {
    mode: "single",
    id: "s1:q2:v1",
    options: options(25, (i) => `A longer label for option ${i}, as a question might read`),
  },
  "a checklist": {
    mode: "multi",
    id: "s1:rf:v1",
    noneValue: "v12",
    submitLabel: "Done",
    options: options(13, (i) => `Warning sign number ${i} with a description`),
  },
};

/** Long Markdown: paragraphs, bullets, bold spans a cut may fall inside, a URL, emoji. */
const LONG = [
  "**Runner's knee** is the most common running injury. ".repeat(20),
  "- ease off hills\n- keep the **easy runs easy and short for two weeks**\n- strength work",
  `See https://example.org/knee?a=1&b=2 for more. ${"🦵".repeat(300)}`,
  `**${"Bold words that go on and on ".repeat(80)}**`,
  "_Not a diagnosis._ ".repeat(60),
].join("\n\n");

const TEXTS = { short: "Hi, I'm kneebot.", long: LONG };

/** The words a reader sees, whatever the markup: bold, italic, bullets and escapes dropped. */
function words(text: string): string[] {
  return text
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/[*_•]/g, " ")
    .split(/\s+/)
    .filter((w) => w && w !== "-");
}

/** What a renderer made of one reply, read back the same way for every platform. */
interface Rendered {
  /** The text shown, message after message. */
  text: string;
  /** The option values a user can pick. */
  values: string[];
  /** Every way the output breaks the platform's limits (empty when it fits). */
  problems: string[];
}

type Json = Record<string, unknown>;
const list = (x: unknown): Json[] => (Array.isArray(x) ? (x as Json[]) : []);

function discord(reply: Reply): Rendered {
  const messages = renderReplies([reply], "dm");
  const problems = messages.flatMap((m) => {
    const err = validateMessage({ content: m.content, components: m.components }, false);
    return err ? [JSON.stringify(err)] : [];
  });
  const values = messages.flatMap((m) =>
    list(m.components).flatMap((row) =>
      list(row.components).flatMap((c) =>
        c.type === 2
          ? [decodeComponentId(String(c.custom_id)).value ?? ""]
          : list(c.options).map((o) => String(o.value)),
      ),
    ),
  );
  return { text: messages.map((m) => m.content).join("\n\n"), values, problems };
}

function slack(reply: Reply): Rendered {
  const messages = renderSlack(reply);
  const problems = messages.flatMap((m) => blockErrors(m.blocks));
  const blocks = messages.flatMap((m) => m.blocks as Json[]);
  const text = blocks
    .filter((b) => b.type === "section")
    .map((b) => String((b.text as Json).text))
    .join("\n\n");
  const values = blocks
    .filter((b) => b.type === "actions")
    .flatMap((b) => list(b.elements))
    .flatMap((e) =>
      e.type === "button"
        ? e.value === "done"
          ? []
          : [String(e.value)]
        : [...list(e.options), ...list(e.option_groups).flatMap((g) => list(g.options))].map((o) =>
            String(o.value),
          ),
    );
  return { text, values, problems };
}

function terminal(reply: Reply): Rendered {
  const out = renderTerminal(reply, { color: false });
  const lines = out.split("\n");
  const numbered = lines.filter((l) => /^ {2}\d+\) /.test(l));
  // The terminal shows numbered labels; a number picks the option at that place.
  const values = numbered.map((l) => reply.choices?.options[Number(/\d+/.exec(l)?.[0]) - 1]?.value);
  const text = lines.filter((l) => !/^ {2}(\d+\)|\()/.test(l)).join("\n");
  return { text, values: values.filter((v) => v !== undefined), problems: [] };
}

const cases = KINDS.flatMap((kind) =>
  Object.entries(TEXTS).flatMap(([length, text]) =>
    Object.entries(CHOICES).map(([choices, set]) => ({
      name: `${kind}, ${length} text, ${choices}`,
      reply: {
        kind,
        text,
        visibility: "private",
        ...(set ? { choices: set } : {}),
      } satisfies Reply as Reply,
    })),
  ),
);

describe.each([
  { platform: "terminal", render: terminal },
  { platform: "discord", render: discord },
  { platform: "slack", render: slack },
])("renderer contract: $platform", ({ render }) => {
  it.each(cases)("$name", ({ reply }) => {
    const out = render(reply);
    expect(out.problems).toEqual([]);
    expect(words(out.text)).toEqual(words(reply.text));
    expect([...out.values].sort()).toEqual(
      (reply.choices?.options ?? []).map((o) => o.value).sort(),
    );
  });
});
