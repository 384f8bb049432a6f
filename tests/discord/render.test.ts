import { describe, expect, test } from "vitest";
import {
  answeredContent,
  CONTINUE_IN_DM_ID,
  MAX_BUTTON_LABEL_CHARS,
  MAX_CONTENT_CHARS,
  MAX_CUSTOM_ID_CHARS,
  MAX_OPTION_LABEL_CHARS,
  MAX_ROWS,
  MAX_SELECT_OPTIONS,
  renderChoices,
  renderReplies,
  SEND_PRIVATELY_ID,
  splitContent,
  withoutAdapterRows,
} from "../../adapters/discord/render.ts";
import type { ChoiceSet, Reply } from "../../src/types.ts";
import { validateMessage } from "../helpers/fake-discord/validate.ts";
import { ANSWER, CHECKLIST, OUTCOME, WHERE } from "./scripts.ts";

const options = (n: number, label = (i: number) => `Option ${i}`) =>
  Array.from({ length: n }, (_, i) => ({ value: `v${i}`, label: label(i) }));

const words = (s: string) => s.replaceAll("**", "").split(/\s+/).filter(Boolean);

describe("splitContent", () => {
  test("short text is one chunk", () => {
    expect(splitContent("Hello\n\nthere")).toEqual(["Hello\n\nthere"]);
  });

  test("prefers paragraph, then line, then word boundaries", () => {
    const a = "a".repeat(1500);
    const b = "b".repeat(1000);
    expect(splitContent(`${a}\n\n${b}`)).toEqual([a, b]);
    expect(splitContent(`${a}\n${b}`)).toEqual([a, b]);
    const manyWords = "word ".repeat(1000).trim();
    const chunks = splitContent(manyWords);
    expect(chunks.every((c) => c.length <= MAX_CONTENT_CHARS && !c.endsWith(" wor"))).toBe(true);
    expect(words(chunks.join(" "))).toEqual(words(manyWords));
  });

  test("text with no spaces is hard-cut, without losing characters or splitting emoji", () => {
    const text = "🦵".repeat(3000);
    const chunks = splitContent(text);
    expect(chunks.every((c) => c.length <= MAX_CONTENT_CHARS)).toBe(true);
    expect(chunks.join("")).toBe(text);
    expect(chunks.every((c) => !/[\uD800-\uDBFF]$/.test(c))).toBe(true);
  });

  test("a bold span cut in two is closed and reopened", () => {
    const text = `**${"bold words ".repeat(300)}**`;
    const chunks = splitContent(text);
    expect(chunks.length).toBeGreaterThan(1);
    for (const c of chunks) {
      expect(c.length).toBeLessThanOrEqual(MAX_CONTENT_CHARS);
      expect((c.match(/\*\*/g) ?? []).length % 2).toBe(0);
    }
  });
});

describe("renderChoices", () => {
  test("up to 5 single options are buttons in one row, ids via choice-id", () => {
    const rows = renderChoices(WHERE.choices!);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.components.map((c) => [c.type, "custom_id" in c && c.custom_id])).toEqual([
      [2, "s1:where:v1#front"],
      [2, "s1:where:v1#outside"],
      [2, "s1:where:v1#inside"],
    ]);
  });

  test("more than 5 single options become a select menu with one pick", () => {
    const set: ChoiceSet = { mode: "single", id: "s:q", options: options(8) };
    const [row] = renderChoices(set);
    expect(row!.components).toHaveLength(1);
    expect(row!.components[0]).toMatchObject({
      type: 3,
      custom_id: "s:q",
      min_values: 1,
      max_values: 1,
    });
  });

  test("a checklist is a multi-select (min 1, max n)", () => {
    const [row] = renderChoices(CHECKLIST.choices!);
    expect(row!.components[0]).toMatchObject({
      type: 3,
      custom_id: "s1:redflags:v1",
      min_values: 1,
      max_values: 3,
    });
  });

  test("many options and long labels stay within Discord's limits", () => {
    const long = (i: number) => `A very long option label number ${i} `.repeat(8);
    for (const mode of ["single", "multi"] as const) {
      const set: ChoiceSet = { mode, id: "x".repeat(72), options: options(40, long) };
      const rows = renderChoices(set);
      const select = rows[0]!.components[0] as { options: { label: string }[]; max_values: number };
      expect(select.options).toHaveLength(MAX_SELECT_OPTIONS);
      expect(select.options.every((o) => o.label.length <= MAX_OPTION_LABEL_CHARS)).toBe(true);
      expect(select.max_values).toBeLessThanOrEqual(MAX_SELECT_OPTIONS);
      expect(validateMessage({ content: "q", components: rows }, false)).toBeUndefined();
    }
    const buttons = renderChoices({
      mode: "single",
      id: "x".repeat(72),
      options: options(5, long),
    });
    const labels = buttons[0]!.components.map((c) => ("label" in c ? (c.label ?? "") : ""));
    expect(labels.every((l) => l.length <= MAX_BUTTON_LABEL_CHARS && l.endsWith("…"))).toBe(true);
    expect(validateMessage({ content: "q", components: buttons }, false)).toBeUndefined();
  });

  test("ids over 100 characters and duplicate values are dropped, never sent", () => {
    const set: ChoiceSet = {
      mode: "single",
      id: "s".repeat(90),
      options: [
        { value: "ok", label: "ok" },
        { value: "ok", label: "dup" },
        { value: "v".repeat(20), label: "too long" },
      ],
    };
    const ids = renderChoices(set).flatMap((r) =>
      r.components.map((c) => ("custom_id" in c ? c.custom_id : "")),
    );
    expect(ids).toEqual([`${"s".repeat(90)}#ok`]);
    expect(ids.every((id) => id.length <= MAX_CUSTOM_ID_CHARS)).toBe(true);
  });
});

describe("renderReplies", () => {
  test("in a server, private and personal replies are private; the last question offers DMs", () => {
    const greeting: Reply = { kind: "greeting", text: "Hi!", visibility: "public" };
    const out = renderReplies(
      [greeting, { ...OUTCOME, choices: undefined }, CHECKLIST, WHERE],
      "guild",
    );
    // Same-visibility replies share a message until one with choices ends it.
    expect(out.map((m) => [m.private, m.content])).toEqual([
      [false, "Hi!"],
      [true, `${OUTCOME.text}\n\n${CHECKLIST.text}`],
      [true, WHERE.text],
    ]);
    const ids = (i: number) =>
      out[i]!.components.flatMap((r) =>
        r.components.map((c) => ("custom_id" in c ? c.custom_id : "")),
      );
    expect(ids(1)).toEqual(["s1:redflags:v1"]);
    expect(ids(2)).toEqual([
      "s1:where:v1#front",
      "s1:where:v1#outside",
      "s1:where:v1#inside",
      CONTINUE_IN_DM_ID,
    ]);
    expect(withoutAdapterRows(out[2]!.components)).toHaveLength(1);
  });

  test("allPrivate keeps even a public greeting private (a private command or message)", () => {
    const greeting: Reply = { kind: "greeting", text: "Hi!", visibility: "public" };
    const out = renderReplies([greeting, CHECKLIST], "guild", { allPrivate: true });
    expect(out).toHaveLength(1);
    expect(out[0]).toMatchObject({ private: true, content: `Hi!\n\n${CHECKLIST.text}` });
  });

  test("a public FAQ answer offers a private copy; DMs get neither adapter button", () => {
    const [guild] = renderReplies([ANSWER], "guild");
    expect(guild!.private).toBe(false);
    expect(JSON.stringify(guild!.components)).toContain(SEND_PRIVATELY_ID);
    const dm = renderReplies([ANSWER, CHECKLIST], "dm");
    expect(dm.every((m) => !m.private)).toBe(true);
    expect(JSON.stringify(dm)).not.toContain("kneebot:");
  });

  test("long text with many options: every message is valid, choices only on the last", () => {
    const text = Array.from(
      { length: 30 },
      (_, i) => `Paragraph ${i}. ${"Run easy. ".repeat(25)}`,
    ).join("\n\n");
    const reply: Reply = {
      kind: "question",
      text,
      visibility: "private",
      choices: { mode: "multi", id: "s:check", options: options(30) },
    };
    const out = renderReplies([reply], "guild");
    expect(out.length).toBeGreaterThan(3);
    for (const m of out) {
      expect(
        validateMessage({ content: m.content, components: m.components }, false),
      ).toBeUndefined();
      expect(m.components.length).toBeLessThanOrEqual(MAX_ROWS);
    }
    expect(out.slice(0, -1).every((m) => m.components.length === 0)).toBe(true);
    expect(out.at(-1)!.hasChoices).toBe(true);
    expect(words(out.map((m) => m.content).join(" "))).toEqual(words(text));
  });

  test("answeredContent keeps the question, adds the answer, fits the limit", () => {
    expect(answeredContent("Where?", ["Front"])).toBe("Where?\n\n**Your answer:** Front");
    const huge = answeredContent("q".repeat(5000), ["a".repeat(3000)]);
    expect(huge.length).toBeLessThanOrEqual(MAX_CONTENT_CHARS);
  });
});
