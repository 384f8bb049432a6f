/** Shared set-up for follow-up tests: the real knowledge, an engine, a clock, a fake DM sender. */
import { fileURLToPath } from "node:url";

import { createEngine, type KneebotEngine } from "../../src/engine.ts";
import { createFollowUps } from "../../src/followups/conversation.ts";
import { withProcessLock } from "../../src/followups/local-lock.ts";
import type { DeliveryResult, Scheduler } from "../../src/followups/types.ts";
import { loadKnowledge } from "../../src/knowledge/load.ts";
import type { Metrics } from "../../src/metrics.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Reply } from "../../src/types.ts";
import { turnsFor } from "../helpers/conversation.ts";

/** The project's knowledge folder, loaded once. */
export const knowledge = loadKnowledge(fileURLToPath(new URL("../../knowledge", import.meta.url)));

/** One DM the fake sender received. */
export interface SentDm {
  platform: string;
  userId: string;
  replies: Reply[];
}

/** Turns in a DM from `userId` on `platform` (Slack unless said), optionally with a time zone. */
export function dm(userId: string, extra: { platform?: string; timeZone?: string } = {}) {
  return turnsFor({
    platform: extra.platform ?? "slack",
    userId,
    place: { kind: "dm" },
    ...(extra.timeZone ? { timeZone: extra.timeZone } : {}),
  });
}

/**
 * Runs a triage to its outcome: red flags and checklists "none" unless `answers` says otherwise
 * (by question id), single questions their first option.
 */
export async function runTriage(
  engine: KneebotEngine,
  user: ReturnType<typeof dm>,
  answers: Record<string, string[]> = {},
  start?: Reply[],
): Promise<Reply[]> {
  let replies = start ?? (await engine.handle(user.command("triage")));
  for (let i = 0; i < 20; i++) {
    const q = replies.find((r) => r.kind === "question");
    if (!q?.choices) return replies;
    const id = q.meta?.questionId ?? "";
    const values =
      answers[id] ??
      (q.choices.mode === "multi" ? [q.choices.noneValue!] : [q.choices.options[0]!.value]);
    replies = await engine.handle(user.pick(q, ...values));
  }
  throw new Error("triage did not finish");
}

/** An engine wired with the follow-up hooks on `scheduler`, and a controllable fake sender. */
export function followUpEngine(
  scheduler: Scheduler,
  options: { sessions: SessionStore; now: () => number; metrics?: Metrics },
) {
  const sessions = withProcessLock(options.sessions);
  const followUps = createFollowUps({
    scheduler,
    knowledge,
    sessions,
    now: options.now,
    ...(options.metrics ? { metrics: options.metrics } : {}),
  });
  const engine = createEngine({ knowledge, sessions, followUps, now: options.now });
  const sent: SentDm[] = [];
  let result: (userId: string) => DeliveryResult = () => ({ type: "sent" });
  const sender = async (platform: string, userId: string, replies: Reply[]) => {
    const r = result(userId);
    if (r.type === "sent") sent.push({ platform, userId, replies });
    return r;
  };
  return {
    engine,
    followUps,
    sessions,
    sent,
    deliver: followUps.deliverWith(sender),
    failWith(fn: (userId: string) => DeliveryResult) {
      result = fn;
    },
  };
}
