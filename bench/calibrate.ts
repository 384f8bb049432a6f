/**
 * `npx tsx bench/calibrate.ts`: chooses the answer threshold of each length band on the
 * calibration half of eval/faq-real.jsonl plus eval/faq-real-dev.jsonl (never the test half) and
 * prints it, with the curve, for src/matching/calibration.ts. Bands with too few in-scope
 * questions to decide keep theirs.
 */
import { join, resolve } from "node:path";
import { loadKnowledge } from "../src/knowledge/load.ts";
import { createMatcher } from "../src/matcher.ts";
import { THRESHOLDS } from "../src/matching/calibration.ts";
import {
  calibrationPool,
  choose,
  curve,
  gainOf,
  gainTolerance,
  inBand,
  MIN_ABSTENTION,
  MIN_IN_SCOPE,
  readReal,
  scoreLines,
} from "./faq-real.ts";

const root = resolve(import.meta.dirname, "..");
const matcher = createMatcher(loadKnowledge(join(root, "knowledge")));
const lines = calibrationPool([
  ...readReal(join(root, "eval/faq-real.jsonl")),
  ...readReal(join(root, "eval/faq-real-dev.jsonl")),
]);
const scored = scoreLines(matcher, lines);
THRESHOLDS.forEach((band, i) => {
  const b = inBand(scored, THRESHOLDS, i);
  const best = choose(b);
  const decided = best.inScope >= MIN_IN_SCOPE;
  console.log(
    `band up to ${band.upTo} words (${band.measure}): ${b.length} questions (${best.inScope} in scope); ` +
      (decided
        ? `best threshold ${best.threshold.toFixed(2)} (recall ${best.recall.toFixed(2)}, precision ${best.precision.toFixed(2)}, abstention ${best.abstention.toFixed(2)})`
        : `too few to decide, keeps ${band.threshold}`),
  );
  if (decided) {
    // The thresholds a band may ship: as good as the best within the tolerance, abstention kept.
    const ok = curve(b, 0, 0.8, 0.01).filter((p) => p.abstention >= MIN_ABSTENTION);
    const near = ok.filter((p) => gainOf(p) >= gainOf(best) - gainTolerance(b.length));
    if (near.length > 0)
      console.log(
        `  within tolerance (npm test accepts these): ${near[0]!.threshold.toFixed(2)} to ${near[near.length - 1]!.threshold.toFixed(2)}; shipped ${band.threshold}`,
      );
  }
  for (const p of curve(b, 0, 0.6, 0.02))
    console.log(
      `  ${p.threshold.toFixed(2)}  recall ${p.recall.toFixed(2)}  precision ${p.precision.toFixed(2)}  abstention ${p.abstention.toFixed(2)}`,
    );
});
