/**
 * `npm run --silent triage-eval -- FILE.jsonl`: runs a real triage conversation through the
 * engine for each vignette `{"id","findings","text"?}`, answering each question from the
 * findings, and prints `{"id","level","condition","questions"}` per line, then a summary line.
 */
import { z } from "zod";
import { createEngine } from "../src/engine.ts";
import { KneebotError } from "../src/errors.ts";
import { loadKnowledge } from "../src/knowledge/load.ts";
import { knowledgeDir, parseCommandLine, readJsonLines, runCli, usageError } from "./cli.ts";
import { runVignette } from "./triage-runner.ts";

/** One vignette line; other fields (`expect`, notes) are the evaluator's and are ignored. */
const vignetteSchema = z.object({
  id: z.string().min(1, "give each vignette an id"),
  findings: z.record(z.string(), z.string(), {
    error:
      'expected {"finding": "value", …}; for opening messages ({"text": …}) use npm run --silent extract -- --jsonl',
  }),
  text: z.string().optional(),
});

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
  const { lines, bad } = readJsonLines(file, vignetteSchema);
  // Every line is checked before any conversation runs, so one bad line costs no half-run.
  if (bad.length > 0)
    throw new KneebotError(
      "input",
      `${file}: ${bad.length} line(s) are not triage vignettes {"id", "findings", "text"?}:\n${bad.slice(0, 10).join("\n")}${bad.length > 10 ? `\n…and ${bad.length - 10} more` : ""}`,
    );
  if (lines.length === 0) throw new KneebotError("input", `${file}: no vignettes in it`);
  let done = 0;
  let totalQuestions = 0;
  for (const { line, value: v } of lines) {
    const r = await runVignette(engine, knowledge, v, `eval-${line}`);
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
