/**
 * What the engine does with each kind of turn: commands, clicks on choices, and free text
 * (red flags first, then a pending question, a check-in, an offer, or the FAQ).
 */

import { NOT_SURE } from "../triage/logic.ts";
import type { CommandName, Reply } from "../types.ts";
import type { TurnScope } from "./context.ts";
import {
  answerReply,
  didYouMeanReply,
  HELPFUL,
  menuChoices,
  UNHELPFUL,
  unknownReply,
} from "./faq.ts";
import { decodeSet, encodeSet, type SetRef } from "./ids.ts";
import type { Router } from "./router.ts";
import { fill } from "./text.ts";
import { advance, applyAnswer, optionsFor, redFlagsIn, startTriage } from "./triage.ts";

/** Routes one turn (already validated and cleaned) to its handler. */
export async function dispatch(
  scope: TurnScope & { forgotten?: boolean },
  router: Router,
): Promise<Reply[]> {
  const { turn } = scope;
  if (turn.type === "command") return onCommand(scope, turn.command, turn.args);
  if (turn.type === "choice") return onChoice(scope, turn.setId, turn.values);
  return onText(scope, turn.text, router);
}

async function onCommand(
  scope: TurnScope & { forgotten?: boolean },
  command: CommandName,
  args: string | undefined,
): Promise<Reply[]> {
  const { ctx, session } = scope;
  const w = ctx.knowledge.wording;
  switch (command) {
    case "start":
      session.greeted = true;
      return [
        {
          kind: "greeting",
          text: `${w.greeting}\n${w.disclaimer}`,
          visibility: "public",
          choices: menuChoices(scope),
        },
      ];
    case "help":
      return [{ kind: "info", text: w.help, visibility: "public", choices: menuChoices(scope) }];
    case "privacy": {
      const days = String(Math.max(1, Math.round(ctx.sessionTtlMs / 86_400_000)));
      return [
        { kind: "info", text: fill(w.privacy, { session_days: days }), visibility: "private" },
      ];
    }
    case "triage":
      return startTriage(scope, {}, true);
    case "restart":
      session.triage = undefined;
      session.offer = undefined;
      session.confirm = undefined;
      return [
        { kind: "info", text: w.restart_done, visibility: "private", personal: true },
        ...(await startTriage(scope, {}, false)),
      ];
    case "ask": {
      const q = (args ?? "").trim();
      if (!q) return [{ kind: "info", text: w.ask_what, visibility: "private" }];
      return answerQuestion(scope, q, false);
    }
    case "forget": {
      // The session is deleted by the caller once this turn ends (nothing is saved after it).
      await ctx.followUps?.forget?.(scope.turn);
      scope.forgotten = true;
      return [{ kind: "info", text: w.forget_confirm, visibility: "private" }];
    }
    case "followups": {
      const list = await ctx.followUps?.list?.(scope);
      return list ?? [{ kind: "info", text: w.followups_none, visibility: "private" }];
    }
    case "stop": {
      const replies = await ctx.followUps?.stop?.(scope);
      return replies ?? [{ kind: "info", text: w.stopped, visibility: "private" }];
    }
  }
}

async function onChoice(scope: TurnScope, setId: string, values: string[]): Promise<Reply[]> {
  const { ctx, session } = scope;
  const k = ctx.knowledge;
  const ref: SetRef | undefined = decodeSet(setId);
  const expired: Reply[] = [{ kind: "expired", text: k.wording.expired, visibility: "private" }];
  if (!ref) return expired;
  const faq = (id: string | undefined) => k.faq.find((e) => e.id === id);
  switch (ref.type) {
    case "question": {
      const t = session.triage;
      if (
        !t ||
        ref.nonce !== session.nonce ||
        ref.version !== k.triage.version ||
        t.questionId !== ref.questionId
      ) {
        return expired;
      }
      session.confirm = undefined;
      if (!applyAnswer(scope, values)) return [notUnderstood(scope), ...reask(scope)];
      return advance(scope);
    }
    case "confirm": {
      const c = session.confirm;
      const t = session.triage;
      if (
        !c ||
        !t ||
        ref.nonce !== session.nonce ||
        c.questionId !== ref.questionId ||
        ref.version !== k.triage.version
      ) {
        return expired;
      }
      session.confirm = undefined;
      if (values[0] === "yes" && applyAnswer(scope, c.values)) return advance(scope);
      return reask(scope);
    }
    case "offer": {
      if (ref.nonce !== session.nonce || !session.offer) return expired;
      if (values[0] === "yes") return startTriage(scope, session.offer.findings, true);
      session.offer = undefined;
      return [{ kind: "info", text: k.wording.offer_declined, visibility: "private" }];
    }
    case "answer": {
      const v = values[0];
      if (v === HELPFUL || v === UNHELPFUL) {
        if (!faq(ref.faqId)) return expired;
        await ctx.insights.recordFeedback({
          faqId: ref.faqId,
          helpful: v === HELPFUL,
          at: ctx.now(),
        });
        return [{ kind: "feedback", text: k.wording.feedback_thanks, visibility: "private" }];
      }
      const entry = faq(v);
      return entry ? [answerReply(scope, entry, false)] : expired;
    }
    case "suggest":
    case "links": {
      if (values[0] === "none") return [unknownReply(scope, false, false)];
      const entry = faq(values[0]);
      return entry ? [answerReply(scope, entry, ref.type === "links")] : expired;
    }
    case "menu": {
      const v = values[0];
      if (v === "triage") return startTriage(scope, {}, true);
      if (v === "help") return onCommand(scope, "help", undefined);
      if (v === "privacy") return onCommand(scope, "privacy", undefined);
      return expired;
    }
    case "followup": {
      const replies = await ctx.followUps?.choice?.(scope, ref.jobId, values);
      return replies ?? expired;
    }
  }
}

function notUnderstood(scope: TurnScope): Reply {
  return {
    kind: "info",
    text: scope.ctx.knowledge.wording.not_understood,
    visibility: "private",
    personal: true,
  };
}

/** Shows the current question again (same set id, so its buttons stay valid). */
function reask(scope: TurnScope): Reply[] {
  const t = scope.session.triage;
  if (!t) return [];
  t.asked--; // the repeat is not a new question
  return advance(scope);
}

async function onText(
  scope: TurnScope & { forgotten?: boolean },
  text: string,
  router: Router,
): Promise<Reply[]> {
  const { ctx, session } = scope;
  const k = ctx.knowledge;
  if (!text.trim()) return [{ kind: "info", text: k.wording.empty, visibility: "private" }];

  const command = router.command(text);
  if (command) return onCommand(scope, command, undefined);

  const found = ctx.extractor.extract(text);
  const flags = redFlagsIn(k.triage, found);

  // A pending "did you mean X?" confirmation takes a yes or a no.
  if (session.confirm && session.triage && flags.length === 0) {
    const yn = router.yesNo(text);
    if (yn) {
      const values = session.confirm.values;
      session.confirm = undefined;
      if (yn === "yes" && applyAnswer(scope, values)) return advance(scope);
      return reask(scope);
    }
    session.confirm = undefined;
  }

  // Red-flag words interrupt whatever is happening.
  if (flags.length > 0) {
    if (session.triage) {
      for (const [f, v] of Object.entries(found)) session.triage.findings[f] ??= v;
      for (const f of flags) session.triage.findings[f] = "yes";
      session.confirm = undefined;
      return withUrgentNotice(scope, advance(scope));
    }
    return withUrgentNotice(scope, await startTriage(scope, found, false));
  }

  if (session.triage?.questionId) return answerTriageText(scope, text, found);

  const checkIn = await ctx.followUps?.text?.(scope, text);
  if (checkIn) return checkIn;

  if (session.offer) {
    const yn = router.yesNo(text);
    if (yn === "yes") return startTriage(scope, session.offer.findings, true);
    if (yn === "no") {
      session.offer = undefined;
      return [{ kind: "info", text: k.wording.offer_declined, visibility: "private" }];
    }
    session.offer = undefined;
  }

  const described = router.describesSymptoms(text, Object.keys(found).length);
  if (described) {
    const m = ctx.matcher.match(text);
    const entry = m.id && !m.ambiguous ? k.faq.find((e) => e.id === m.id) : undefined;
    session.offer = { findings: found };
    const offer: Reply = {
      kind: "confirm",
      text: k.wording.offer_triage,
      visibility: "private",
      personal: true,
      choices: {
        mode: "single",
        id: encodeSet({ type: "offer", nonce: session.nonce }),
        options: [
          { value: "yes", label: k.wording.offer_triage_yes },
          { value: "no", label: k.wording.offer_triage_no },
        ],
      },
      meta: { findings: found },
    };
    return entry ? [answerReply(scope, entry, true), offer] : [offer];
  }
  return answerQuestion(scope, text, false);
}

/** Answers a question from the FAQ: a confident answer, "did you mean", or "I don't know". */
async function answerQuestion(scope: TurnScope, text: string, personal: boolean): Promise<Reply[]> {
  const { ctx } = scope;
  const k = ctx.knowledge;
  const found = ctx.extractor.extract(text);
  if (redFlagsIn(k.triage, found).length > 0)
    return withUrgentNotice(scope, await startTriage(scope, found, false));
  const m = ctx.matcher.match(text);
  if (m.smallTalk) return [{ kind: "info", text: k.wording.small_talk, visibility: "public" }];
  if (m.id && !m.ambiguous) {
    const entry = k.faq.find((e) => e.id === m.id);
    if (entry)
      return [
        {
          ...answerReply(scope, entry, personal),
          meta: { faqId: entry.id, score: m.score, alternatives: m.alternatives },
        },
      ];
  }
  const suggestions = m.id ? [m.id, ...m.alternatives] : m.alternatives;
  if (suggestions.length > 0) return [didYouMeanReply(scope, suggestions, personal, m.score)];
  await ctx.insights.recordUnanswered({
    text,
    score: m.score,
    outOfScope: m.outOfScope === true,
    at: ctx.now(),
  });
  return [unknownReply(scope, m.outOfScope === true, personal)];
}

/** A typed answer during triage: mapped onto the question's choices, or confirmed, or re-asked. */
async function answerTriageText(
  scope: TurnScope,
  text: string,
  found: Record<string, string>,
): Promise<Reply[]> {
  const { ctx, session } = scope;
  const k = ctx.knowledge;
  const t = session.triage!;
  const q = k.triage.questions.find((x) => x.id === t.questionId);
  if (!q) return advance(scope);
  const { answer } = optionsFor(scope, q, t.open ?? [], t.plainAsked);
  const m = ctx.mapAnswer(text, answer);
  if (m.type === "match" && m.confident) {
    if (applyAnswer(scope, m.values)) {
      mergeFound(t.findings, found);
      return advance(scope);
    }
  }
  if (m.type === "match") {
    const labels = m.values
      .map((v) => answer.options.find((o) => o.value === v)?.label ?? v)
      .join(", ");
    session.confirm = { questionId: q.id, values: m.values, label: labels };
    return [
      {
        kind: "confirm",
        text: fill(k.wording.confirm_answer, { label: labels }),
        visibility: "private",
        personal: true,
        choices: {
          mode: "single",
          id: encodeSet({
            type: "confirm",
            nonce: session.nonce,
            questionId: q.id,
            version: t.version,
          }),
          options: [
            { value: "yes", label: k.wording.confirm_yes },
            { value: "no", label: k.wording.confirm_no },
          ],
        },
      },
    ];
  }
  // Words that answer the open question directly ("it's on the outside").
  const open = t.open ?? [];
  if (open.some((f) => found[f] !== undefined)) {
    mergeFound(t.findings, found);
    return advance(scope);
  }
  const fq = ctx.matcher.match(text);
  const entry = fq.id && !fq.ambiguous ? k.faq.find((e) => e.id === fq.id) : undefined;
  if (entry) return [answerReply(scope, entry, true), ...reask(scope)];
  return [notUnderstood(scope), ...reask(scope)];
}

/** Adds findings read from text without overwriting answers already given. */
function mergeFound(findings: Record<string, string>, found: Record<string, string>): void {
  for (const [f, v] of Object.entries(found))
    if (findings[f] === undefined || findings[f] === NOT_SURE) findings[f] = v;
}

/** Puts the urgent notice first when red flags cut in and the outcome isn't the next reply. */
function withUrgentNotice(scope: TurnScope, replies: Reply[]): Reply[] {
  if (replies[0]?.kind === "outcome") return replies;
  const flow = scope.ctx.knowledge.triage;
  const t = scope.session.triage;
  const flags = t ? redFlagsIn(flow, t.findings) : [];
  const level = flow.levels.find((l) =>
    flow.red_flags.some((r) => flags.includes(r.finding) && r.level === l.id),
  );
  if (!level) return replies;
  const text = `${scope.ctx.knowledge.wording.urgent_intro}\n**${level.title}**\n${level.advice}`;
  return [
    {
      kind: "urgent",
      text,
      visibility: "private",
      personal: true,
      meta: { level: level.id, redFlags: flags },
    },
    ...replies,
  ];
}
