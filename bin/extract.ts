/**
 * `npm run --silent extract -- --jsonl`: reads `{"text"}` lines and prints
 * `{"text","findings"}` with what the engine would pre-fill from that opening message.
 */
import { createInterface } from "node:readline";
import { loadKnowledge } from "../src/knowledge/load.ts";
import { sanitizeInput } from "../src/text/normalize.ts";
import { createExtractor } from "../src/triage/extract.ts";
import { knowledgeDir, runCli } from "./cli.ts";

await runCli(async () => {
  const extractor = createExtractor(loadKnowledge(knowledgeDir()).triage);
  const args = process.argv.slice(2);
  if (!args.includes("--jsonl")) {
    const text = args.join(" ");
    process.stdout.write(`${JSON.stringify({ text, findings: extractor.extract(text) })}\n`);
    return;
  }
  const rl = createInterface({ input: process.stdin, crlfDelay: Number.POSITIVE_INFINITY });
  let line = 0;
  for await (const raw of rl) {
    line++;
    if (!raw.trim()) continue;
    let text = "";
    try {
      const parsed = JSON.parse(raw) as { text?: unknown };
      if (typeof parsed?.text === "string") text = parsed.text;
      else process.stderr.write(`line ${line}: expected {"text": "..."}\n`);
    } catch {
      process.stderr.write(`line ${line}: not JSON\n`);
    }
    const findings = extractor.extract(sanitizeInput(text, 20000).text);
    process.stdout.write(`${JSON.stringify({ text, findings })}\n`);
  }
});
