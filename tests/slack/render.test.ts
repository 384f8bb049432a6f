import { describe, expect, it } from "vitest";
import { parseAction, parseSlashText, slackTextToPlain } from "../../adapters/slack/parse.ts";
import {
  escapeText,
  renderChoices,
  renderChosen,
  renderReply,
  toMrkdwn,
} from "../../adapters/slack/render.ts";
import {
  DONE_ACTION_ID,
  MAX_BLOCKS_PER_MESSAGE,
  MAX_SECTION_TEXT_CHARS,
} from "../../adapters/slack/types.ts";
import { decodeComponentId } from "../../src/choice-id.ts";
import { splitText } from "../../src/index.ts";
import type { ChoiceSet, Reply } from "../../src/types.ts";
import { blockErrors } from "../helpers/fake-slack/blocks.ts";

const reply = (text: string, extra: Partial<Reply> = {}): Reply => ({
  kind: "answer",
  text,
  visibility: "public",
  ...extra,
});

const sectionTexts = (blocks: Record<string, unknown>[]) =>
  blocks.filter((b) => b.type === "section").map((b) => (b.text as { text: string }).text);

describe("slack render", () => {
  it("converts the Markdown subset to mrkdwn", () => {
    expect(toMrkdwn("**Rest** first.\n\n- ice\n- elevate\nhttps://nhs.uk/knee")).toBe(
      "*Rest* first.\n\n• ice\n• elevate\nhttps://nhs.uk/knee",
    );
  });

  it("keeps _italic_ (the same in mrkdwn)", () => {
    expect(toMrkdwn("it is _not_ a diagnosis")).toBe("it is _not_ a diagnosis");
  });

  it("escapes control characters so nobody can be pinged", () => {
    const hostile = "hi <!channel> <!everyone> <!here> <@U123> & <https://evil.example|click>";
    const text = toMrkdwn(hostile);
    expect(text).not.toMatch(/[<>]/);
    expect(text).toContain("&lt;!channel&gt;");
    expect(text).toContain("&lt;@U123&gt;");
    expect(text).toContain("&amp; ");
    expect(escapeText("a&b")).toBe("a&amp;b");
  });

  it("keeps bare URLs intact (Slack links them itself)", () => {
    expect(toMrkdwn("see https://example.org/a?b=1&c=2")).toBe(
      "see https://example.org/a?b=1&amp;c=2",
    );
  });

  it("splits a long text into sections within the limit, without breaking entities", () => {
    const long = Array.from({ length: 400 }, (_, i) => `Paragraph ${i} & <more> text here.`).join(
      "\n\n",
    );
    const messages = renderReply(reply(long));
    const texts = messages.flatMap((m) => sectionTexts(m.blocks));
    expect(texts.length).toBeGreaterThan(1);
    for (const t of texts) {
      expect(t.length).toBeLessThanOrEqual(MAX_SECTION_TEXT_CHARS);
      expect(t).not.toMatch(/&(?:a|am|l|g|lt|gt)?$/);
    }
    expect(texts.join("\n\n")).toBe(toMrkdwn(long));
    for (const m of messages) expect(blockErrors(m.blocks)).toEqual([]);
  });

  it("hard-splits text with no spaces and keeps entities whole", () => {
    const chunks = splitText("&amp;".repeat(1500), 3000);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(3000);
      expect(c).toMatch(/^(&amp;)+$/);
    }
  });

  it("splits more than 50 blocks into several messages, choices on the last", () => {
    const huge = Array.from({ length: 60 }, () => "x".repeat(2900)).join("\n\n");
    const choices: ChoiceSet = {
      mode: "single",
      id: "s:q:1",
      options: [{ value: "a", label: "A" }],
    };
    const messages = renderReply(reply(huge, { choices }));
    expect(messages.length).toBe(2);
    for (const m of messages) {
      expect(m.blocks.length).toBeLessThanOrEqual(MAX_BLOCKS_PER_MESSAGE);
      expect(blockErrors(m.blocks)).toEqual([]);
      expect(m.text.length).toBeGreaterThan(0);
    }
    expect(messages[1]!.blocks.at(-1)!.type).toBe("actions");
  });

  it("renders up to 5 options as buttons whose ids encode set and value", () => {
    const set: ChoiceSet = {
      mode: "single",
      id: "sess:q1:v2",
      options: [
        { value: "yes", label: "Yes" },
        { value: "no", label: "N".repeat(120) },
      ],
    };
    const [block] = renderChoices(set);
    const elements = block!.elements as Record<string, unknown>[];
    expect(elements.map((e) => e.type)).toEqual(["button", "button"]);
    expect(decodeComponentId(elements[0]!.action_id as string)).toEqual({
      setId: set.id,
      value: "yes",
    });
    expect((elements[1]!.text as { text: string }).text.length).toBeLessThanOrEqual(75);
    expect(blockErrors([block])).toEqual([]);
  });

  it("uses a static select for more than 5 options and option groups past 75", () => {
    const options = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `Option ${i}` }));
    const small = renderChoices({ mode: "single", id: "s:q", options: options(6) });
    const menu = (small[0]!.elements as Record<string, unknown>[])[0]!;
    expect(menu.type).toBe("static_select");
    expect(menu.action_id).toBe("s:q");
    const big = renderChoices({ mode: "single", id: "s:q", options: options(160) });
    const groups = (big[0]!.elements as Record<string, unknown>[])[0]!.option_groups as {
      options: unknown[];
    }[];
    expect(groups.map((g) => g.options.length)).toEqual([75, 75, 10]);
    expect(blockErrors(small)).toEqual([]);
    expect(blockErrors(big)).toEqual([]);
  });

  it("renders a checklist as checkboxes plus a Done button, stacked groups past 10", () => {
    const options = (n: number) =>
      Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: `Item ${i}` }));
    const short = renderChoices({
      mode: "multi",
      id: "s:rf",
      options: options(4),
      noneValue: "v3",
    });
    expect(short).toHaveLength(1);
    expect(short[0]!.block_id).toBe("s:rf");
    const shortElements = short[0]!.elements as Record<string, unknown>[];
    expect(shortElements.map((e) => e.type)).toEqual(["checkboxes", "button"]);
    expect(shortElements[0]!.action_id).toBe("s:rf");
    expect(shortElements[1]!.action_id).toBe(DONE_ACTION_ID);
    const long = renderChoices({ mode: "multi", id: "s:rf", options: options(13) });
    expect(long.map((b) => (b.elements as unknown[]).length)).toEqual([1, 2]);
    expect(long.at(-1)!.block_id).toBe("s:rf");
    expect(blockErrors(short)).toEqual([]);
    expect(blockErrors(long)).toEqual([]);
    const [message] = renderReply(
      reply("Tick any", { choices: { mode: "multi", id: "s:rf", options: options(13) } }),
    );
    expect(blockErrors(message!.blocks)).toEqual([]);
  });

  it("marks the chosen option and removes controls", () => {
    const [message] = renderReply(
      reply("Where?", {
        choices: { mode: "single", id: "s:q", options: [{ value: "a", label: "<!here> A" }] },
      }),
    );
    const chosen = renderChosen(message!.blocks, ["<!here> A"]);
    expect(chosen.blocks.some((b) => b.type === "actions")).toBe(false);
    expect(JSON.stringify(chosen.blocks)).toContain("✓ &lt;!here&gt; A");
    expect(renderChosen(undefined, ["A"]).blocks).toHaveLength(1);
  });
});

describe("slack parse", () => {
  it("maps /knee text to commands", () => {
    expect(parseSlashText("")).toEqual({ command: "triage" });
    expect(parseSlashText(" help ")).toEqual({ command: "help" });
    expect(parseSlashText("Privacy")).toEqual({ command: "privacy" });
    expect(parseSlashText("forget")).toEqual({ command: "forget" });
    expect(parseSlashText("is swelling bad?")).toEqual({
      command: "ask",
      args: "is swelling bad?",
    });
    expect(parseSlashText("help me with my knee")).toEqual({
      command: "ask",
      args: "help me with my knee",
    });
  });

  it("turns Slack markup back into plain text", () => {
    expect(slackTextToPlain("<@UBOT> knee &amp; hip &lt;3 <https://a.example|a>", "UBOT")).toBe(
      "knee & hip <3 a (https://a.example)",
    );
  });

  it("decodes buttons, selects and checklist submits; ignores toggles and junk", () => {
    expect(
      parseAction({ actions: [{ type: "button", action_id: "s:q#yes", text: { text: "Yes" } }] }),
    ).toEqual({
      type: "choice",
      setId: "s:q",
      values: ["yes"],
      labels: ["Yes"],
    });
    expect(
      parseAction({
        actions: [
          {
            type: "static_select",
            action_id: "s:q",
            selected_option: { value: "v1", text: { text: "One" } },
          },
        ],
      }),
    ).toMatchObject({ type: "choice", setId: "s:q", values: ["v1"] });
    const state = {
      "kneebot-check-1": {
        "kneebot-check-1": {
          type: "checkboxes",
          selected_options: [{ value: "v12", text: { text: "Item 12" } }],
        },
      },
      "s:rf": {
        "s:rf": {
          type: "checkboxes",
          selected_options: [{ value: "none", text: { text: "None" } }],
        },
      },
      other: {
        x: { type: "checkboxes", selected_options: [{ value: "junk", text: { text: "Junk" } }] },
      },
    };
    expect(
      parseAction({
        actions: [{ type: "button", action_id: DONE_ACTION_ID, block_id: "s:rf" }],
        state: { values: state },
      }),
    ).toEqual({
      type: "choice",
      setId: "s:rf",
      values: ["v12", "none"],
      labels: ["Item 12", "None"],
    });
    expect(parseAction({ actions: [{ type: "checkboxes", action_id: "s:rf" }] }).type).toBe(
      "ignore",
    );
    expect(
      parseAction({ actions: [{ type: "button", action_id: `${"x".repeat(200)}#a` }] }).type,
    ).toBe("ignore");
  });
});
