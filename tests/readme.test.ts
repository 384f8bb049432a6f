import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildReadme } from "../docs/build-readme.ts";

const root = join(import.meta.dirname, "..");

describe("README", () => {
  const readme = readFileSync(join(root, "README.md"), "utf8");

  it("is up to date with its parts (run `npm run docs`)", () => {
    expect(readme).toBe(buildReadme());
  });

  it("keeps the two-command quick start and the documented commands real", () => {
    expect(readme).toContain("npm ci\nnpm start");
    const scripts = JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts as Record<
      string,
      string
    >;
    for (const m of readme.matchAll(/npm run (?:--silent )?([a-z:-]+)/g))
      expect(Object.keys(scripts), m[0]).toContain(m[1]);
  });
});
