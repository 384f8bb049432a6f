/**
 * `npm run --silent extract -- --jsonl`: reads `{"text"}` lines and prints
 * `{"text","findings"}` with what the engine would pre-fill from that opening message.
 */

import { createKnowledgeExtractor } from "../src/engine/reading.ts";
import { loadKnowledge } from "../src/knowledge/load.ts";
import { sanitizeInput } from "../src/text/normalize.ts";
import { forEachJsonlField, knowledgeDir, runCli } from "./cli.ts";

await runCli(async () => {
  const extractor = createKnowledgeExtractor(loadKnowledge(knowledgeDir()));
  const args = process.argv.slice(2);
  if (!args.includes("--jsonl")) {
    const text = args.join(" ");
    process.stdout.write(`${JSON.stringify({ text, findings: extractor.extract(text) })}\n`);
    return;
  }
  await forEachJsonlField("text", (text) => {
    const findings = extractor.extract(sanitizeInput(text, 20000).text);
    process.stdout.write(`${JSON.stringify({ text, findings })}\n`);
  });
});
