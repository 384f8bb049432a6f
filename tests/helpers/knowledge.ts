/** Shared helpers for tests: the shipped knowledge, temporary copies to break, engines. */
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { createEngine, type EngineOptions, type KneebotEngine } from "../../src/engine.ts";
import { type Knowledge, loadKnowledge } from "../../src/knowledge/load.ts";

/** The project's knowledge folder. */
export const KNOWLEDGE_DIR = resolve(import.meta.dirname, "../../knowledge");
/**
 * The evaluation sets: the repository's own eval/ (copies of the shared development sets plus
 * the project's sets), or KNEEBOT_SHARED_DIR/eval when that is set, to try a newer shared copy.
 */
export const EVAL_DIR = process.env.KNEEBOT_SHARED_DIR
  ? resolve(process.env.KNEEBOT_SHARED_DIR, "eval")
  : resolve(import.meta.dirname, "../../eval");

let cached: Knowledge | undefined;
/** The shipped knowledge, loaded once per test file. */
export function shippedKnowledge(): Knowledge {
  cached ??= loadKnowledge(KNOWLEDGE_DIR);
  return cached;
}

/** A temporary copy of the knowledge folder, for tests that break it on purpose. */
export function knowledgeCopy(): string {
  const dir = mkdtempSync(join(tmpdir(), "kneebot-kb-"));
  cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  return dir;
}

/** Rewrites a file in a knowledge copy. */
export function editFile(dir: string, file: string, edit: (text: string) => string): void {
  const path = join(dir, file);
  writeFileSync(path, edit(readFileSync(path, "utf8")));
}

/** Reads a JSONL file into objects. */
export function readJsonl<T>(path: string): T[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

/** An engine on the shipped knowledge with an in-memory store. */
export function testEngine(options: Partial<EngineOptions> = {}): KneebotEngine {
  return createEngine({ knowledge: shippedKnowledge(), random: seededRandom(42), ...options });
}

/** A deterministic random source, so nonces are stable in tests. */
export function seededRandom(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}
