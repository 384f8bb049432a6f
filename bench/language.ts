/**
 * The language layer's cost per message: reading (contractions, clauses, spelling) and finding
 * extraction, over the messy-chat set as runners type it. Run by `npm run bench`; issue 9's
 * target is a p50 under 50 µs a message.
 */
import { readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { createKnowledgeExtractor, createKnowledgeReader } from "../src/engine/reading.ts";
import type { Knowledge } from "../src/knowledge/load.ts";

const root = resolve(import.meta.dirname, "..");

/** p50 and p99 in µs of reading and of reading plus extraction, per message. */
export function benchLanguage(k: Knowledge): Record<string, { p50: number; p99: number }> {
  const texts = readFileSync(join(root, "eval/messy-chat.jsonl"), "utf8")
    .split("\n")
    .filter(Boolean)
    .map((l) => (JSON.parse(l) as { text: string }).text);
  const reader = createKnowledgeReader(k);
  const extractor = createKnowledgeExtractor(k, reader);
  const time = (fn: (t: string) => unknown) => {
    for (const t of texts) fn(t); // warm up: the dictionary loads, caches fill
    const samples: number[] = [];
    for (let round = 0; round < 20; round++) {
      for (const text of texts) {
        // A number on the end makes every message new to the caches, as real traffic is.
        const t = `${text} ${round}`;
        const start = process.hrtime.bigint();
        fn(t);
        samples.push(Number(process.hrtime.bigint() - start) / 1000);
      }
    }
    samples.sort((a, b) => a - b);
    const at = (p: number) =>
      samples[Math.min(samples.length - 1, Math.floor(p * samples.length))]!;
    return { p50: at(0.5), p99: at(0.99) };
  };
  return {
    "read (spelling, clauses)": time((t) => reader.read(t)),
    "read + extract findings": time((t) => extractor.extractDetailed(t)),
  };
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { loadKnowledge } = await import("../src/knowledge/load.ts");
  for (const [name, r] of Object.entries(benchLanguage(loadKnowledge(join(root, "knowledge")))))
    console.log(`${name.padEnd(28)} p50 ${r.p50.toFixed(1)} µs   p99 ${r.p99.toFixed(1)} µs`);
}
