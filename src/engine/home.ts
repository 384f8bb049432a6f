/**
 * What one user has open with the bot, for a home screen (Slack's App Home): what the bot does,
 * the knee check in progress, the scheduled check-ins and the privacy notice. Read only: the
 * session is not written, and nothing counts as a turn. Every choice in it carries the same set
 * ids as in a conversation, so a click on it is an ordinary choice turn.
 */
import type { SessionStore } from "../store/types.ts";
import type { Reply, Turn } from "../types.ts";
import type { EngineContext, TurnScope } from "./context.ts";
import { menuChoices } from "./faq.ts";
import { fill } from "./text.ts";
import { advance, newSession } from "./triage.ts";

/** Whose home screen: the same platform and user id as in the user's turns. */
export interface HomeUser {
  platform: string;
  userId: string;
}

/** One user's home screen, as replies an adapter renders like any other. */
export interface HomeView {
  /** What the bot does, with the menu (start a knee check, help, privacy). */
  about: Reply;
  /**
   * The knee check in progress: "you're in the middle of a knee check" and the question it
   * waits on (its choices answer it). Undefined when no check is open.
   */
  check?: Reply[];
  /** "My follow-ups": the scheduled check-ins, each with its snooze and cancel choices. */
  checkIns: Reply[];
  /** What is kept and for how long, and that "forget me" deletes it. */
  privacy: Reply;
}

/** Builds `user`'s home screen from their session and scheduled check-ins. */
export async function homeView(
  ctx: EngineContext,
  sessions: SessionStore,
  user: HomeUser,
  key: string,
): Promise<HomeView> {
  const w = ctx.knowledge.wording;
  const stored = await sessions.get(key);
  // A copy: showing the open question again must not touch the stored session.
  const session = stored ? structuredClone(stored) : newSession(ctx.now(), ctx.random);
  const turn: Turn = { ...user, place: { kind: "dm" }, type: "command", command: "followups" };
  const scope: TurnScope = { ctx, turn, session };
  const days = String(Math.max(1, Math.round(ctx.sessionTtlMs / 86_400_000)));
  const view: HomeView = {
    about: { kind: "info", text: w.help, visibility: "private", choices: menuChoices(scope) },
    checkIns: (await ctx.followUps?.list?.(scope)) ?? [
      { kind: "info", text: w.followups_none, visibility: "private" },
    ],
    privacy: { kind: "info", text: fill(w.privacy, { session_days: days }), visibility: "private" },
  };
  const t = session.triage;
  if (t?.questionId) {
    t.asked--; // shown again, not asked anew (as "start" does in the middle of a check)
    const question = advance(scope).filter((r) => r.kind === "question");
    if (question.length > 0) {
      view.check = [
        { kind: "info", text: w.check_in_progress, visibility: "private", personal: true },
        ...question,
      ];
    }
  }
  return view;
}
