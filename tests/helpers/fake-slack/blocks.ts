/**
 * Block Kit checks the fake Slack applies to every message it receives, using Slack's
 * documented limits, so a test fails the way the real API would (`invalid_blocks`).
 */

const LIMITS = {
  blocks: 50,
  sectionText: 3000,
  contextElements: 10,
  actionsElements: 25,
  buttonText: 75,
  optionText: 75,
  actionId: 255,
  blockId: 255,
  buttonValue: 2000,
  selectOptions: 100,
  optionGroups: 100,
  checkboxOptions: 10,
  placeholder: 150,
  headerText: 150,
} as const;

type Obj = Record<string, unknown>;

const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

function textOf(v: unknown): string | undefined {
  return isObj(v) && typeof v.text === "string" ? v.text : undefined;
}

function checkOptions(options: unknown, max: number, where: string, errors: string[]): void {
  if (!Array.isArray(options)) {
    errors.push(`${where}: options must be an array`);
    return;
  }
  if (options.length === 0 || options.length > max)
    errors.push(`${where}: ${options.length} options (1..${max})`);
  for (const o of options) {
    const text = textOf(isObj(o) ? o.text : undefined);
    if (text === undefined || text.length > LIMITS.optionText)
      errors.push(`${where}: option text over ${LIMITS.optionText}`);
    if (!isObj(o) || typeof o.value !== "string") errors.push(`${where}: option without value`);
  }
}

function checkElement(el: unknown, where: string, errors: string[], actionIds: Set<string>): void {
  if (!isObj(el)) {
    errors.push(`${where}: element is not an object`);
    return;
  }
  const id = el.action_id;
  if (typeof id !== "string" || id.length === 0 || id.length > LIMITS.actionId) {
    errors.push(`${where}: bad action_id`);
  } else if (actionIds.has(id)) {
    errors.push(`${where}: duplicate action_id ${id}`);
  } else {
    actionIds.add(id);
  }
  switch (el.type) {
    case "button": {
      const text = textOf(el.text);
      if (text === undefined || text.length === 0 || text.length > LIMITS.buttonText)
        errors.push(`${where}: button text must be 1..${LIMITS.buttonText}`);
      if (typeof el.value === "string" && el.value.length > LIMITS.buttonValue)
        errors.push(`${where}: button value too long`);
      break;
    }
    case "static_select":
    case "multi_static_select": {
      const placeholder = textOf(el.placeholder);
      if (placeholder !== undefined && placeholder.length > LIMITS.placeholder)
        errors.push(`${where}: placeholder too long`);
      if (Array.isArray(el.option_groups)) {
        if (el.option_groups.length > LIMITS.optionGroups)
          errors.push(`${where}: too many option groups`);
        el.option_groups.forEach((g, i) => {
          checkOptions(
            isObj(g) ? g.options : undefined,
            LIMITS.selectOptions,
            `${where}.group${i}`,
            errors,
          );
        });
      } else {
        checkOptions(el.options, LIMITS.selectOptions, where, errors);
      }
      break;
    }
    case "checkboxes":
      checkOptions(el.options, LIMITS.checkboxOptions, where, errors);
      break;
    default:
      errors.push(`${where}: unsupported element type ${String(el.type)}`);
  }
}

/** Returns the reasons `blocks` would be rejected by Slack (empty when valid). */
export function blockErrors(blocks: unknown, options: { maxBlocks?: number } = {}): string[] {
  const errors: string[] = [];
  if (!Array.isArray(blocks)) return ["blocks must be an array"];
  const max = options.maxBlocks ?? LIMITS.blocks;
  if (blocks.length > max) errors.push(`${blocks.length} blocks (max ${max})`);
  const actionIds = new Set<string>();
  const blockIds = new Set<string>();
  blocks.forEach((block, i) => {
    const where = `blocks[${i}]`;
    if (!isObj(block)) {
      errors.push(`${where}: not an object`);
      return;
    }
    if (typeof block.block_id === "string") {
      if (block.block_id.length > LIMITS.blockId) errors.push(`${where}: block_id too long`);
      if (blockIds.has(block.block_id)) errors.push(`${where}: duplicate block_id`);
      blockIds.add(block.block_id);
    }
    if (block.type === "section") {
      const text = textOf(block.text);
      if (text === undefined || text.length === 0 || text.length > LIMITS.sectionText) {
        errors.push(`${where}: section text must be 1..${LIMITS.sectionText} chars`);
      }
    } else if (block.type === "header") {
      const text = isObj(block.text) && block.text.type === "plain_text" ? textOf(block.text) : "";
      if (!text || text.length > LIMITS.headerText)
        errors.push(`${where}: header needs plain_text of 1..${LIMITS.headerText} chars`);
    } else if (block.type === "divider") {
      // Nothing to check.
    } else if (block.type === "context") {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > LIMITS.contextElements)
        errors.push(`${where}: context elements`);
      for (const e of elements) {
        const text = textOf(e);
        if (text === undefined || text.length > LIMITS.sectionText)
          errors.push(`${where}: context text`);
      }
    } else if (block.type === "actions") {
      const elements = Array.isArray(block.elements) ? block.elements : [];
      if (elements.length === 0 || elements.length > LIMITS.actionsElements) {
        errors.push(`${where}: actions must have 1..${LIMITS.actionsElements} elements`);
      }
      elements.forEach((el, j) => {
        checkElement(el, `${where}.elements[${j}]`, errors, actionIds);
      });
    } else {
      errors.push(`${where}: unsupported block type ${String(block.type)}`);
    }
  });
  return errors;
}
