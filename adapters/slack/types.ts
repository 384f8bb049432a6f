/**
 * Shared types and Slack platform limits for the Slack adapter. Limits are Slack's documented
 * Block Kit limits (https://docs.slack.dev/reference/block-kit), some rounded down on purpose.
 */

/** The core's one Logger (the adapter never gives it message text). */
export type { Logger } from "../../src/index.ts";

/** Most characters in a section block's text. */
export const MAX_SECTION_TEXT_CHARS = 3000;
/** Most blocks in one message. */
export const MAX_BLOCKS_PER_MESSAGE = 50;
/** Most elements in one actions block. */
export const MAX_ACTIONS_ELEMENTS = 25;
/** Most buttons we show before switching to a select menu. */
export const MAX_BUTTONS = 5;
/** Most options per select menu (option group beyond that); Slack allows 100, we keep 75. */
export const MAX_SELECT_OPTIONS = 75;
/** Most option groups in one select menu. */
export const MAX_OPTION_GROUPS = 100;
/** Most options in a checkboxes element; longer checklists use several stacked groups. */
export const MAX_CHECKBOX_OPTIONS = 10;
/** Most characters in a button's or an option's text. */
export const MAX_BUTTON_TEXT_CHARS = 75;
/** Most characters in an action_id or block_id. */
export const MAX_ACTION_ID_CHARS = 255;
/** Most characters in a button's value. */
export const MAX_BUTTON_VALUE_CHARS = 2000;
/** Most characters in a select menu's placeholder. */
export const MAX_PLACEHOLDER_CHARS = 150;
/** Characters of the notification fallback `text` sent alongside blocks. */
export const FALLBACK_TEXT_CHARS = 300;
/** Times Slack lets an app use one response_url. */
export const MAX_RESPONSE_URL_USES = 5;

/** Action id of a checklist's submit button (the set id rides in the block_id). */
export const DONE_ACTION_ID = "kneebot-done";
/** block_id/action_id prefix of a long checklist's extra checkbox groups. */
export const CHECKLIST_GROUP_PREFIX = "kneebot-check-";
/** Action id of the "Share in channel" button under a private FAQ answer. */
export const SHARE_ACTION_ID = "kneebot-share";

/** A Block Kit block as sent to Slack (kept loose: we only build, never read deeply). */
export type Block = Record<string, unknown> & { type: string };

/** One Slack message ready to send: blocks plus the plain fallback text for notifications. */
export interface SlackMessage {
  text: string;
  blocks: Block[];
}
