/**
 * Prometheus metrics on a registry of our own (never prom-client's global one, so two bots in
 * one process, or many tests, never collide). src/ code calls the small recording methods and
 * never touches prom-client; the ops server serves `render()`.
 *
 * Label values come from a fixed vocabulary (platform names, triage levels, failure reasons).
 * Anything else is recorded as "other" so a bug can never turn user input into unbounded label
 * cardinality, and never into a label at all.
 */
import { Counter, collectDefaultMetrics, Histogram, Registry } from "prom-client";

/** Turn-duration buckets in seconds, from 0.1 ms (a cached FAQ hit) to 5 s (a slow store). */
export const TURN_DURATION_BUCKETS = [
  0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5,
] as const;

/** The counters and histograms the bot records, plus rendering for GET /metrics. */
export interface Metrics {
  /** One handled turn on `platform`, which took `seconds` (measure it with the injected clock). */
  turn(platform: string, seconds: number): void;
  /** A triage flow ended at `level` (e.g. "urgent", "see-physio", "self-care"). */
  triageOutcome(level: string): void;
  /** A question the FAQ could not answer. */
  unanswered(): void;
  followupSent(): void;
  /** A follow-up DM could not be delivered, e.g. reason "dm-closed", "platform-error". */
  followupFailed(reason: string): void;
  /** A message refused by the rate limiter. */
  rateLimited(): void;
  /** The Prometheus text exposition of every metric. */
  render(): Promise<string>;
  /** The Content-Type to serve `render()` with. */
  readonly contentType: string;
  /** The underlying registry, for tests and for adding metrics in one place. */
  readonly registry: Registry;
}

/** Options for createMetrics. */
export interface MetricsOptions {
  /** Also collect Node process metrics (CPU, memory, event loop lag…). Default true. */
  processMetrics?: boolean;
}

const LABEL_VALUE = /^[a-z0-9][a-z0-9_-]{0,31}$/;

/** Keeps label values to short lowercase tokens; anything else becomes "other". */
export function safeLabel(value: string): string {
  return LABEL_VALUE.test(value) ? value : "other";
}

/** Creates a fresh Metrics with its own Registry. */
export function createMetrics(options: MetricsOptions = {}): Metrics {
  const registry = new Registry();
  const registers = [registry];
  if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry });

  const turns = new Counter({
    name: "kneebot_turns_total",
    help: "Turns handled, by platform.",
    labelNames: ["platform"] as const,
    registers,
  });
  const turnDuration = new Histogram({
    name: "kneebot_turn_duration_seconds",
    help: "Time from receiving a turn to having its replies, in seconds.",
    buckets: [...TURN_DURATION_BUCKETS],
    registers,
  });
  const triageOutcomes = new Counter({
    name: "kneebot_triage_outcomes_total",
    help: "Completed triage flows, by outcome level.",
    labelNames: ["level"] as const,
    registers,
  });
  const unanswered = new Counter({
    name: "kneebot_unanswered_total",
    help: "Questions the FAQ could not answer.",
    registers,
  });
  const followupsSent = new Counter({
    name: "kneebot_followups_sent_total",
    help: "Follow-up check-in messages delivered.",
    registers,
  });
  const followupsFailed = new Counter({
    name: "kneebot_followups_failed_total",
    help: "Follow-up check-in messages that could not be delivered, by reason.",
    labelNames: ["reason"] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: "kneebot_rate_limited_total",
    help: "Messages refused by the per-user rate limiter.",
    registers,
  });

  return {
    turn(platform, seconds) {
      turns.inc({ platform: safeLabel(platform) });
      // A negative or NaN duration is a clock bug; recording it would corrupt the histogram sum.
      if (Number.isFinite(seconds) && seconds >= 0) turnDuration.observe(seconds);
    },
    triageOutcome: (level) => triageOutcomes.inc({ level: safeLabel(level) }),
    unanswered: () => unanswered.inc(),
    followupSent: () => followupsSent.inc(),
    followupFailed: (reason) => followupsFailed.inc({ reason: safeLabel(reason) }),
    rateLimited: () => rateLimited.inc(),
    render: () => registry.metrics(),
    contentType: registry.contentType,
    registry,
  };
}
