import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accepted, pointAt, readReal, scoreLines } from "../../bench/faq-real.ts";
import { createMatcher } from "../../src/matcher.ts";
import { THRESHOLDS, thresholdFor } from "../../src/matching/calibration.ts";
import { EVAL_DIR, shippedKnowledge } from "../helpers/knowledge.ts";

const m = createMatcher(shippedKnowledge());

describe("the development set (eval/faq-dev.jsonl)", () => {
  const lines = readReal(join(EVAL_DIR, "faq-dev.jsonl"));

  it("answers at least 97% of its in-scope questions with the right entry", () => {
    const inScope = lines.filter((l) => accepted(l).length > 0);
    const misses = inScope.filter((l) => !accepted(l).includes(m.match(l.q).id ?? ""));
    const share = 1 - misses.length / inScope.length;
    expect(share, misses.map((l) => l.q).join("\n")).toBeGreaterThanOrEqual(0.97);
  });

  it("answers every out-of-scope line with none", () => {
    for (const l of lines.filter((x) => accepted(x).length === 0)) {
      const r = m.match(l.q);
      expect(r.id, l.q).toBeNull();
      expect(r.alternatives, l.q).toEqual([]);
    }
  });
});

describe("real runners' questions (eval/faq-real.jsonl)", () => {
  const lines = readReal(join(EVAL_DIR, "faq-real.jsonl"));
  const half = (split: "calibration" | "test") =>
    scoreLines(
      m,
      lines.filter((l) => l.split === split),
    );

  it("is split into a calibration half and a test half, with out-of-scope lines in both", () => {
    for (const split of ["calibration", "test"] as const) {
      const p = pointAt(half(split), thresholdFor);
      expect(p.inScope).toBeGreaterThanOrEqual(30);
      expect(p.outOfScope).toBeGreaterThanOrEqual(10);
    }
  });

  it("on the test half, abstains on at least 90% of the out-of-scope questions", () => {
    expect(pointAt(half("test"), thresholdFor).abstention).toBeGreaterThanOrEqual(0.9);
  });

  // Issue 10 asks for 75% on the test half; the matcher with naive Bayes' second opinion reaches
  // about 47% while abstaining on every out-of-scope post (long posts that never name the knee
  // are not answered). This floor keeps what has been won.
  it("on the test half, answers at least 45% of the in-scope questions with an acceptable entry", () => {
    expect(pointAt(half("test"), thresholdFor).recall).toBeGreaterThanOrEqual(0.45);
  });

  it("keeps each band's threshold where the calibration half puts it (no better threshold there)", () => {
    const cal = half("calibration");
    THRESHOLDS.forEach((band, i) => {
      const lo = i === 0 ? 0 : THRESHOLDS[i - 1]!.upTo;
      const b = cal.filter((s) => s.length > lo && s.length <= band.upTo);
      const gain = (t: number) => {
        const p = pointAt(b, t);
        const right = p.recall * p.inScope;
        const answered = p.precision === 0 ? 0 : right / p.precision;
        return right - (answered - right);
      };
      // Moving the threshold a step either way must not win more right answers than wrong ones.
      for (const t of [band.threshold - 0.02, band.threshold + 0.02])
        expect(gain(t), `band up to ${band.upTo}, threshold ${t}`).toBeLessThanOrEqual(
          gain(band.threshold) + 1,
        );
    });
  });
});
