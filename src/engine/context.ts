import type { Knowledge } from "../knowledge/load.ts";
import type { Logger } from "../logger.ts";
import type { Matcher } from "../matcher.ts";
import type { InsightStore, Session } from "../store/types.ts";
import type { TextReader } from "../text/reader.ts";
import type { Extractor } from "../triage/extract.ts";
import type { Reply, Turn } from "../types.ts";
import type { AnswerContext, AnswerMatch } from "./answers.ts";

/** Hooks through which follow-up check-ins plug into conversations. All optional. */
export interface FollowUpHooks {
  /** Extra replies after a triage outcome (e.g. "shall I check in with you in a few days?"). */
  afterOutcome?(scope: TurnScope, outcome: { level: string; condition: string }): Promise<Reply[]>;
  /** A click on a follow-up choice (set ids `u.<ref>`); undefined means expired. */
  choice?(scope: TurnScope, ref: string, values: string[]): Promise<Reply[] | undefined>;
  /** Free text while a check-in awaits an answer; undefined lets the engine route it as usual. */
  text?(scope: TurnScope, text: string): Promise<Reply[] | undefined>;
  /** "my follow-ups": the user's scheduled check-ins. */
  list?(scope: TurnScope): Promise<Reply[]>;
  /** "stop": cancels the user's check-ins. */
  stop?(scope: TurnScope): Promise<Reply[]>;
  /** "forget me": deletes everything the follow-up side holds about the user. */
  forget?(turn: Turn): Promise<void>;
}

/** Everything a turn handler needs: the knowledge, its compiled helpers, the stores. */
export interface EngineContext {
  knowledge: Knowledge;
  matcher: Matcher;
  /** The one text-understanding layer (spelling, contractions, question or not, language). */
  reader: TextReader;
  extractor: Extractor;
  mapAnswer: (text: string, ctx: AnswerContext) => AnswerMatch;
  /** A shown choice picked by typing its label, part of it, its number, yes or no. */
  pickChoice: (
    text: string,
    options: Array<{ value: string; label: string }>,
  ) => string | undefined;
  insights: InsightStore;
  logger: Logger;
  now: () => number;
  random: () => number;
  /** How long sessions are kept, for the privacy notice. */
  sessionTtlMs: number;
  followUps?: FollowUpHooks;
}

/** One turn in progress: the context, the turn and the session being updated. */
export interface TurnScope {
  ctx: EngineContext;
  turn: Turn;
  session: Session;
}
