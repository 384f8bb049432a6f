import { register as globalRegistry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createMetrics, safeLabel, TURN_DURATION_BUCKETS } from "../../src/metrics.ts";

describe("createMetrics", () => {
  it("records every kneebot metric in Prometheus text", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.turn("discord", 0.00005);
    metrics.turn("discord", 0.3);
    metrics.turn("slack", 7);
    metrics.triageOutcome("urgent");
    metrics.unanswered();
    metrics.followupSent();
    metrics.followupFailed("dm-closed");
    metrics.followupFailed("dm-closed");
    metrics.rateLimited();
    const text = await metrics.render();
    expect(text).toContain('kneebot_turns_total{platform="discord"} 2');
    expect(text).toContain('kneebot_turns_total{platform="slack"} 1');
    expect(text).toContain('kneebot_turn_duration_seconds_bucket{le="0.0001"} 1');
    expect(text).toContain('kneebot_turn_duration_seconds_bucket{le="0.5"} 2');
    expect(text).toContain('kneebot_turn_duration_seconds_bucket{le="5"} 2');
    expect(text).toContain('kneebot_turn_duration_seconds_bucket{le="+Inf"} 3');
    expect(text).toContain("kneebot_turn_duration_seconds_count 3");
    expect(text).toContain('kneebot_triage_outcomes_total{level="urgent"} 1');
    expect(text).toContain("kneebot_unanswered_total 1");
    expect(text).toContain("kneebot_followups_sent_total 1");
    expect(text).toContain('kneebot_followups_failed_total{reason="dm-closed"} 2');
    expect(text).toContain("kneebot_rate_limited_total 1");
    expect(metrics.contentType).toMatch(/^text\/plain/);
  });

  it("spans 0.1 ms to 5 s with duration buckets", () => {
    expect(TURN_DURATION_BUCKETS[0]).toBe(0.0001);
    expect(TURN_DURATION_BUCKETS.at(-1)).toBe(5);
    for (let i = 1; i < TURN_DURATION_BUCKETS.length; i++) {
      expect(TURN_DURATION_BUCKETS[i]).toBeGreaterThan(TURN_DURATION_BUCKETS[i - 1]!);
    }
  });

  it("uses its own registry, so instances never collide or touch the global one", async () => {
    const a = createMetrics({ processMetrics: false });
    const b = createMetrics({ processMetrics: false });
    a.unanswered();
    expect(await a.render()).toContain("kneebot_unanswered_total 1");
    expect(await b.render()).toContain("kneebot_unanswered_total 0");
    expect(a.registry).not.toBe(globalRegistry);
    expect(await globalRegistry.metrics()).not.toContain("kneebot_");
  });

  it("includes default process metrics unless turned off", async () => {
    expect(await createMetrics().render()).toContain("process_cpu_user_seconds_total");
    expect(await createMetrics({ processMetrics: false }).render()).not.toContain("process_cpu");
  });

  it("maps unexpected label values to other", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.turn("my knee hurts, help!", 0.01);
    metrics.followupFailed("x".repeat(100));
    const text = await metrics.render();
    expect(text).toContain('kneebot_turns_total{platform="other"} 1');
    expect(text).toContain('kneebot_followups_failed_total{reason="other"} 1');
    expect(text).not.toContain("knee hurts");
  });

  it("ignores impossible durations but still counts the turn", async () => {
    const metrics = createMetrics({ processMetrics: false });
    metrics.turn("terminal", -1);
    metrics.turn("terminal", Number.NaN);
    const text = await metrics.render();
    expect(text).toContain('kneebot_turns_total{platform="terminal"} 2');
    expect(text).toContain("kneebot_turn_duration_seconds_count 0");
  });

  it("accepts short lowercase tokens as labels", () => {
    expect(safeLabel("discord")).toBe("discord");
    expect(safeLabel("see-physio_soon")).toBe("see-physio_soon");
    expect(safeLabel("Discord")).toBe("other");
    expect(safeLabel("")).toBe("other");
    expect(safeLabel("-lead")).toBe("other");
  });
});
