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
  threshold: number;
  suggest: number;
  /** Best minus runner-up below this makes the answer "ambiguous" (scores are lower in long posts). */
  margin: number;
}

/** The calibrated operating points, shortest messages first; the last band has no upper limit. */
export const THRESHOLDS: readonly ThresholdBand[] = [
  { upTo: 15, threshold: 0.36, suggest: 0.22, margin: 0.04 },
  { upTo: Number.POSITIVE_INFINITY, threshold: 0.19, suggest: 0.12, margin: 0.02 },
];

/** The band a message of `length` words falls in. */
export function bandFor(length: number): ThresholdBand {
  return THRESHOLDS.find((b) => length <= b.upTo) ?? THRESHOLDS[THRESHOLDS.length - 1]!;
}

/** The answer threshold for a message of `length` words. */
export function thresholdFor(length: number): number {
  return bandFor(length).threshold;
}
