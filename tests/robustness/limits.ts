/**
 * Platform-limit checks shared by the robustness tests: every reply is rendered with each
 * adapter's own pure renderer and the result is measured against the adapter's own limit
 * constants (plus the fakes' independent validators). Each check returns problems as strings,
 * empty when everything fits, so a failing property names what broke.
 */
import {
  MAX_BUTTON_LABEL_CHARS,
  MAX_BUTTONS_PER_ROW,
  MAX_CONTENT_CHARS,
  MAX_CUSTOM_ID_CHARS,
  MAX_OPTION_LABEL_CHARS,
  MAX_OPTION_VALUE_CHARS,
  MAX_ROWS,
  MAX_SELECT_OPTIONS,
  renderReplies,
} from "../../adapters/discord/render.ts";
import { payload, replyPayload } from "../../adapters/discord/send.ts";
import type { OutgoingMessage } from "../../adapters/discord/types.ts";
import { parseAction } from "../../adapters/slack/parse.ts";
import { renderReply as renderSlack } from "../../adapters/slack/render.ts";
import {
  type Block,
  MAX_ACTION_ID_CHARS,
  MAX_BLOCKS_PER_MESSAGE,
  MAX_BUTTON_TEXT_CHARS,
  MAX_SECTION_TEXT_CHARS,
  type SlackMessage,
} from "../../adapters/slack/types.ts";
import { renderReply as renderTerminal } from "../../adapters/terminal/render.ts";
import { decodeComponentId, MAX_SET_ID_CHARS, MAX_VALUE_CHARS } from "../../src/choice-id.ts";
import type { Reply } from "../../src/types.ts";
import { validateMessage } from "../helpers/fake-discord/validate.ts";
import { blockErrors } from "../helpers/fake-slack/blocks.ts";

type Json = Record<string, unknown>;

/** Problems with the platform-neutral reply itself: blank text, oversized ids and values. */
export function replyProblems(replies: readonly Reply[]): string[] {
  const problems: string[] = [];
  replies.forEach((r, i) => {
    const at = `reply ${i} (${r.kind})`;
    if (typeof r.text !== "string" || r.text.trim() === "") problems.push(`${at}: blank text`);
    const set = r.choices;
    if (!set) return;
    if (set.id.length === 0 || set.id.length > MAX_SET_ID_CHARS)
      problems.push(`${at}: set id ${JSON.stringify(set.id)} not 1..${MAX_SET_ID_CHARS} chars`);
    if (set.options.length === 0) problems.push(`${at}: a choice set without options`);
    const values = new Set<string>();
    for (const o of set.options) {
      if (o.value.length === 0 || o.value.length > MAX_VALUE_CHARS)
        problems.push(`${at}: value ${JSON.stringify(o.value)} not 1..${MAX_VALUE_CHARS} chars`);
      if (values.has(o.value)) problems.push(`${at}: duplicate value ${o.value}`);
      values.add(o.value);
      if (o.label.trim() === "") problems.push(`${at}: blank label for ${o.value}`);
    }
  });
  return problems;
}

/** Every Discord rendering of the replies: in a guild, in a DM, and all-private. */
export function discordRenderings(replies: readonly Reply[]): OutgoingMessage[][] {
  return [
    renderReplies(replies, "guild"),
    renderReplies(replies, "guild", { allPrivate: true, offerDm: false }),
    renderReplies(replies, "dm"),
  ];
}

/** Problems with Discord messages, by the adapter's constants and the fake's validator. */
export function discordProblems(messages: readonly OutgoingMessage[]): string[] {
  const problems: string[] = [];
  messages.forEach((m, i) => {
    const at = `discord message ${i}`;
    if (m.content.length > MAX_CONTENT_CHARS)
      problems.push(`${at}: content ${m.content.length} > ${MAX_CONTENT_CHARS}`);
    if (m.content.trim() === "" && m.components.length === 0) problems.push(`${at}: empty`);
    if (m.components.length > MAX_ROWS) problems.push(`${at}: ${m.components.length} rows`);
    for (const row of m.components) {
      if (row.components.length > MAX_BUTTONS_PER_ROW)
        problems.push(`${at}: ${row.components.length} components in a row`);
      for (const c of row.components as unknown as Json[]) {
        const id = String(c.custom_id ?? "");
        if (id.length === 0 || id.length > MAX_CUSTOM_ID_CHARS)
          problems.push(`${at}: custom_id ${id.length} chars`);
        if (typeof c.label === "string" && c.label.length > MAX_BUTTON_LABEL_CHARS)
          problems.push(`${at}: button label ${c.label.length} chars`);
        const options = Array.isArray(c.options) ? (c.options as Json[]) : undefined;
        if (options) {
          if (options.length > MAX_SELECT_OPTIONS)
            problems.push(`${at}: ${options.length} select options`);
          for (const o of options) {
            if (String(o.label).length > MAX_OPTION_LABEL_CHARS)
              problems.push(`${at}: option label too long`);
            if (String(o.value).length > MAX_OPTION_VALUE_CHARS)
              problems.push(`${at}: option value too long`);
          }
        }
      }
    }
    // Whatever the adapter sends, it sends with mentions switched off.
    for (const body of [payload(m), replyPayload(m, true), replyPayload(m, false)]) {
      if (JSON.stringify(body.allowedMentions) !== JSON.stringify({ parse: [] }))
        problems.push(`${at}: allowedMentions ${JSON.stringify(body.allowedMentions)}`);
    }
    const invalid = validateMessage(
      { content: m.content, components: m.components as unknown as Json[] },
      false,
    );
    if (invalid) problems.push(`${at}: ${invalid.message} ${invalid.problems?.join("; ") ?? ""}`);
  });
  return problems;
}

/** Discord buttons round-trip: each custom_id decodes to the set and value it was built from. */
export function discordClickProblems(replies: readonly Reply[]): string[] {
  const problems: string[] = [];
  for (const m of renderReplies(replies, "dm")) {
    for (const row of m.components) {
      for (const c of row.components as unknown as Json[]) {
        const id = String(c.custom_id);
        if (c.type !== 2) continue;
        const { setId, value } = decodeComponentId(id);
        const set = replies.find((r) => r.choices?.id === setId)?.choices;
        if (!set?.options.some((o) => o.value === value))
          problems.push(`discord button ${id} does not decode to a rendered choice`);
      }
    }
  }
  return problems;
}

function blocksOf(messages: readonly SlackMessage[]): Block[] {
  return messages.flatMap((m) => m.blocks);
}

/**
 * The texts Slack parses for mentions and links: mrkdwn text objects and the message's
 * notification `text`. plain_text (button and option labels) is shown literally.
 */
export function mrkdwnTexts(message: SlackMessage): string[] {
  const out = [message.text];
  const walk = (value: unknown): void => {
    if (Array.isArray(value)) for (const v of value) walk(v);
    else if (value && typeof value === "object") {
      const o = value as Json;
      if (o.type === "mrkdwn" && typeof o.text === "string") out.push(o.text);
      for (const v of Object.values(o)) walk(v);
    }
  };
  walk(message.blocks);
  return out;
}

/** Problems with Slack messages, by the adapter's constants and the fake's Block Kit checks. */
export function slackProblems(messages: readonly SlackMessage[]): string[] {
  const problems: string[] = [];
  messages.forEach((m, i) => {
    const at = `slack message ${i}`;
    if (m.blocks.length > MAX_BLOCKS_PER_MESSAGE) problems.push(`${at}: ${m.blocks.length} blocks`);
    if (m.text.length === 0) problems.push(`${at}: empty fallback text`);
    for (const b of m.blocks) {
      if (b.type === "section") {
        const text = (b.text as { text: string }).text;
        if (text.length === 0 || text.length > MAX_SECTION_TEXT_CHARS)
          problems.push(`${at}: section text ${text.length} chars`);
      }
      if (typeof b.block_id === "string" && b.block_id.length > MAX_ACTION_ID_CHARS)
        problems.push(`${at}: block_id too long`);
      for (const el of (Array.isArray(b.elements) ? b.elements : []) as Json[]) {
        const id = el.action_id;
        if (typeof id === "string" && (id.length === 0 || id.length > MAX_ACTION_ID_CHARS))
          problems.push(`${at}: action_id ${id.length} chars`);
        const text = (el.text as { text?: string } | undefined)?.text;
        if (el.type === "button" && (!text || text.length > MAX_BUTTON_TEXT_CHARS))
          problems.push(`${at}: button text ${text?.length} chars`);
      }
    }
    // Slack control sequences can only come from the adapter, never from reply text.
    for (const s of mrkdwnTexts(m)) {
      if (/<[!@#]/.test(s)) problems.push(`${at}: unescaped Slack control sequence in ${s}`);
    }
    for (const e of blockErrors(m.blocks)) problems.push(`${at}: ${e}`);
  });
  return problems;
}

/** Slack controls round-trip: a click on each button parses back to the same set and value. */
export function slackClickProblems(replies: readonly Reply[]): string[] {
  const problems: string[] = [];
  for (const r of replies) {
    if (!r.choices) continue;
    for (const b of blocksOf(renderSlack(r))) {
      for (const el of (Array.isArray(b.elements) ? b.elements : []) as Json[]) {
        if (el.type !== "button" || el.action_id === "kneebot-done") continue;
        const parsed = parseAction({ actions: [{ ...el }] });
        const value = (el.value as string | undefined) ?? "";
        if (
          parsed.type !== "choice" ||
          parsed.setId !== r.choices.id ||
          parsed.values.join() !== value
        )
          problems.push(`slack button ${String(el.action_id)} parses to ${JSON.stringify(parsed)}`);
      }
    }
  }
  return problems;
}

// ESC [ <digits;> m: the SGR styling the terminal renderer adds itself.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the escape character is the point.
const SGR = /\u001b\[[0-9;]*m/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
const RAW_CONTROL = /[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u;

/** Control characters left in terminal output once \n and the renderer's own SGR are allowed. */
export function terminalProblems(replies: readonly Reply[]): string[] {
  const problems: string[] = [];
  for (const color of [true, false]) {
    replies.forEach((r, i) => {
      const out = renderTerminal(r, { color }).replace(SGR, "");
      const bad = RAW_CONTROL.exec(out);
      if (bad)
        problems.push(
          `terminal reply ${i} (color ${color}): raw U+${bad[0].codePointAt(0)!.toString(16).padStart(4, "0")}`,
        );
    });
  }
  return problems;
}

/** Every check at once, for one turn's replies. */
export function allProblems(replies: readonly Reply[]): string[] {
  return [
    ...replyProblems(replies),
    ...discordRenderings(replies).flatMap(discordProblems),
    ...discordClickProblems(replies),
    ...replies.flatMap((r) => slackProblems(renderSlack(r))),
    ...slackClickProblems(replies),
    ...terminalProblems(replies),
  ];
}
