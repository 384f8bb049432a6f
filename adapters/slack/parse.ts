/**
 * Slack payloads → platform-neutral pieces of a Turn. PURE. Slack sends message text with its
 * own markup (`&amp;`, `<@U…>`, `<https://…|label>`); it is turned back into plain text here,
 * and escaped again on the way out by render.ts.
 */
import {
  COMMANDS,
  type CommandName,
  decodeComponentId,
  MAX_SET_ID_CHARS,
  MAX_VALUE_CHARS,
  type Place,
} from "../../src/index.ts";
import { CHECKLIST_GROUP_PREFIX, DONE_ACTION_ID, SHARE_ACTION_ID } from "./types.ts";

/** Adapter name used as the Turn's platform. */
export const PLATFORM = "slack";

/** Reads a nested property of an unknown value, or undefined. */
export function pick(value: unknown, ...path: (string | number)[]): unknown {
  let at: unknown = value;
  for (const key of path) {
    if (at === null || typeof at !== "object") return undefined;
    at = (at as Record<string | number, unknown>)[key];
  }
  return at;
}

/** Reads a nested string property, or undefined. */
export function pickString(value: unknown, ...path: (string | number)[]): string | undefined {
  const at = pick(value, ...path);
  return typeof at === "string" ? at : undefined;
}

/** DM channel ids start with "D"; anything else is a shared channel. */
export function placeOf(channelId: string | undefined): Place {
  if (!channelId || channelId.startsWith("D")) return { kind: "dm" };
  return { kind: "channel", id: channelId };
}

/** What `/knee <text>` asks for: no text → triage; a command word → that command; else ask. */
export function parseSlashText(text: string): { command: CommandName; args?: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { command: "triage" };
  const [first = "", ...rest] = trimmed.split(/\s+/);
  const word = first.toLowerCase();
  if (word === "ask")
    return rest.length > 0 ? { command: "ask", args: rest.join(" ") } : { command: "help" };
  if (rest.length === 0 && (COMMANDS as readonly string[]).includes(word)) {
    return { command: word as CommandName };
  }
  return { command: "ask", args: trimmed };
}

/**
 * Slack message markup → plain text: mentions of `botUserId` removed, other mentions and
 * links reduced to readable text, entities unescaped.
 */
export function slackTextToPlain(text: string, botUserId?: string): string {
  return text
    .replace(/<@([A-Z0-9]+)(?:\|[^>]*)?>/g, (_m, id: string) =>
      id === botUserId ? "" : "@someone",
    )
    .replace(/<!(channel|here|everyone)(?:\|[^>]*)?>/g, "@$1")
    .replace(/<!subteam\^[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, label?: string) => label ?? "@group")
    .replace(/<#[A-Z0-9]+(?:\|([^>]*))?>/g, (_m, name?: string) => `#${name ?? "channel"}`)
    .replace(/<((?:https?|mailto):[^|>]+)(?:\|([^>]*))?>/g, (_m, url: string, label?: string) =>
      label && label !== url ? `${label} (${url})` : url,
    )
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&")
    .replace(/\s+/g, " ")
    .trim();
}

/** A click, decoded: a choice for the engine, a share request, or nothing to do. */
export type ParsedAction =
  | { type: "choice"; setId: string; values: string[]; labels: string[] }
  | { type: "share"; question: string }
  | { type: "ignore"; reason: string };

interface SlackOption {
  value?: unknown;
  text?: { text?: unknown };
}

function optionsOf(list: unknown): { values: string[]; labels: string[] } {
  const options = Array.isArray(list) ? (list as SlackOption[]) : [];
  return {
    values: options.map((o) => String(o.value ?? "")),
    labels: options.map((o) => String(o.text?.text ?? o.value ?? "")),
  };
}

/** Ticked options of a checklist: its own block plus any extra checkbox groups. */
function checklistState(body: unknown, setId: string): { values: string[]; labels: string[] } {
  const blocks = (pick(body, "state", "values") ?? {}) as Record<string, unknown>;
  const picked: unknown[] = [];
  for (const [blockId, elements] of Object.entries(blocks)) {
    if (blockId !== setId && !blockId.startsWith(CHECKLIST_GROUP_PREFIX)) continue;
    for (const state of Object.values((elements ?? {}) as Record<string, unknown>)) {
      const selected = pick(state, "selected_options");
      if (Array.isArray(selected)) picked.push(...selected);
    }
  }
  return optionsOf(picked);
}

function sane(setId: string, values: string[]): boolean {
  return (
    setId.length > 0 &&
    setId.length <= MAX_SET_ID_CHARS &&
    !/[\s<>]/.test(setId) &&
    values.every((v) => v.length > 0 && v.length <= MAX_VALUE_CHARS)
  );
}

/** Decodes the first action of a block_actions payload (Bolt's `body`). */
export function parseAction(body: unknown): ParsedAction {
  const action = pick(body, "actions", 0);
  const actionId = pickString(action, "action_id") ?? "";
  const type = pickString(action, "type");
  const blockId = pickString(action, "block_id") ?? "";
  if (actionId === SHARE_ACTION_ID) {
    const question = pickString(action, "value") ?? "";
    return question ? { type: "share", question } : { type: "ignore", reason: "empty-share" };
  }
  let choice: { setId: string; values: string[]; labels: string[] };
  if (actionId === DONE_ACTION_ID) {
    choice = { setId: blockId, ...checklistState(body, blockId) };
  } else if (type === "checkboxes" || type === "multi_static_select") {
    return { type: "ignore", reason: "checklist-toggle" };
  } else if (type === "static_select") {
    const selected = pick(action, "selected_option");
    choice = { setId: actionId, ...optionsOf(selected ? [selected] : []) };
  } else if (type === "button") {
    const { setId, value } = decodeComponentId(actionId);
    const label = pickString(action, "text", "text") ?? value ?? "";
    choice = { setId, values: value ? [value] : [], labels: [label] };
    if (!value) return { type: "ignore", reason: "button-without-value" };
  } else {
    return { type: "ignore", reason: `unsupported-${type ?? "action"}` };
  }
  if (!sane(choice.setId, choice.values)) return { type: "ignore", reason: "malformed-id" };
  return { type: "choice", ...choice };
}
