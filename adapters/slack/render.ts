/**
 * Reply → Slack Block Kit payloads. PURE: no I/O, no Slack SDK. Every piece of reply text is
 * escaped (the engine may echo what a user typed), so `<!channel>`, `<!here>` or `<@U…>` in a
 * reply shows as text and pings nobody; the Markdown subset becomes mrkdwn; long texts and
 * large choice sets are split to stay inside Slack's limits.
 */

import {
  type ChoiceOption,
  type ChoiceSet,
  encodeButtonId,
  type Reply,
  splitText,
  truncate,
} from "../../src/index.ts";
import {
  type Block,
  CHECKLIST_GROUP_PREFIX,
  DONE_ACTION_ID,
  FALLBACK_TEXT_CHARS,
  MAX_BLOCKS_PER_MESSAGE,
  MAX_BUTTON_TEXT_CHARS,
  MAX_BUTTON_VALUE_CHARS,
  MAX_BUTTONS,
  MAX_CHECKBOX_OPTIONS,
  MAX_OPTION_GROUPS,
  MAX_PLACEHOLDER_CHARS,
  MAX_SECTION_TEXT_CHARS,
  MAX_SELECT_OPTIONS,
  SHARE_ACTION_ID,
  type SlackMessage,
} from "./types.ts";

/** Escapes the three characters Slack treats as control sequences (`&`, `<`, `>`). */
export function escapeText(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/**
 * Converts the reply Markdown subset to Slack mrkdwn, escaping first: `**b**` → `*b*`,
 * `- item` → `• item`; paragraphs and bare URLs pass through (Slack links bare URLs itself).
 */
export function toMrkdwn(markdown: string): string {
  return escapeText(markdown.replace(/\r\n?/g, "\n"))
    .replace(/\*\*(\S(?:[^\n]*?\S)?)\*\*/g, "*$1*")
    .replace(/^([ \t]*)- /gm, "$1• ");
}

function plain(text: string, max = MAX_BUTTON_TEXT_CHARS): { type: "plain_text"; text: string } {
  return { type: "plain_text", text: truncate(text, max) };
}

function option(o: ChoiceOption): Record<string, unknown> {
  return { text: plain(o.label), value: o.value };
}

/** Options for a select menu: flat up to MAX_SELECT_OPTIONS, in option groups beyond. */
function selectOptions(options: ChoiceOption[]): Record<string, unknown> {
  if (options.length <= MAX_SELECT_OPTIONS) return { options: options.map(option) };
  const groups: Record<string, unknown>[] = [];
  for (
    let i = 0;
    i < options.length && groups.length < MAX_OPTION_GROUPS;
    i += MAX_SELECT_OPTIONS
  ) {
    const part = options.slice(i, i + MAX_SELECT_OPTIONS);
    groups.push({ label: plain(`${i + 1}–${i + part.length}`), options: part.map(option) });
  }
  return { option_groups: groups };
}

/**
 * The blocks for a choice set. Single choice: one actions block of up to MAX_BUTTONS buttons
 * (each id encodes set and value), else a static_select whose action id is the set id.
 * Checklist: checkbox groups of up to MAX_CHECKBOX_OPTIONS, one actions block each, stacked;
 * the last block also holds the submit button and has the set id as its block_id.
 */
export function renderChoices(set: ChoiceSet): Block[] {
  if (set.mode === "single") {
    const elements =
      set.options.length <= MAX_BUTTONS
        ? set.options.map((o) => ({
            type: "button",
            action_id: encodeButtonId(set.id, o.value),
            value: o.value,
            text: plain(o.label),
          }))
        : [
            {
              type: "static_select",
              action_id: set.id,
              placeholder: plain("Choose…", MAX_PLACEHOLDER_CHARS),
              ...selectOptions(set.options),
            },
          ];
    return [{ type: "actions", block_id: set.id, elements }];
  }
  const groups: ChoiceOption[][] = [];
  for (let i = 0; i < set.options.length; i += MAX_CHECKBOX_OPTIONS) {
    groups.push(set.options.slice(i, i + MAX_CHECKBOX_OPTIONS));
  }
  const done = {
    type: "button",
    action_id: DONE_ACTION_ID,
    value: "done",
    style: "primary",
    text: plain(set.submitLabel ?? "Done"),
  };
  return groups.map((options, i) => {
    const last = i === groups.length - 1;
    const checkboxes = {
      type: "checkboxes",
      action_id: i === 0 ? set.id : `${CHECKLIST_GROUP_PREFIX}${i}`,
      options: options.map(option),
    };
    return {
      type: "actions",
      block_id: last ? set.id : `${CHECKLIST_GROUP_PREFIX}${i}`,
      elements: last ? [checkboxes, done] : [checkboxes],
    };
  });
}

/** The "Share in channel" button under a private FAQ answer; its value is the question. */
export function renderShareButton(question: string): Block {
  return {
    type: "actions",
    block_id: "kneebot-share",
    elements: [
      {
        type: "button",
        action_id: SHARE_ACTION_ID,
        value: question.slice(0, MAX_BUTTON_VALUE_CHARS),
        text: plain("Share in channel"),
      },
    ],
  };
}

function fallback(blocks: Block[]): string {
  const first = blocks.find((b) => b.type === "section");
  const text = (first?.text as { text?: string } | undefined)?.text ?? "";
  return truncate(text, FALLBACK_TEXT_CHARS) || " ";
}

/** Packs blocks into messages of at most MAX_BLOCKS_PER_MESSAGE; `tail` stays together at the end. */
export function packMessages(sections: Block[], tail: Block[] = []): SlackMessage[] {
  const messages: Block[][] = [];
  for (let i = 0; i < sections.length; i += MAX_BLOCKS_PER_MESSAGE) {
    messages.push(sections.slice(i, i + MAX_BLOCKS_PER_MESSAGE));
  }
  const last = messages.at(-1);
  if (tail.length > 0) {
    if (last && last.length + tail.length <= MAX_BLOCKS_PER_MESSAGE) last.push(...tail);
    else messages.push([...tail]);
  }
  return messages.map((blocks) => ({ text: fallback(blocks), blocks }));
}

/** Options for rendering one reply. */
export interface RenderOptions {
  /** Adds a "Share in channel" button carrying this question (private FAQ answers). */
  shareQuestion?: string;
}

/** Renders one reply as one or more Slack messages; choices go on the last message. */
export function renderReply(reply: Reply, options: RenderOptions = {}): SlackMessage[] {
  const sections: Block[] = splitText(toMrkdwn(reply.text), MAX_SECTION_TEXT_CHARS).map((text) => ({
    type: "section",
    text: { type: "mrkdwn", text },
  }));
  const tail: Block[] = [];
  if (reply.choices && reply.choices.options.length > 0) tail.push(...renderChoices(reply.choices));
  if (options.shareQuestion !== undefined) tail.push(renderShareButton(options.shareQuestion));
  return packMessages(sections, tail);
}

/** A one-section message of plain wording (escaped and converted like any reply). */
export function renderNotice(text: string): SlackMessage {
  return packMessages([{ type: "section", text: { type: "mrkdwn", text: toMrkdwn(text) } }])[0]!;
}

/**
 * The original message after a click: its blocks without the controls, plus a line showing
 * what was picked. Ephemeral messages do not come back in the click payload, so `original`
 * may be missing; then only the picked line is shown.
 */
export function renderChosen(original: Block[] | undefined, labels: string[]): SlackMessage {
  const kept = (original ?? []).filter((b) => b.type !== "actions");
  const picked = labels.length > 0 ? labels.join(", ") : "nothing";
  const line = `✓ ${escapeText(truncate(picked, MAX_SECTION_TEXT_CHARS - 2))}`;
  const blocks: Block[] = [
    ...kept,
    { type: "context", elements: [{ type: "mrkdwn", text: line }] },
  ];
  return { text: fallback(kept) === " " ? line : fallback(kept), blocks };
}
