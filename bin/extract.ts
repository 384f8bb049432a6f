/**
 * `npm run --silent extract -- --jsonl`: reads `{"text"}` lines and prints
 * `{"text","findings"}` with what the engine would pre-fill from that opening message.
 */

import { createKnowledgeExtractor } from "../src/engine/reading.ts";
import { loadKnowledge } from "../src/knowledge/load.ts";
import { sanitizeInput } from "../src/text/normalize.ts";
import { forEachJsonlField, knowledgeDir, parseCommandLine, runCli, usageError } from "./cli.ts";

const USAGE = 'npm run extract -- MESSAGE, or --jsonl with {"text": "..."} lines on stdin';

await runCli(async () => {
  const { values, positionals } = parseCommandLine("extract", USAGE, {
    options: { jsonl: { type: "boolean" } },
    allowPositionals: true,
  });
  if (values.jsonl === positionals.length > 0)
    usageError(
      "extract",
      USAGE,
      values.jsonl ? "--jsonl reads stdin: give it alone" : "give a message",
    );
  const extractor = createKnowledgeExtractor(loadKnowledge(knowledgeDir()));
  if (!values.jsonl) {
    const text = positionals.join(" ");
    process.stdout.write(`${JSON.stringify({ text, findings: extractor.extract(text) })}\n`);
    return;
  }
  await forEachJsonlField("text", (text) => {
    const findings = extractor.extract(sanitizeInput(text, 20000).text);
    process.stdout.write(`${JSON.stringify({ text, findings })}\n`);
  });
});
