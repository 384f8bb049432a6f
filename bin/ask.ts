/**
 * `npm run --silent ask -- --jsonl`: reads `{"q": "..."}` lines on stdin and prints one
 * `{"q","id","score","alternatives"}` line per input, in order, and nothing else on stdout.
 * Without --jsonl, answers the question given on the command line; `--explain "question"`
 * shows how the message was read (its sentences, which of them ask, the threshold its length
 * gets) and the candidates with their score parts.
 */
import { loadKnowledge } from "../src/knowledge/load.ts";
import { createMatcher } from "../src/matcher.ts";
import { bandFor } from "../src/matching/calibration.ts";
import { forEachJsonlField, knowledgeDir, parseCommandLine, runCli, usageError } from "./cli.ts";

const USAGE = 'npm run ask -- [--explain] QUESTION, or --jsonl with {"q": "..."} lines on stdin';

await runCli(async () => {
  const { values, positionals } = parseCommandLine("ask", USAGE, {
    options: { jsonl: { type: "boolean" }, explain: { type: "boolean" } },
    allowPositionals: true,
  });
  if (values.jsonl && (values.explain || positionals.length > 0))
    usageError("ask", USAGE, "--jsonl reads the questions from stdin: give it alone");
  if (!values.jsonl && positionals.length === 0) usageError("ask", USAGE, "give a question");
  const matcher = createMatcher(loadKnowledge(knowledgeDir()));
  const q = positionals.join(" ");
  if (values.explain) {
    // For knowledge maintainers: why a question matched what it did.
    const { tokens, candidates, sentences, length, threshold, confidence, asked } =
      matcher.explain(q);
    const band = bandFor(length);
    const measure =
      band.measure === "score"
        ? "score"
        : "confidence (the best entry's keyword share, plus a quarter of its lead over the runner-up, plus naive Bayes agreeing)";
    const out = [
      JSON.stringify({ q, ...matcher.match(q) }),
      `sentences: ${sentences.map((s) => `${s.asks ? "[asks] " : "[context] "}${s.text}`).join("  ")}`,
      `length ${length} words: answered when the ${measure} is ${threshold.toFixed(2)} or above (calibrated operating point; see npm run bench); here ${confidence.toFixed(3)}`,
      `words: ${tokens.join(" ")}`,
      ...(asked
        ? [
            `asks about the condition: ${asked.ask} (${asked.ranked === candidates[0]?.id ? "the ranking agreed" : `the ranking had ${asked.ranked} first`}; see families in knowledge/lexicon.yaml)`,
          ]
        : []),
      ...candidates.map(
        (c) =>
          `  ${c.id.padEnd(26)} score ${c.score.toFixed(3)}  phrasing ${c.phrase.toFixed(2)}  coverage ${c.coverage.toFixed(2)}  keywords ${c.keyword.toFixed(2)}${c.unsure ? "  (rests on uncertain typo corrections: offered, never answered)" : c.guessed ? "  (typo-corrected words only)" : ""}`,
      ),
    ];
    process.stdout.write(`${out.join("\n")}\n`);
    return;
  }
  if (!values.jsonl) {
    process.stdout.write(`${JSON.stringify({ q, ...matcher.match(q) })}\n`);
    return;
  }
  await forEachJsonlField("q", (q) => {
    const r = matcher.match(q);
    process.stdout.write(
      `${JSON.stringify({ q, id: r.id, score: r.score, alternatives: r.alternatives })}\n`,
    );
  });
});
