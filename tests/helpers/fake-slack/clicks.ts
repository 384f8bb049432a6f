/**
 * Acts like a person in Slack: reads the controls of a message the app posted and builds the
 * block_actions payload a click on them produces (buttons, a select menu, a checklist's Done).
 */
import { blockActions } from "./payloads.ts";

type Obj = Record<string, unknown>;

interface Option {
  value: string;
  text: { type: string; text: string };
}

/** How the person picks: labels to tick on a checklist, or the label to press or select. */
export interface Picker {
  tick(labels: string[]): string[];
  pick(labels: string[]): string;
}

/** What a message's controls are, for tests that assert on them. */
export function controlsOf(blocks: unknown): Obj[] {
  const list = Array.isArray(blocks) ? (blocks as Obj[]) : [];
  return list
    .filter((b) => b.type === "actions")
    .flatMap((b) => (b.elements as Obj[]).map((e) => ({ ...e, block_id: b.block_id })));
}

/** Builds the payload of clicking `picker`'s choice in `message` (its blocks and ts). */
export function clickOn(
  message: { blocks: unknown; ts?: string },
  picker: Picker,
  where: { user: string; channel: string; responseUrl: string; ephemeral?: boolean },
) {
  const controls = controlsOf(message.blocks);
  const done = controls.find((c) => c.action_id === "kneebot-done");
  const common = {
    ...where,
    ...(where.ephemeral ? {} : { message: { ts: message.ts, blocks: message.blocks } }),
  };
  if (done) {
    const groups = controls.filter((c) => c.type === "checkboxes");
    const labels = groups.flatMap((g) => (g.options as Option[]).map((o) => o.text.text));
    const wanted = new Set(picker.tick(labels));
    const state: Obj = {};
    for (const g of groups) {
      const selected = (g.options as Option[]).filter((o) => wanted.has(o.text.text));
      state[g.block_id as string] = {
        [g.action_id as string]: { type: "checkboxes", selected_options: selected },
      };
    }
    return blockActions({
      ...common,
      state,
      action: { type: "button", action_id: "kneebot-done", block_id: done.block_id, value: "done" },
    });
  }
  const select = controls.find((c) => c.type === "static_select");
  if (select) {
    const options =
      (select.options as Option[] | undefined) ??
      (select.option_groups as { options: Option[] }[]).flatMap((g) => g.options);
    const label = picker.pick(options.map((o) => o.text.text));
    const option = options.find((o) => o.text.text === label)!;
    return blockActions({
      ...common,
      action: {
        type: "static_select",
        action_id: select.action_id,
        block_id: select.block_id,
        selected_option: option,
      },
    });
  }
  const buttons = controls.filter((c) => c.type === "button");
  if (buttons.length === 0) throw new Error("no controls on this message");
  const label = picker.pick(buttons.map((b) => (b.text as { text: string }).text));
  const button = buttons.find((b) => (b.text as { text: string }).text === label)!;
  return blockActions({
    ...common,
    action: {
      type: "button",
      action_id: button.action_id,
      block_id: button.block_id,
      value: button.value,
      text: button.text,
    },
  });
}
