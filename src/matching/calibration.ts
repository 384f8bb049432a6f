/**
 * The answer threshold, by message length. Long posts spread their words over context, so the
 * best entry's score is lower for the same certainty; each band has its own operating point,
 * chosen on the calibration half of eval/faq-real.jsonl (`npm run bench` prints the curves).
 */

/** One length band: messages of up to `upTo` words are answered at `threshold` or above. */
export interface ThresholdBand {
  upTo: number;
  threshold: number;
}

/** The calibrated operating points, shortest messages first; the last band has no upper limit. */
export const THRESHOLDS: readonly ThresholdBand[] = [
  { upTo: 15, threshold: 0.36 },
  { upTo: Number.POSITIVE_INFINITY, threshold: 0.3 },
];

/** The answer threshold for a message of `length` words. */
export function thresholdFor(length: number): number {
  for (const band of THRESHOLDS) if (length <= band.upTo) return band.threshold;
  return THRESHOLDS[THRESHOLDS.length - 1]!.threshold;
}
