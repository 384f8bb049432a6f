/**
 * Reply → Discord payloads, PURE (no client, no I/O). Text is split to fit Discord's
 * 2,000-character limit; choices become buttons (≤ 5 options), a select menu (> 5), or a
 * multi-select checklist. Discord has no ephemeral message outside an interaction: messages
 * marked `private` are sent ephemerally in an interaction and by DM otherwise (index.ts).
 */

import type { APIButtonComponent, APIStringSelectComponent } from "discord.js";
import { ButtonStyle, ComponentType } from "discord.js";
import {
  type ChoiceSet,
  encodeButtonId,
  MAX_COMPONENT_ID_CHARS,
  type Reply,
  splitText,
  truncate,
} from "../../src/index.ts";
import type { ComponentRow, OutgoingMessage } from "./types.ts";

/** Discord's limit on a message's content. */
export const MAX_CONTENT_CHARS = 2000;
/** Action rows per message. */
export const MAX_ROWS = 5;
/** Buttons per action row. */
export const MAX_BUTTONS_PER_ROW = 5;
/** Options in one select menu. */
export const MAX_SELECT_OPTIONS = 25;
/** A button's label. */
export const MAX_BUTTON_LABEL_CHARS = 80;
/** A select option's label. */
export const MAX_OPTION_LABEL_CHARS = 100;
/** A select option's value. */
export const MAX_OPTION_VALUE_CHARS = 100;
/** A select menu's placeholder. */
export const MAX_PLACEHOLDER_CHARS = 150;
/** A component's custom_id. */
export const MAX_CUSTOM_ID_CHARS = MAX_COMPONENT_ID_CHARS;

/** Adapter-owned button: copy this (ephemeral) question into the user's DMs. */
export const CONTINUE_IN_DM_ID = "kneebot:dm";
/** Adapter-owned button: send this public answer to the user by DM. */
export const SEND_PRIVATELY_ID = "kneebot:private";

/** The adapter's own wording for its own features (everything else comes from the engine). */
export const TEXT = {
  continueInDm: "Continue in DMs",
  sendPrivately: "Send me this privately",
  movedToDm: "I've sent you a DM. Let's carry on there, just between us.",
  sentPrivately: "I've sent it to your DMs.",
  mentionPrivate:
    "That's a personal one, so I've sent you a DM with the details. You can also use /knee here for a private chat.",
  mentionDmClosed:
    "That's a personal one, so I'd rather not answer here. I couldn't DM you: please allow direct messages from server members (Privacy Settings), or use /knee for a private chat.",
  dmClosed:
    "I couldn't send you a DM. Please allow direct messages from server members (right-click the server → Privacy Settings), then try again.",
  answeredPrivately: "I've answered you privately.",
  chooseOne: "Please choose:",
  done: "Done.",
  tickAll: "Tick all that apply",
  pickOne: "Pick one",
  yourAnswer: "Your answer:",
} as const;

/** Splits reply text into message contents within Discord's limit, keeping **bold** spans whole. */
export function splitContent(text: string): string[] {
  return splitText(text, MAX_CONTENT_CHARS, { span: "**" });
}

/** Components for one choice set (one action row), within all Discord limits. */
export function renderChoices(set: ChoiceSet): ComponentRow[] {
  const seen = new Set<string>();
  const options = set.options.filter((o) => {
    if (seen.has(o.value) || o.value.length === 0) return false;
    seen.add(o.value);
    return true;
  });
  if (options.length === 0) return [];
  if (set.mode === "single" && options.length <= MAX_BUTTONS_PER_ROW) {
    const buttons: APIButtonComponent[] = options
      .map((o) => ({ o, id: encodeButtonId(set.id, o.value) }))
      .filter(({ id }) => id.length <= MAX_CUSTOM_ID_CHARS)
      .map(({ o, id }) => ({
        type: ComponentType.Button,
        style: ButtonStyle.Primary,
        custom_id: id,
        label: truncate(o.label, MAX_BUTTON_LABEL_CHARS),
      }));
    return buttons.length > 0 ? [{ type: ComponentType.ActionRow, components: buttons }] : [];
  }
  if (set.id.length > MAX_CUSTOM_ID_CHARS) return [];
  const selectable = options
    .filter((o) => o.value.length <= MAX_OPTION_VALUE_CHARS)
    .slice(0, MAX_SELECT_OPTIONS);
  const multi = set.mode === "multi";
  const select: APIStringSelectComponent = {
    type: ComponentType.StringSelect,
    custom_id: set.id,
    // A select menu submits when it closes: there is no submit button to label.
    placeholder: truncate(multi ? TEXT.tickAll : TEXT.pickOne, MAX_PLACEHOLDER_CHARS),
    min_values: 1,
    max_values: multi ? selectable.length : 1,
    options: selectable.map((o) => ({
      label: truncate(o.label, MAX_OPTION_LABEL_CHARS),
      value: o.value,
    })),
  };
  return [{ type: ComponentType.ActionRow, components: [select] }];
}

/** Where the replies will be shown: a server channel, or a DM with the bot. */
export type Where = "guild" | "dm";

/** How {@link renderReplies} treats a batch of replies. */
export interface RenderOptions {
  /** Add "Continue in DMs" to the last private question (default: in a guild). */
  offerDm?: boolean;
  /**
   * Treat every reply as private: the conversation is already private (a private command such
   * as /knee, or a click on an ephemeral message), so even a greeting stays with the user.
   */
  allPrivate?: boolean;
}

/**
 * Renders replies to messages in order. In a guild, replies the engine made private are marked
 * `private`, the last private question gets a "Continue in DMs" button, and public FAQ
 * answers get a "Send me this privately" button. In a DM nothing is marked private.
 */
export function renderReplies(
  replies: readonly Reply[],
  where: Where,
  options: RenderOptions = {},
): OutgoingMessage[] {
  const offerDm = options.offerDm ?? where === "guild";
  const out: OutgoingMessage[] = [];
  for (const group of groupReplies(replies, where, options.allPrivate === true)) {
    const last = group.replies[group.replies.length - 1]!;
    const rows = last.choices ? renderChoices(last.choices) : [];
    const text = group.replies
      .map((r) => r.text.trim())
      .filter(Boolean)
      .join("\n\n");
    const chunks = splitContent(text || (rows.length > 0 ? TEXT.chooseOne : ""));
    const isAnswer = group.replies.some((r) => r.kind === "answer");
    chunks.forEach((content, i) => {
      const isLast = i === chunks.length - 1;
      const components = isLast ? [...rows] : [];
      if (isLast && where === "guild" && !group.private && isAnswer) {
        appendRow(components, button(SEND_PRIVATELY_ID, TEXT.sendPrivately));
      }
      out.push({
        content,
        components,
        private: group.private,
        hasChoices: isLast && rows.length > 0,
        ...(isLast ? {} : { continues: true }),
      });
    });
  }
  if (offerDm && where === "guild") {
    const lastPrivate = out.filter((m) => m.private).at(-1);
    if (lastPrivate?.hasChoices) {
      appendRow(lastPrivate.components, button(CONTINUE_IN_DM_ID, TEXT.continueInDm));
    }
  }
  return out;
}

/**
 * Consecutive replies with the same visibility go in one message (fewer notifications and
 * API calls); a reply with choices ends its message, so the choices come last.
 */
function groupReplies(
  replies: readonly Reply[],
  where: Where,
  allPrivate: boolean,
): { private: boolean; replies: Reply[] }[] {
  const groups: { private: boolean; replies: Reply[] }[] = [];
  for (const reply of replies) {
    const priv = where === "guild" && (allPrivate || reply.visibility === "private");
    const current = groups[groups.length - 1];
    const open = current && current.private === priv && !current.replies.at(-1)?.choices;
    if (open) current.replies.push(reply);
    else groups.push({ private: priv, replies: [reply] });
  }
  return groups;
}

function button(customId: string, label: string): APIButtonComponent {
  return { type: ComponentType.Button, style: ButtonStyle.Secondary, custom_id: customId, label };
}

function appendRow(rows: ComponentRow[], ...buttons: APIButtonComponent[]): void {
  if (rows.length < MAX_ROWS) rows.push({ type: ComponentType.ActionRow, components: buttons });
}

/** Content for a message whose question was answered: the question plus the answer chosen. */
export function answeredContent(question: string, labels: readonly string[]): string {
  if (labels.length === 0) return truncate(question.trim(), MAX_CONTENT_CHARS) || TEXT.done;
  const answer = `**${TEXT.yourAnswer}** ${labels.join(", ")}`;
  const room = MAX_CONTENT_CHARS - 2 - Math.min(answer.length, MAX_CONTENT_CHARS / 2);
  return `${truncate(question.trim(), room)}\n\n${truncate(answer, MAX_CONTENT_CHARS / 2)}`.trim();
}

/** Removes the adapter's own button rows, keeping the choices (used when copying to a DM). */
export function withoutAdapterRows(rows: readonly ComponentRow[]): ComponentRow[] {
  const ours = new Set<string>([CONTINUE_IN_DM_ID, SEND_PRIVATELY_ID]);
  return rows.filter(
    (row) => !row.components.some((c) => "custom_id" in c && ours.has(c.custom_id)),
  );
}
