/**
 * `npm run kb -- lint`: loads the knowledge and checks every cross-reference; exits 1 with
 * the list of problems. `npm run kb -- export`: prints the loaded knowledge as JSON.
 * `npm run kb -- unanswered`: lists recent questions the bot couldn't answer (no user ids).
 * `npm run kb -- review`: clusters them and lets a volunteer act on each cluster (bin/review.ts).
 */
import { join } from "node:path";
import { lintKnowledge } from "../src/knowledge/lint.ts";
import { formatProblems, readKnowledge } from "../src/knowledge/load.ts";
import { DATABASE_FILE } from "../src/runtime.ts";
import { createSqliteInsightStore, openDatabase } from "../src/store/sqlite.ts";
import { knowledgeDir, parseCommandLine, runCli, usageError } from "./cli.ts";
import { REVIEW_FLAGS, runReview } from "./review.ts";

const USAGE =
  "npm run kb -- lint | export | unanswered | review [--since 30d] [--jsonl | --apply FILE]";
const COMMANDS = new Set(["lint", "export", "unanswered", "review"]);

await runCli(async () => {
  const { values, positionals } = parseCommandLine("kb", USAGE, {
    options: REVIEW_FLAGS,
    allowPositionals: true,
  });
  const [command, ...extra] = positionals;
  if (command === undefined || !COMMANDS.has(command))
    usageError(
      "kb",
      USAGE,
      command === undefined ? "name a command" : `unknown command ${command}`,
    );
  if (extra.length > 0) usageError("kb", USAGE, `unexpected argument ${extra[0]}`);
  if (command !== "review" && Object.keys(values).length > 0)
    usageError("kb", USAGE, `kb ${command} takes no options`);
  if (values.jsonl && values.apply !== undefined)
    usageError("kb", USAGE, "use --jsonl or --apply FILE, not both");
  const dir = knowledgeDir();
  if (command === "lint") {
    const { knowledge, problems } = readKnowledge(dir);
    const all = knowledge ? [...problems, ...lintKnowledge(knowledge)] : problems;
    if (all.length > 0) {
      process.stderr.write(`kb lint: ${all.length} problem(s) in ${dir}\n${formatProblems(all)}\n`);
      process.exitCode = 1;
      return;
    }
    const k = knowledge!;
    process.stdout.write(
      `kb lint: ok (${k.faq.length} FAQ entries, ${k.triage.questions.length} questions, ${k.triage.rules.length} rules)\n`,
    );
    return;
  }
  if (command === "export") {
    const { knowledge, problems } = readKnowledge(dir);
    if (!knowledge) {
      process.stderr.write(`${formatProblems(problems)}\n`);
      process.exitCode = 1;
      return;
    }
    const faq = knowledge.faq.map(
      ({ id, question, alternates, keywords, answer, related, sources }) => ({
        id,
        question,
        alternates,
        keywords,
        answer,
        related,
        sources,
      }),
    );
    process.stdout.write(`${JSON.stringify({ faq, triage: knowledge.triage }, null, 2)}\n`);
    return;
  }
  if (command === "review") {
    await runReview(values, dir);
    return;
  }
  if (command === "unanswered") {
    const dataDir = process.env.KNEEBOT_DATA_DIR ?? "data";
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    const rows = await createSqliteInsightStore(db).listUnanswered(100);
    for (const r of rows) {
      process.stdout.write(
        `${new Date(r.at).toISOString()}  ${r.outOfScope ? "out of scope" : `score ${r.score}`}  ${r.text}\n`,
      );
    }
    db.close();
  }
});
