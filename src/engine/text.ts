import type { Knowledge } from "../knowledge/load.ts";

/** Fills `{name}` placeholders in a wording template. Unknown placeholders stay as written. */
export function fill(template: string, vars: Record<string, string>): string {
  return template.replace(/\{(\w+)\}/g, (m, name: string) => vars[name] ?? m);
}

/** The "get help sooner if…" line and the disclaimer, carried by every symptom answer. */
export function disclaimerBlock(k: Knowledge): string {
  return `${k.wording.get_help_sooner}\n${k.wording.disclaimer}`;
}
