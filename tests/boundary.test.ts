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

/** An import of anything under src/ other than src/index.ts (static, re-export or dynamic). */
const deepCoreImport = /(?:from\s+|import\s*\(\s*)["'](?:\.\.\/)+src\/(?!index\.ts["'])[^"']*["']/;

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

  it("adapters reach the core only through src/index.ts, the adapter kit", () => {
    const offenders = files(join(root, "adapters"))
      .filter((f) => deepCoreImport.test(readFileSync(f, "utf8")))
      .map((f) => relative(root, f));
    expect(offenders).toEqual([]);
  });

  it("the checks themselves can fail: they spot forbidden imports in samples", () => {
    const forbidden = /from\s+["'](?:discord\.js|@slack\/[^"']+)["']/;
    expect(forbidden.test('import { Client } from "discord.js";')).toBe(true);
    expect(forbidden.test('import { App } from "@slack/bolt";')).toBe(true);
    expect(deepCoreImport.test('import { cutText } from "../../src/text/cut.ts";')).toBe(true);
    expect(deepCoreImport.test('import type { Engine } from "../../src/engine-api.ts";')).toBe(
      true,
    );
    expect(deepCoreImport.test('const m = await import("../../src/engine.ts");')).toBe(true);
    expect(deepCoreImport.test('import { type Reply } from "../../src/index.ts";')).toBe(false);
  });
});
