/**
 * Messages the bot reads in a help channel without being addressed (`turn.overheard`). Members
 * talk to each other there, so the bot speaks only when it is sure it helps: a confident answer
 * to a general question, or, when someone describes their own knee, an offer to go through it
 * privately. It never starts a knee check in public, keeps no session for what it overhears and
 * records nothing: chatter is not an unanswered question.
 *
 * What only the platform knows stays in the adapter: a reply from one member to another, and a
 * follow-up in a thread the bot already answered, never reach the engine.
 */

import type { Reply } from "../types.ts";
import type { EngineContext, TurnScope } from "./context.ts";
import { answerReply } from "./faq.ts";
import { encodeSet } from "./ids.ts";
import type { Router } from "./router.ts";
import { urgentAdvice } from "./triage.ts";

/**
 * Unasked, in public, the bot answers only a clear match: a score well above the answer
 * threshold, so a member's chatter that happens to share a few words with an entry ("is the knee
 * thing from last week any better?") is left alone. A question put to the bot is answered at the
 * usual threshold.
 */
export const OVERHEARD_MIN_SCORE = 0.5;

/** The replies to an overheard message: often none. */
export function overhear(scope: TurnScope, text: string, router: Router): Reply[] {
  const { ctx } = scope;
  const k = ctx.knowledge;
  if (!text.trim() || router.command(text)) return [];
  const read = ctx.extractor.extractDetailed(text, { now: new Date(ctx.now()) });
  const reading = read.reading ?? ctx.reader.read(text);
  if (reading.foreign) return [];
  const found = read.findings;
  const guessed = new Set(read.guessed);
  const privately = privateOffer(ctx);

  // A warning sign is never left unanswered, even in passing: the advice is general (it names
  // no one's symptoms), and the check itself goes on privately.
  const urgent = urgentAdvice(k, found, guessed);
  if (urgent) {
    return [
      {
        kind: "urgent",
        text: urgent.text,
        visibility: "public",
        choices: privately.choices,
        meta: { redFlags: urgent.redFlags, level: urgent.level },
      },
    ];
  }
  // Members talk about all sorts in a running club: without the knee named, it isn't ours.
  if (!router.mentionsKnee(reading.words)) return [];

  // Someone's own knee: never examined in public. One button takes them somewhere private.
  if (router.describesSymptoms(text, Object.keys(found).length) || guessed.size > 0) {
    return [privately];
  }

  // A general question: answered only when the matcher is sure (no "did you mean" in public).
  if (!reading.question) return [];
  const m = ctx.matcher.match(text);
  if (!m.id || m.ambiguous || m.smallTalk || m.outOfScope || m.score < OVERHEARD_MIN_SCORE)
    return [];
  const entry = k.faq.find((e) => e.id === m.id);
  if (!entry) return [];
  return [
    {
      ...answerReply(scope, entry, false),
      meta: { faqId: entry.id, score: m.score, alternatives: m.alternatives },
    },
  ];
}

/** "I can go through it with you privately", with the button that starts a private check. */
function privateOffer(ctx: EngineContext): Reply {
  const w = ctx.knowledge.wording;
  return {
    kind: "info",
    text: w.help_channel_offer,
    visibility: "public",
    choices: {
      mode: "single",
      id: encodeSet({ type: "menu" }),
      options: [{ value: "triage", label: w.help_channel_button }],
    },
  };
}
