/**
 * Slack retries a delivery it thinks went unanswered (`X-Slack-Retry-Num` over HTTP,
 * `retry_attempt` in Socket Mode). Each delivery id is claimed once in the shared state, so a
 * retry is dropped even when it reaches another process on the same Redis.
 */
import type { SharedState } from "../../src/index.ts";

/** How long an id is remembered; Slack retries within about five minutes. */
export const DEDUPE_TTL_MS = 15 * 60 * 1000;

/** True the first time `id` is offered within DEDUPE_TTL_MS, in every process sharing `state`. */
export function firstDelivery(state: SharedState, id: string): Promise<boolean> {
  return state.setIfAbsent(`slack:seen:${id}`, DEDUPE_TTL_MS);
}
