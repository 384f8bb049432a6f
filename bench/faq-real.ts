/**
 * The answer threshold against real runners' questions (eval/faq-real.jsonl): what the matcher
 * would answer at each threshold, per message-length band, and the operating point in use.
 * Used by `npm run bench`, `bench/calibrate.ts` and the tests.
 */
import { readFileSync } from "node:fs";
import { createEngine } from "../src/engine.ts";
import type { Knowledge } from "../src/knowledge/load.ts";
import type { Matcher } from "../src/matcher.ts";
import { THRESHOLDS, type ThresholdBand, thresholdFor } from "../src/matching/calibration.ts";
import { words } from "../src/text/tokens.ts";
import type { Reply } from "../src/types.ts";

/** One labelled question: the entries that answer it (null: none should). */
export interface RealLine {
  q: string;
  expect: string | string[] | null;
  source?: string;
  /**
   * calibration and test: the two halves of eval/faq-real.jsonl; dev: eval/faq-real-dev.jsonl,
   * collected later, read freely while developing and pooled with the calibration half to choose
   * thresholds (never the test half).
   */
  split?: "calibration" | "test" | "dev";
}

/**
 * A question with the matcher's best answerable candidate (null: nothing to answer with) and its
 * confidence in the measure of the question's length band (what the threshold is compared with).
 */
export interface Scored {
  line: RealLine;
  length: number;
  top: { id: string; score: number } | null;
}

/** Precision, recall and out-of-scope abstention at one threshold. */
export interface Point {
  threshold: number;
  /** Share of answers that were right (answers to out-of-scope questions count as wrong). */
  precision: number;
  /** Share of in-scope questions answered with an acceptable entry: the "top-1" of the issue. */
  recall: number;
  /** Share of out-of-scope questions left unanswered. */
  abstention: number;
  inScope: number;
  outOfScope: number;
}

/** The lines thresholds are chosen on: the calibration half and the dev set, never the test half. */
export function calibrationPool(lines: RealLine[]): RealLine[] {
  return lines.filter((l) => l.split === "calibration" || l.split === "dev");
}

/** Reads a JSONL evaluation file. */
export function readReal(path: string): RealLine[] {
  return readFileSync(path, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as RealLine);
}

/** The acceptable entry ids of a line (empty: out of scope). */
export function accepted(line: RealLine): string[] {
  if (line.expect === null) return [];
  return Array.isArray(line.expect) ? line.expect : [line.expect];
}

/** Scores every line once: the best candidate the matcher would be willing to answer with. */
export function scoreLines(matcher: Matcher, lines: RealLine[]): Scored[] {
  return lines.map((line) => {
    const e = matcher.explain(line.q);
    const best = e.candidates[0];
    return {
      line,
      length: words(line.q).length,
      top: best && !best.unsure ? { id: best.id, score: e.confidence } : null,
    };
  });
}

/** What answering at `threshold` (or at each line's band threshold) gives on these lines. */
export function pointAt(scored: Scored[], threshold: number | ((length: number) => number)): Point {
  const t = typeof threshold === "number" ? () => threshold : threshold;
  let right = 0;
  let answered = 0;
  let inScope = 0;
  let outOfScope = 0;
  let abstained = 0;
  for (const s of scored) {
    const ok = accepted(s.line);
    const answers = s.top !== null && s.top.score >= t(s.length);
    if (answers) answered++;
    if (ok.length === 0) {
      outOfScope++;
      if (!answers) abstained++;
    } else {
      inScope++;
      if (answers && ok.includes(s.top!.id)) right++;
    }
  }
  return {
    threshold: typeof threshold === "number" ? threshold : Number.NaN,
    precision: answered === 0 ? 1 : right / answered,
    recall: inScope === 0 ? 1 : right / inScope,
    abstention: outOfScope === 0 ? 1 : abstained / outOfScope,
    inScope,
    outOfScope,
  };
}

/** The precision/recall curve of one length band, thresholds from `from` to `to`. */
export function curve(scored: Scored[], from = 0.1, to = 0.6, step = 0.02): Point[] {
  const points: Point[] = [];
  for (let t = from; t <= to + 1e-9; t += step) points.push(pointAt(scored, round(t)));
  return points;
}

/** The lines of a band: longer than the band before, up to this band's limit. */
export function inBand(scored: Scored[], bands: readonly ThresholdBand[], i: number): Scored[] {
  const lo = i === 0 ? 0 : bands[i - 1]!.upTo;
  return scored.filter((s) => s.length > lo && s.length <= bands[i]!.upTo);
}

/**
 * Fewest in-scope real questions a band needs before its threshold is chosen from them; a band
 * with fewer keeps the threshold the chat sets hold it to.
 */
export const MIN_IN_SCOPE = 20;

/** Least share of out-of-scope questions an operating point must leave unanswered. */
export const MIN_ABSTENTION = 0.95;

/**
 * How far below the best right-minus-wrong a shipped threshold may be: 2% of the band's
 * questions, and at least 2. The curve is flat near its best (on the long band every threshold
 * from about 0.00 to 0.17 is within 10 of 475 posts), so a knowledge edit moves the exact best
 * around. Within this tolerance
 * a lower threshold may be shipped, because issue 10 asks for answers and the engine already
 * turns a close call (best and runner-up within the band's margin) into "did you mean".
 */
export function gainTolerance(questions: number): number {
  return Math.max(2, 0.02 * questions);
}

/** Right answers minus wrong ones at a point: what `choose` maximises. */
export function gainOf(p: Point): number {
  const right = p.recall * p.inScope;
  const answered = p.precision === 0 ? 0 : right / p.precision;
  return right - (answered - right);
}

/**
 * The calibrated choice for one band: among the thresholds that leave at least MIN_ABSTENTION of
 * the out-of-scope questions unanswered (a margin over issue 10's 90%), the one with the most
 * right answers minus wrong ones. A wrong answer costs as much as a right one gains; below the
 * threshold the runner still gets "did you mean". Of equal choices, the higher threshold. When
 * no threshold keeps the abstention bar, the best by right minus wrong alone.
 */
export function choose(scored: Scored[]): Point {
  const points = curve(scored, 0, 0.8, 0.01);
  const fit = points.filter((p) => p.abstention >= MIN_ABSTENTION);
  let best = points[0]!;
  let bestGain = Number.NEGATIVE_INFINITY;
  for (const p of fit.length > 0 ? fit : points) {
    const gain = gainOf(p);
    if (gain >= bestGain - 1e-9) {
      bestGain = gain;
      best = p;
    }
  }
  return best;
}

/** A printable report: the operating point and curve of each band, on each split. */
export function report(matcher: Matcher, lines: RealLine[]): string {
  const out: string[] = [];
  const pct = (x: number) => `${(100 * x).toFixed(0)}%`.padStart(5);
  const bandName = (i: number) => {
    const lo = i === 0 ? 1 : THRESHOLDS[i - 1]!.upTo + 1;
    const hi = THRESHOLDS[i]!.upTo;
    return Number.isFinite(hi) ? `${lo}–${hi} words` : `${lo}+ words`;
  };
  for (const split of ["calibration", "dev", "test"] as const) {
    const mine = lines.filter((l) => l.split === split);
    if (mine.length === 0) continue;
    const scored = scoreLines(matcher, mine);
    const all = pointAt(scored, thresholdFor);
    out.push(
      `  ${split.padEnd(12)} ${String(scored.length).padStart(4)} questions: top-1 in scope ${pct(all.recall)}, precision ${pct(all.precision)}, out-of-scope abstention ${pct(all.abstention)}`,
    );
    THRESHOLDS.forEach((band, i) => {
      const b = inBand(scored, THRESHOLDS, i);
      const at = pointAt(b, band.threshold);
      out.push(
        `    ${bandName(i).padEnd(14)} ${band.measure} ≥ ${band.threshold.toFixed(2)}  (${at.inScope} in, ${at.outOfScope} out): recall ${pct(at.recall)} precision ${pct(at.precision)} abstention ${pct(at.abstention)}`,
      );
      const pts = curve(b, Math.max(0, band.threshold - 0.08), band.threshold + 0.16, 0.04);
      out.push(
        `      curve (threshold recall/precision/abstention): ${pts.map((p) => `${p.threshold.toFixed(2)} ${pct(p.recall).trim()}/${pct(p.precision).trim()}/${pct(p.abstention).trim()}`).join("  ")}`,
      );
    });
  }
  return out.join("\n");
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

/** What a runner is shown for one in-scope question, through the whole engine. */
export interface Shown {
  /** An answer with an acceptable entry. */
  answered: number;
  /** No right answer, but an acceptable entry among the "did you mean" choices. */
  offered: number;
  /** Neither. */
  missed: number;
}

/**
 * Runs each in-scope line as a runner's first message in a DM through a fresh engine, and counts
 * what they are shown: the matcher's id alone overstates it, since the engine turns a close call
 * into "did you mean" and answers a described knee with the knee check (and the likely answers).
 */
export async function shownToRunners(knowledge: Knowledge, lines: RealLine[]): Promise<Shown> {
  const shown: Shown = { answered: 0, offered: 0, missed: 0 };
  let n = 0;
  for (const line of lines) {
    const ok = accepted(line);
    if (ok.length === 0) continue;
    const engine = createEngine({ knowledge, random: () => 0.5 });
    const replies = await engine.handle({
      platform: "discord",
      userId: `bench-${n++}`,
      place: { kind: "dm" },
      type: "text",
      text: line.q,
    });
    const faqId = (r: Reply) => (r.meta as { faqId?: string } | undefined)?.faqId;
    const offers = (r: Reply) =>
      r.kind === "did-you-mean"
        ? ((r.meta as { alternatives?: string[] } | undefined)?.alternatives ?? [])
        : [];
    if (replies.some((r) => ok.includes(faqId(r) ?? ""))) shown.answered++;
    else if (replies.some((r) => offers(r).some((id) => ok.includes(id)))) shown.offered++;
    else shown.missed++;
  }
  return shown;
}
