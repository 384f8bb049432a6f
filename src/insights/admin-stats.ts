/**
 * The summary behind the admin commands (Discord `/knee-admin stats`, Slack `/knee admin`):
 * the last 7 days in numbers, the top unanswered clusters (3+ questions only) and how to run
 * the full report. Platform-neutral text; each adapter decides who may see it and shows it
 * only to the asking admin.
 */
import { gatherReport, type ReportData } from "../report/data.ts";
import type { InsightStore } from "../store/types.ts";
import { stopwordsOf } from "./cluster.ts";

const WEEK_MS = 7 * 86_400_000;
/** Most clusters listed in the summary. */
const TOP_CLUSTERS = 3;

/**
 * The summary as the chat adapters ask for it (`adminStats` in their options): from the running
 * bot's insight store, clustered with the knowledge's stop words, for the week before each call.
 */
export function adminStatsSource(
  store: InsightStore,
  lexicon: { stopwords: readonly string[] },
  now: () => number = Date.now,
): () => Promise<string> {
  const stopwords = stopwordsOf(lexicon);
  return () => adminStats(store, { now: now(), stopwords });
}

/** The summary text for the 7 days before `now`. */
export async function adminStats(
  store: InsightStore,
  options: { now: number; stopwords: ReadonlySet<string> },
): Promise<string> {
  const data = await gatherReport(store, {
    from: options.now - WEEK_MS,
    to: options.now,
    stopwords: options.stopwords,
  });
  return adminStatsText(data);
}

const sum = (rows: ReadonlyArray<{ n: number }>) => rows.reduce((t, r) => t + r.n, 0);

/** Formats gathered numbers as the admin summary. */
export function adminStatsText(data: ReportData): string {
  const answered = sum(data.weekly.filter((w) => w.kind === "answered"));
  const unanswered = sum(data.weekly.filter((w) => w.kind === "unanswered"));
  const lines = [
    "**kneebot, the last 7 days**",
    data.hasEvents
      ? `Questions: ${answered + unanswered} (${answered} answered, ${unanswered} not)`
      : `Unanswered questions: ${unanswered}`,
  ];
  if (data.hasEvents) {
    lines.push(`Knee checks: ${sum(data.checksByLevel)}`);
    const checkins = data.checkins.map((c) => `${c.n} ${c.label}`).join(", ");
    lines.push(`Check-ins: ${checkins || "none"}`);
  }
  if (data.clusters.length > 0) {
    lines.push("Top unanswered:");
    for (const c of data.clusters.slice(0, TOP_CLUSTERS))
      lines.push(`- ${c.count}× "${c.examples[0]}"`);
  } else {
    lines.push("No unanswered question was asked 3 or more times.");
  }
  lines.push("Full report: `npm run report`; teach the bot: `npm run kb -- review`.");
  return lines.join("\n");
}
