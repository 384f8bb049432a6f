/**
 * The README for a club organiser, and the developer docs it links to: the sections come in the
 * order someone setting the bot up needs them, and every relative link and #anchor points at a
 * file and a heading that exist (the Slack manifest link was once broken this way).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { describe, expect, it } from "vitest";
import { rebaseLinks } from "../docs/build-readme.ts";

const root = join(import.meta.dirname, "..");
const read = (file: string) => readFileSync(join(root, file), "utf8");

/** Markdown files a reader reaches from the README. */
const FILES = [
  "README.md",
  "docs/evaluation.md",
  "docs/internals.md",
  "docs/benchmarks.md",
  "adapters/discord/README.md",
  "adapters/slack/README.md",
  "src/followups/README.md",
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces to hyphens. */
function slug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\s_-]/gu, "")
    .replace(/\s/g, "-");
}

/** Every anchor a file's headings produce (outside code blocks). */
function anchors(markdown: string): Set<string> {
  const prose = markdown.replace(/```[\s\S]*?```/g, "");
  return new Set([...prose.matchAll(/^#{1,6} (.+)$/gm)].map((m) => slug(m[1]!)));
}

/** Links in the prose of a file (not inside code blocks or inline code). */
function links(markdown: string): string[] {
  const prose = markdown.replace(/```[\s\S]*?```/g, "").replace(/`[^`\n]*`/g, "");
  return [...prose.matchAll(/\]\(([^)\s]+)\)/g)].map((m) => m[1]!);
}

describe("README and docs", () => {
  it("read in the organiser's order: what it does, quick start, Discord, Slack, keeping it running, editing the knowledge", () => {
    const headings = [...read("README.md").matchAll(/^## (.+)$/gm)].map((m) => m[1]!);
    const order = [
      "What runners can say",
      "Quick start",
      "Discord",
      "Slack",
      "Keeping it running",
      "Editing the knowledge (for volunteers)",
    ].map((h) => headings.indexOf(h));
    expect(order.every((i) => i >= 0)).toBe(true);
    expect([...order].sort((a, b) => a - b)).toEqual(order);
    // Developer material lives in docs/, linked from the end.
    const readme = read("README.md");
    expect(readme).not.toMatch(/^#+ (Evaluation commands|How matching works|Benchmarks)/m);
    for (const doc of ["docs/evaluation.md", "docs/internals.md", "docs/benchmarks.md"])
      expect(readme).toContain(`](${doc})`);
    expect(read("docs/internals.md")).toMatch(/^## Understanding messy chat$/m);
    expect(read("docs/evaluation.md")).toMatch(/^## Real questions$/m);
  });

  it.each(FILES)("%s: every relative link and anchor resolves", (file) => {
    const text = read(file);
    for (const link of links(text)) {
      if (/^(https?:|mailto:)/.test(link)) continue;
      const [path, anchor] = link.split("#") as [string, string | undefined];
      const target = path ? join(dirname(file), path) : file;
      expect(existsSync(join(root, target)), `${file}: ${link}`).toBe(true);
      if (anchor) {
        expect(anchors(read(target)).has(anchor), `${file}: ${link} (no such heading)`).toBe(true);
      }
    }
  });

  it("links from a part in a subfolder are rebased onto the repository root", () => {
    expect(rebaseLinks("paste [`manifest.yml`](./manifest.yml)", "adapters/slack/README.md")).toBe(
      "paste [`manifest.yml`](adapters/slack/manifest.yml)",
    );
    expect(rebaseLinks("[x](https://a.b/c) [y](#z)", "adapters/slack/README.md")).toBe(
      "[x](https://a.b/c) [y](#z)",
    );
    expect(read("README.md")).toContain("](adapters/slack/manifest.yml)");
  });
});
