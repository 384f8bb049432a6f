/**
 * Platform component ids for choices. A button carries both the set it answers and the option
 * value, joined by "#"; a select menu or checklist carries the set id alone and the platform
 * sends the picked values. Every id fits Discord's 100-character custom_id limit.
 */

/** Longest ChoiceSet id the engine produces. */
export const MAX_SET_ID_CHARS = 48;
/** Longest option value the engine produces. */
export const MAX_VALUE_CHARS = 40;
/** Longest component id any platform needs to hold (Discord's custom_id limit). */
export const MAX_COMPONENT_ID_CHARS = 100;

const SEPARATOR = "#";

/** Component id for one button: the set id plus the value it picks. */
export function encodeButtonId(setId: string, value: string): string {
  return `${setId}${SEPARATOR}${value}`;
}

/** Splits a component id back into the set it answers and the value picked, if any. */
export function decodeComponentId(componentId: string): { setId: string; value?: string } {
  const at = componentId.lastIndexOf(SEPARATOR);
  if (at < 0) return { setId: componentId };
  return { setId: componentId.slice(0, at), value: componentId.slice(at + 1) };
}
