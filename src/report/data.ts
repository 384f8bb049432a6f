/**
 * The numbers behind the organiser's report, gathered from an insight store. Aggregates only:
 * no user ids, and no message text except unanswered questions in clusters of 3 or more.
 */
import { REPLY_WINDOW_MS } from "../followups/types.ts";
import { clusterQuestions, type RecordedQuestion } from "../insights/cluster.ts";
import type { InsightEvent } from "../store/insight-events.ts";
import { type InsightStore, MAX_UNANSWERED } from "../store/types.ts";

/** Smallest cluster whose questions the report may show. */
export const MIN_SHOWN_CLUSTER = 3;
/** Most clusters and entries listed. */
const TOP = 10;

/** A label and a count, for a bar chart. */
export interface Count {
  label: string;
  n: number;
}

/** Everything the report shows. */
export interface ReportData {
  from: number;
  to: number;
  /** Questions per week (Monday, ISO date), answered or not. */
  weekly: Array<{ week: string; kind: "answered" | "unanswered"; n: number }>;
  /** Most asked entries; `helpfulRate` is null when nobody rated the entry. */
  entries: Array<{ faqId: string; asked: number; helpfulRate: number | null }>;
  /** Clusters of 3 or more unanswered questions, largest first. */
  clusters: Array<{ count: number; examples: string[] }>;
  /** Clusters of fewer than 3 questions: how many, with no text. */
  smallClusters: number;
  checksByLevel: Count[];
  checksByCondition: Count[];
  checkins: Count[];
  platforms: Count[];
  /** True when the store records events (answered questions, checks, check-ins, platforms). */
  hasEvents: boolean;
}

function mondayOf(at: number): string {
  const d = new Date(at);
  d.setUTCHours(0, 0, 0, 0);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

function tally(values: Iterable<string>): Count[] {
  const m = new Map<string, number>();
  for (const v of values) m.set(v, (m.get(v) ?? 0) + 1);
  return [...m]
    .map(([label, n]) => ({ label, n }))
    .sort((a, b) => b.n - a.n || a.label.localeCompare(b.label));
}

/**
 * Gathers the report's numbers for `[from, to]`. `stopwords` are the lexicon's (for
 * clustering). Feedback has no dates in every store, so helpful rates are all-time.
 */
export async function gatherReport(
  store: InsightStore,
  options: { from: number; to: number; stopwords: ReadonlySet<string> },
): Promise<ReportData> {
  const { from, to } = options;
  const inRange = (at: number) => at >= from && at <= to;
  const unanswered: RecordedQuestion[] = (await store.listUnanswered(MAX_UNANSWERED)).filter((q) =>
    inRange(q.at),
  );
  const events: InsightEvent[] = store.listEvents
    ? (await store.listEvents(from)).filter((e) => inRange(e.at))
    : [];
  const answered = events.flatMap((e) => (e.type === "answered" ? [e] : []));

  const weekly = new Map<string, { answered: number; unanswered: number }>();
  const bump = (at: number, kind: "answered" | "unanswered") => {
    const w = mondayOf(at);
    const row = weekly.get(w) ?? { answered: 0, unanswered: 0 };
    row[kind]++;
    weekly.set(w, row);
  };
  for (const e of answered) bump(e.at, "answered");
  for (const q of unanswered) bump(q.at, "unanswered");

  const feedback = new Map((await store.feedbackSummary()).map((f) => [f.faqId, f]));
  const entries = tally(answered.map((e) => e.faqId))
    .slice(0, TOP)
    .map(({ label, n }) => {
      const f = feedback.get(label);
      const rated = f ? f.helpful + f.unhelpful : 0;
      return { faqId: label, asked: n, helpfulRate: f && rated > 0 ? f.helpful / rated : null };
    });

  const clusters = clusterQuestions(
    unanswered.filter((q) => !q.outOfScope),
    options.stopwords,
  );
  const big = clusters.filter((c) => c.items.length >= MIN_SHOWN_CLUSTER);
  const checks = events.flatMap((e) => (e.type === "check" ? [e] : []));
  // Labels as a person reads them: "no reply", not the stored "no-reply".
  const checkins: string[] = events.flatMap((e) =>
    e.type === "checkin" && e.result !== "no-reply" ? [e.result] : [],
  );
  // "No reply": check-ins sent in the period whose reply window has passed, less the answers.
  // A runner who never writes again is counted too; events carry no ids, so the two are
  // matched as totals. Check-ins closed unanswered on the spot are the floor.
  const closedUnanswered = events.filter(
    (e) => e.type === "checkin" && e.result === "no-reply",
  ).length;
  const settled = events.filter(
    (e) => e.type === "checkin_sent" && e.at <= to - REPLY_WINDOW_MS,
  ).length;
  const noReply = Math.max(closedUnanswered, settled - checkins.length);
  for (let i = 0; i < noReply; i++) checkins.push("no reply");
  return {
    from,
    to,
    weekly: [...weekly]
      .sort(([a], [b]) => a.localeCompare(b))
      .flatMap(([week, r]) => [
        { week, kind: "answered" as const, n: r.answered },
        { week, kind: "unanswered" as const, n: r.unanswered },
      ]),
    entries,
    clusters: big.slice(0, TOP).map((c) => ({ count: c.items.length, examples: c.examples })),
    smallClusters: clusters.length - big.length,
    checksByLevel: tally(checks.map((c) => c.level)),
    checksByCondition: tally(checks.map((c) => c.condition)),
    checkins: tally(checkins),
    platforms: tally(events.flatMap((e) => (e.platform ? [e.platform] : []))),
    hasEvents: events.length > 0,
  };
}
