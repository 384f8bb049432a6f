/**
 * The answer threshold, by message length. Long posts spread their words over context, so the
 * best entry's score is lower for the same certainty; each band has its own operating point,
 * chosen on the calibration half of eval/faq-real.jsonl (`npm run bench` prints the curves).
 */

/**
 * One length band: messages of up to `upTo` words are answered at `threshold` or above, and
 * offered as "did you mean" at `suggest` or above.
 */
export interface ThresholdBand {
  upTo: number;
  /**
   * What is compared with `threshold`: the ranking score, or (long posts) how much of the message
   * the best entry's keywords explain plus a quarter of its relative lead over the runner-up.
   * On long real posts the second separates right answers from wrong ones far better.
   */
  measure: "score" | "keywords";
  threshold: number;
  suggest: number;
  /** Best minus runner-up below this makes the answer "ambiguous" (scores are lower in long posts). */
  margin: number;
}

/**
 * The calibrated operating points, shortest messages first; the last band has no upper limit.
 * The short band is at 0.33: on the 62 real posts that short (38 in scope) anything up to 0.33
 * is within the calibration tolerance (bench/faq-real.ts, gainTolerance), but below 0.33 it
 * answers a question on a subject the FAQ doesn't cover ("turmeric for knee pain") with an entry
 * it has. The chat sets (tests/fixtures, eval/faq-chat.jsonl's dev halves) agree: their best
 * points are 0.26 to 0.34. Longer posts ship 0.06, inside the tolerance (about 0.00 to 0.17; the
 * pool's exact best moves between 0.06 and 0.16 as the knowledge changes).
 */
export const THRESHOLDS: readonly ThresholdBand[] = [
  { upTo: 15, measure: "score", threshold: 0.33, suggest: 0.22, margin: 0.04 },
  {
    upTo: Number.POSITIVE_INFINITY,
    measure: "keywords",
    threshold: 0.06,
    suggest: 0.12,
    margin: 0.02,
  },
];

/**
 * Long posts: how much naive Bayes agreeing with the lexical best adds to the keyword measure,
 * times its posterior (src/matching/bayes.ts). Two different readings of a long post landing on
 * the same entry is the best sign of a right answer found on the calibration half.
 */
export const AGREEMENT_WEIGHT = 0.1;

/** How much the relative lead over the runner-up adds to the keyword measure. */
const LEAD_WEIGHT = 0.25;

/** The number a band compares with its threshold, for the best candidate and the runner-up. */
export function confidence(
  band: ThresholdBand,
  best: { score: number; keyword: number },
  second: { score: number } | undefined,
): number {
  if (band.measure === "score") return best.score;
  const lead = best.score > 0 ? (best.score - (second?.score ?? 0)) / best.score : 0;
  return best.keyword + LEAD_WEIGHT * lead;
}

/** The band a message of `length` words falls in. */
export function bandFor(length: number): ThresholdBand {
  return THRESHOLDS.find((b) => length <= b.upTo) ?? THRESHOLDS[THRESHOLDS.length - 1]!;
}

/** The answer threshold for a message of `length` words. */
export function thresholdFor(length: number): number {
  return bandFor(length).threshold;
}
