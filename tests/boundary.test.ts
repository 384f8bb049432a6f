import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "..");
function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

describe("module boundaries", () => {
  const core = files(join(root, "src"));

  it("the core imports no adapter and no platform SDK", () => {
    const forbidden =
      /from\s+["'](?:discord\.js|@discordjs\/[^"']+|@slack\/[^"']+|[./]*adapters\/[^"']*)["']|import\(["'](?:discord\.js|@slack\/|[./]*adapters\/)/;
    const offenders = core
      .filter((f) => forbidden.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it("the core never writes to the console", () => {
    const offenders = core
      .filter((f) => /\bconsole\.\w+\(/.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it("the check itself can fail: it spots a forbidden import in a sample", () => {
    const forbidden = /from\s+["'](?:discord\.js|@slack\/[^"']+)["']/;
    expect(forbidden.test('import { Client } from "discord.js";')).toBe(true);
    expect(forbidden.test('import { App } from "@slack/bolt";')).toBe(true);
  });
});
