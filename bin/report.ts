/**
 * `npm run report -- [--out FILE] [--since 30d]`: writes the organiser's report, one
 * self-contained HTML file (default report/index.html), from the store configured the usual way
 * (KNEEBOT_DATA_DIR, KNEEBOT_STORE, REDIS_URL).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { loadConfig } from "../src/config.ts";
import { KneebotError } from "../src/errors.ts";
import { stopwordsOf } from "../src/insights/cluster.ts";
import { openInsightStore, parsePeriod } from "../src/insights/open-store.ts";
import { readKnowledgeForReview } from "../src/insights/review-knowledge.ts";
import { renderCharts } from "../src/report/charts.ts";
import { gatherReport } from "../src/report/data.ts";
import { reportHtml } from "../src/report/html.ts";
import { knowledgeDir, runCli } from "./cli.ts";

await runCli(async () => {
  const argv = process.argv.slice(2);
  let out = "report/index.html";
  let sinceMs = 30 * 86_400_000;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--out" && argv[i + 1]) out = argv[++i]!;
    else if (a === "--since") {
      const ms = parsePeriod(argv[++i] ?? "");
      if (ms === undefined)
        throw new KneebotError("input", "--since takes a period like 30d, 12h or 4w");
      sinceMs = ms;
    } else throw new KneebotError("input", "Usage: npm run report -- [--out FILE] [--since 30d]");
  }
  const { knowledge } = readKnowledgeForReview(knowledgeDir());
  const stopwords = stopwordsOf(knowledge.lexicon);
  const store = await openInsightStore(loadConfig(process.env));
  try {
    const to = Date.now();
    const data = await gatherReport(store, { from: to - sinceMs, to, stopwords });
    const html = reportHtml(data, await renderCharts(data));
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, html);
    process.stdout.write(`report written to ${out}\n`);
  } finally {
    await store.close();
  }
});
