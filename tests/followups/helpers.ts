/** Shared set-up for follow-up tests: the real knowledge, an engine, a clock, a fake DM sender. */
import { fileURLToPath } from "node:url";

import { createEngine, type KneebotEngine } from "../../src/engine.ts";
import { createFollowUps } from "../../src/followups/conversation.ts";
import { withProcessLock } from "../../src/followups/local-lock.ts";
import type { DeliveryResult, Scheduler } from "../../src/followups/types.ts";
import { loadKnowledge } from "../../src/knowledge/load.ts";
import type { Metrics } from "../../src/metrics.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Reply, Turn } from "../../src/types.ts";

/** The project's knowledge folder, loaded once. */
export const knowledge = loadKnowledge(fileURLToPath(new URL("../../knowledge", import.meta.url)));

/** One DM the fake sender received. */
export interface SentDm {
  platform: string;
  userId: string;
  replies: Reply[];
}

/** A turn in a DM from `userId` on `platform`, optionally with a time zone. */
export function dm(userId: string, extra: { platform?: string; timeZone?: string } = {}) {
  const base = {
    platform: extra.platform ?? "slack",
    userId,
    place: { kind: "dm" as const },
    ...(extra.timeZone ? { timeZone: extra.timeZone } : {}),
  };
  return {
    text: (text: string): Turn => ({ ...base, type: "text", text }),
    pick: (reply: Reply | undefined, ...values: string[]): Turn => {
      if (!reply?.choices) throw new Error("reply has no choices");
      return { ...base, type: "choice", setId: reply.choices.id, values };
    },
    command: (command: "followups" | "stop" | "forget" | "triage"): Turn => ({
      ...base,
      type: "command",
      command,
    }),
  };
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
