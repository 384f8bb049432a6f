/**
 * The message rules real Discord enforces, so adapter bugs fail loudly in tests: content
 * length, component limits, custom_id and label lengths, empty messages.
 */

/** Discord's limits, as documented. */
export const LIMITS = {
  content: 2000,
  rows: 5,
  buttonsPerRow: 5,
  selectOptions: 25,
  customId: 100,
  buttonLabel: 80,
  optionLabel: 100,
  optionValue: 100,
  placeholder: 150,
} as const;

/** A Discord JSON error body. */
export interface ApiError {
  status: number;
  code: number;
  message: string;
  problems?: string[];
}

type Json = Record<string, unknown>;

const SELECT_TYPES = new Set([3, 5, 6, 7, 8]);

/** Checks a message body; `partial` for edits, where every field is optional. */
export function validateMessage(body: Json, partial: boolean): ApiError | undefined {
  const problems: string[] = [];
  const content = body.content;
  if (content !== undefined && content !== null) {
    if (typeof content !== "string") problems.push("content: must be a string");
    else if (content.length > LIMITS.content) {
      problems.push(
        `content: Must be ${LIMITS.content} or fewer in length (got ${content.length})`,
      );
    }
  }
  const components = body.components;
  if (components !== undefined && components !== null) {
    if (!Array.isArray(components)) problems.push("components: must be an array");
    else problems.push(...validateComponents(components));
  }
  if (problems.length > 0) {
    return { status: 400, code: 50035, message: "Invalid Form Body", problems };
  }
  const hasContent = typeof content === "string" && content.trim().length > 0;
  const hasComponents = Array.isArray(components) && components.length > 0;
  const hasEmbeds = Array.isArray(body.embeds) && body.embeds.length > 0;
  if (!partial && !hasContent && !hasComponents && !hasEmbeds) {
    return { status: 400, code: 50006, message: "Cannot send an empty message" };
  }
  return undefined;
}

function validateComponents(rows: unknown[]): string[] {
  const problems: string[] = [];
  if (rows.length > LIMITS.rows) problems.push(`components: Must be ${LIMITS.rows} or fewer rows`);
  const ids = new Set<string>();
  rows.forEach((raw, r) => {
    const row = raw as Json;
    const at = `components.${r}`;
    if (row.type !== 1) {
      problems.push(`${at}.type: must be an action row (1)`);
      return;
    }
    const items = Array.isArray(row.components) ? (row.components as Json[]) : [];
    if (items.length < 1 || items.length > LIMITS.buttonsPerRow) {
      problems.push(`${at}.components: must have 1 to ${LIMITS.buttonsPerRow} components`);
    }
    const selects = items.filter((c) => SELECT_TYPES.has(Number(c.type)));
    if (selects.length > 0 && items.length > 1) {
      problems.push(`${at}.components: a select menu must be alone in its row`);
    }
    items.forEach((c, i) => {
      const cat = `${at}.components.${i}`;
      const id = c.custom_id;
      const isLink = c.type === 2 && c.style === 5;
      if (!isLink) {
        if (typeof id !== "string" || id.length === 0) problems.push(`${cat}.custom_id: required`);
        else if (id.length > LIMITS.customId) {
          problems.push(`${cat}.custom_id: Must be ${LIMITS.customId} or fewer in length`);
        } else if (ids.has(id)) problems.push(`${cat}.custom_id: duplicate custom_id ${id}`);
        else ids.add(id);
      }
      if (c.type === 2) problems.push(...validateButton(c, cat));
      else if (c.type === 3) problems.push(...validateSelect(c, cat));
      else if (!SELECT_TYPES.has(Number(c.type))) problems.push(`${cat}.type: unknown type`);
    });
  });
  return problems;
}

function validateButton(c: Json, at: string): string[] {
  const problems: string[] = [];
  if (typeof c.label === "string" && c.label.length > LIMITS.buttonLabel) {
    problems.push(`${at}.label: Must be ${LIMITS.buttonLabel} or fewer in length`);
  }
  if (!c.label && !c.emoji) problems.push(`${at}.label: a button needs a label or an emoji`);
  if (typeof c.style !== "number" || c.style < 1 || c.style > 6) problems.push(`${at}.style: bad`);
  return problems;
}

function validateSelect(c: Json, at: string): string[] {
  const problems: string[] = [];
  const options = Array.isArray(c.options) ? (c.options as Json[]) : [];
  if (options.length < 1 || options.length > LIMITS.selectOptions) {
    problems.push(`${at}.options: must have 1 to ${LIMITS.selectOptions} options`);
  }
  const values = new Set<string>();
  options.forEach((o, i) => {
    if (typeof o.label !== "string" || o.label.length < 1 || o.label.length > LIMITS.optionLabel) {
      problems.push(`${at}.options.${i}.label: must be 1 to ${LIMITS.optionLabel} long`);
    }
    if (typeof o.value !== "string" || o.value.length < 1 || o.value.length > LIMITS.optionValue) {
      problems.push(`${at}.options.${i}.value: must be 1 to ${LIMITS.optionValue} long`);
    } else if (values.has(o.value)) problems.push(`${at}.options.${i}.value: duplicate`);
    else values.add(o.value);
  });
  const min = c.min_values === undefined ? 1 : Number(c.min_values);
  const max = c.max_values === undefined ? 1 : Number(c.max_values);
  if (min < 0 || min > 25) problems.push(`${at}.min_values: must be 0 to 25`);
  if (max < 1 || max > 25) problems.push(`${at}.max_values: must be 1 to 25`);
  if (min > max) problems.push(`${at}.min_values: greater than max_values`);
  if (max > options.length) problems.push(`${at}.max_values: more than the options`);
  if (typeof c.placeholder === "string" && c.placeholder.length > LIMITS.placeholder) {
    problems.push(`${at}.placeholder: Must be ${LIMITS.placeholder} or fewer in length`);
  }
  return problems;
}

/**
 * Who a message would ping, by Discord's rules: without `allowed_mentions` every mention in
 * the content pings; with it, only the parsed types and listed ids do.
 */
export function pingsOf(content: string, allowed: unknown): string[] {
  const pings: string[] = [];
  const parse = (allowed as { parse?: unknown } | undefined)?.parse;
  const users = (allowed as { users?: unknown } | undefined)?.users;
  const permits = (type: string) =>
    allowed === undefined || allowed === null || (Array.isArray(parse) && parse.includes(type));
  if (/@(everyone|here)\b/.test(content) && permits("everyone")) pings.push("@everyone");
  for (const m of content.matchAll(/<@!?(\d+)>/g)) {
    if (permits("users") || (Array.isArray(users) && users.includes(m[1]))) pings.push(m[1]!);
  }
  for (const m of content.matchAll(/<@&(\d+)>/g)) if (permits("roles")) pings.push(`&${m[1]}`);
  return pings;
}
