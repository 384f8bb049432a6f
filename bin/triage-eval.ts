/**
 * `npm run --silent triage-eval -- FILE.jsonl`: runs a real triage conversation through the
 * engine for each vignette `{"id","findings","text"?}`, answering each question from the
 * findings, and prints `{"id","level","condition","questions"}` per line, then a summary line.
 */
import { readFileSync } from "node:fs";
import { createEngine } from "../src/engine.ts";
import { loadKnowledge } from "../src/knowledge/load.ts";
import { knowledgeDir, parseCommandLine, runCli, usageError } from "./cli.ts";
import { runVignette, type Vignette } from "./triage-runner.ts";

const USAGE = "npm run --silent triage-eval -- FILE.jsonl";

await runCli(async () => {
  const { positionals } = parseCommandLine("triage-eval", USAGE, {
    options: {},
    allowPositionals: true,
  });
  const [file, ...extra] = positionals;
  if (file === undefined) usageError("triage-eval", USAGE, "name the vignettes file");
  if (extra.length > 0)
    usageError("triage-eval", USAGE, `one file only (got ${positionals.length})`);
  const knowledge = loadKnowledge(knowledgeDir());
  const engine = createEngine({ knowledge });
  const lines = readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim());
  let done = 0;
  let totalQuestions = 0;
  for (const [i, line] of lines.entries()) {
    let v: Vignette;
    try {
      v = JSON.parse(line) as Vignette;
    } catch {
      process.stderr.write(`line ${i + 1}: not JSON, skipped\n`);
      continue;
    }
    const r = await runVignette(engine, knowledge, v, `eval-${i}`);
    if (r.level) done++;
    totalQuestions += r.questions;
    process.stdout.write(
      `${JSON.stringify({ id: v.id, level: r.level, condition: r.condition, questions: r.questions })}\n`,
    );
  }
  const mean = lines.length ? (totalQuestions / lines.length).toFixed(2) : "0";
  process.stdout.write(
    `summary: ${done}/${lines.length} vignettes reached an outcome; mean questions ${mean}\n`,
  );
});
