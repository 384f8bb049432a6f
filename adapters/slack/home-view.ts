/**
 * HomeView → the App Home tab (a Block Kit `home` view). PURE. The engine's replies are rendered
 * as in a message (render.ts) and their choices keep the engine's set ids, behind the
 * HOME_ACTION_PREFIX so the Home listener (home.ts) gets their clicks; the check in progress gets
 * Continue and Cancel, the privacy notice a "Forget me" that asks for confirmation first.
 */
import type { HomeView, Reply } from "../../src/index.ts";
import { renderReply } from "./render.ts";
import type { Block } from "./types.ts";

/** Every action id on the Home tab starts with this (the catch-all in handlers.ts skips them). */
export const HOME_ACTION_PREFIX = "kneebot-home:";
/** The Home view's callback id. */
export const HOME_CALLBACK_ID = "kneebot_home";
/** Most blocks in a Home tab view (Slack's limit). */
export const MAX_HOME_BLOCKS = 100;

/** What the Home tab's own buttons do (after the prefix). */
export const HOME_ACTIONS = {
  continue: "continue",
  cancel: "cancel",
  forget: "forget",
} as const;

/** The Home tab's own wording: headings and its three buttons. */
export const HOME_WORDING = {
  title: "kneebot",
  check: "Your knee check",
  continue: "Continue in Messages",
  cancel: "Cancel the check",
  checkIns: "Check-ins",
  privacy: "Privacy",
  forget: "Forget me",
  forgetConfirmTitle: "Forget me?",
  forgetConfirmText:
    "This deletes your knee check and any check-ins you booked, straight away. It can't be undone.",
  forgetConfirmYes: "Forget me",
  forgetConfirmNo: "Keep them",
} as const;

const plain = (text: string) => ({ type: "plain_text", text });
const header = (text: string): Block => ({ type: "header", text: plain(text) });
const divider: Block = { type: "divider" };

function button(action: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: "button",
    action_id: `${HOME_ACTION_PREFIX}${action}`,
    text: plain(text),
    ...extra,
  };
}

/** A reply's blocks as in a message, its controls' action ids moved behind the prefix. */
function replyBlocks(reply: Reply, withChoices = true): Block[] {
  const blocks = renderReply(withChoices ? reply : { ...reply, choices: undefined }).flatMap(
    (m) => m.blocks,
  );
  return blocks.map((b) =>
    b.type !== "actions"
      ? b
      : {
          ...b,
          elements: (b.elements as Record<string, unknown>[]).map((e) => ({
            ...e,
            action_id: `${HOME_ACTION_PREFIX}${String(e.action_id)}`,
          })),
        },
  );
}

/** The Home tab for `view`. */
export function renderHome(view: HomeView): { type: "home"; callback_id: string; blocks: Block[] } {
  const w = HOME_WORDING;
  const blocks: Block[] = [header(w.title), ...replyBlocks(view.about)];
  if (view.check) {
    blocks.push(divider, header(w.check));
    for (const reply of view.check) blocks.push(...replyBlocks(reply, false));
    blocks.push({
      type: "actions",
      block_id: "kneebot-home-check",
      elements: [
        button(HOME_ACTIONS.continue, w.continue, { style: "primary" }),
        button(HOME_ACTIONS.cancel, w.cancel),
      ],
    });
  }
  blocks.push(divider, header(w.checkIns));
  for (const reply of view.checkIns) blocks.push(...replyBlocks(reply));
  const privacy: Block[] = [divider, header(w.privacy), ...replyBlocks(view.privacy)];
  privacy.push({
    type: "actions",
    block_id: "kneebot-home-privacy",
    elements: [
      button(HOME_ACTIONS.forget, w.forget, {
        style: "danger",
        confirm: {
          title: plain(w.forgetConfirmTitle),
          text: plain(w.forgetConfirmText),
          confirm: plain(w.forgetConfirmYes),
          deny: plain(w.forgetConfirmNo),
          style: "danger",
        },
      }),
    ],
  });
  // Many check-ins could pass Slack's limit: the privacy part at the end is always kept.
  const body = blocks.slice(0, MAX_HOME_BLOCKS - privacy.length);
  return { type: "home", callback_id: HOME_CALLBACK_ID, blocks: [...body, ...privacy] };
}
