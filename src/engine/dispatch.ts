/**
 * What the engine does with each kind of turn: commands, clicks on choices, and free text
 * (red flags first, then a pending question, a check-in, an offer, or the FAQ).
 */

import { truncate } from "../text/cut.ts";
import { words } from "../text/tokens.ts";
import type { Findings } from "../triage/extract.ts";
import { NOT_SURE } from "../triage/logic.ts";
import type { CommandName, Reply } from "../types.ts";
import type { TurnScope } from "./context.ts";
import {
  answerReply,
  didYouMeanReply,
  HELPFUL,
  MAX_LABEL_CHARS,
  menuChoices,
  UNHELPFUL,
  unknownReply,
} from "./faq.ts";
import { decodeSet, encodeSet, type SetRef } from "./ids.ts";
import type { Router } from "./router.ts";
import { fill } from "./text.ts";
import {
  advance,
  applyAnswer,
  describeFindings,
  optionsFor,
  redFlagsIn,
  startTriage,
  urgentAdvice,
} from "./triage.ts";

/** Routes one turn (already validated and cleaned) to its handler. */
export async function dispatch(
  scope: TurnScope & { forgotten?: boolean },
  router: Router,
): Promise<Reply[]> {
  const { turn } = scope;
  if (turn.type === "command") return onCommand(scope, turn.command, turn.args, router);
  if (turn.type === "choice") return onChoice(scope, turn.setId, turn.values);
  return onText(scope, turn.text, router);
}

async function onCommand(
  scope: TurnScope & { forgotten?: boolean },
  command: CommandName,
  args: string | undefined,
  router?: Router,
): Promise<Reply[]> {
  const { ctx, session } = scope;
  const w = ctx.knowledge.wording;
  switch (command) {
    case "start":
      if (session.triage?.questionId && scope.turn.type === "text") {
        return [
          { kind: "info", text: w.check_in_progress, visibility: "private", personal: true },
          ...reask(scope),
        ];
      }
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
      if (!session.triage) return [offerReply(scope, w.nothing_to_restart, {})];
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
      // A question that describes the asker's own knee is answered privately; "ask" never reads
      // it as an answer to a check in progress (the context menus ask about others' posts).
      const found = Object.keys(ctx.extractor.extract(q)).length;
      return answerQuestion(scope, q, router?.describesSymptoms(q, found) === true);
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
    case "cancel": {
      // A bare "stop" with no check open means the messages (as in reply to a check-in DM):
      // it cancels the check-ins. "quit", "never mind" and the like never do.
      if (session.triage === undefined && session.offer === undefined) {
        const said = scope.turn.type === "text" ? words(scope.turn.text).join(" ") : "";
        if (said === "stop" && ctx.followUps?.stop) return onCommand(scope, "stop", undefined);
        return [{ kind: "info", text: w.nothing_to_cancel, visibility: "private" }];
      }
      session.triage = undefined;
      session.offer = undefined;
      session.confirm = undefined;
      return [{ kind: "info", text: w.check_cancelled, visibility: "private" }];
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
      return answerOffer(scope, values[0] === "yes" ? "yes" : "no");
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

  const open = session.triage?.open ?? [];
  const hints = {
    age: open.some((f) => f.startsWith("age_")),
    duration: open.includes("duration_6_weeks"),
    now: new Date(ctx.now()),
  };
  const read = ctx.extractor.extractDetailed(text, hints);
  const reading = read.reading ?? ctx.reader.read(text);
  const found = read.findings;
  const guessed = new Set(read.guessed);
  const allFlags = redFlagsIn(k.triage, found);
  const flags = allFlags.filter((f) => !guessed.has(f));
  const guessedFlags = allFlags.filter((f) => guessed.has(f));

  if (reading.foreign && allFlags.length === 0) {
    return [{ kind: "info", text: k.wording.other_language, visibility: "private" }];
  }

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
    for (const f of guessedFlags) delete found[f];
    if (session.triage) {
      mergeFound(session.triage.findings, found);
      for (const f of flags) session.triage.findings[f] = "yes";
      session.confirm = undefined;
      return withUrgentNotice(scope, advance(scope));
    }
    return withUrgentNotice(scope, await startTriage(scope, found, false));
  }
  // A warning sign seen only through a spelling correction: ask, with the advice ready.
  if (guessedFlags.length > 0) return [flagConfirm(scope, found, guessedFlags)];

  // "Did you mean <warning sign>?" waits for its yes or no, even during a check.
  if (session.offer?.guessed) {
    const yn = router.yesNo(text);
    if (yn) return answerOffer(scope, yn);
    session.offer = undefined;
  }

  if (session.triage?.questionId)
    return answerTriageText(scope, text, found, guessed, reading.question);

  const checkIn = await ctx.followUps?.text?.(scope, text);
  if (checkIn) return checkIn;

  if (session.offer) {
    const yn = router.yesNo(text);
    if (yn) return answerOffer(scope, yn);
    session.offer = undefined;
  }

  const typed = pickShown(scope, text);
  if (typed) return onChoice(scope, typed.setId, [typed.value]);

  if (router.painElsewhere(reading.words)) {
    return [{ kind: "info", text: k.wording.other_body_part, visibility: "private" }];
  }

  const described = router.describesSymptoms(text, Object.keys(found).length);
  if (described && !(reading.question && Object.keys(found).length === 0)) {
    const m = ctx.matcher.match(text);
    const entry = m.id && !m.ambiguous ? k.faq.find((e) => e.id === m.id) : undefined;
    const offer = offerReply(scope, k.wording.offer_triage, found);
    if (entry) return [answerReply(scope, entry, true), offer];
    // Not sure which entry it asks: the check first, and the likely answers beside it.
    const suggestions = m.id ? [m.id, ...m.alternatives] : m.alternatives;
    if (suggestions.length === 0) return [offer];
    return [offer, didYouMeanReply(scope, suggestions, true, m.score, k.wording.offer_questions)];
  }
  return answerQuestion(scope, text, false);
}

/** "Shall I check your knee?" with Yes / No, keeping what the runner said for the check. */
function offerReply(scope: TurnScope, text: string, found: Findings): Reply {
  const { ctx, session } = scope;
  const w = ctx.knowledge.wording;
  session.offer = { findings: found };
  return {
    kind: "confirm",
    text,
    visibility: "private",
    personal: true,
    choices: offerChoices(session.nonce, w.offer_triage_yes, w.offer_triage_no),
    meta: { findings: found },
  };
}

/** Yes / No for the open offer (`session.offer`), its set id tied to the session's nonce. */
function offerChoices(nonce: string, yes: string, no: string): Reply["choices"] {
  return {
    mode: "single",
    id: encodeSet({ type: "offer", nonce }),
    options: [
      { value: "yes", label: yes },
      { value: "no", label: no },
    ],
  };
}

/**
 * "Did you mean: you can't put weight on it?" for warning signs read only through a spelling
 * correction, with that sign's advice shown straight away. Yes treats them as said; no drops
 * them and carries on with the rest of the message.
 */
function flagConfirm(scope: TurnScope, found: Findings, guessed: string[]): Reply {
  const { ctx, session } = scope;
  const flow = ctx.knowledge.triage;
  const w = ctx.knowledge.wording;
  const signs = flow.red_flags.filter((r) => guessed.includes(r.finding));
  const level = flow.levels.find((l) => signs.some((r) => r.level === l.id)) ?? flow.levels[0]!;
  const base = { ...(session.triage?.findings ?? {}), ...found };
  session.offer = { findings: base, guessed };
  return {
    kind: "urgent",
    text: fill(w.flag_confirm, {
      signs: signs.map((r) => r.label.replace(/[.:]$/, "")).join("; "),
      title: level.title,
      advice: level.advice,
    }),
    visibility: "private",
    personal: true,
    choices: offerChoices(session.nonce, w.flag_confirm_yes, w.flag_confirm_no),
    meta: { level: level.id, redFlags: guessed, findings: found },
  };
}

/** A yes or no to an open offer: a knee check, or a warning sign read through a typo. */
async function answerOffer(scope: TurnScope, answer: "yes" | "no"): Promise<Reply[]> {
  const { ctx, session } = scope;
  const offer = session.offer;
  if (!offer) return [];
  session.offer = undefined;
  const guessed = offer.guessed ?? [];
  if (guessed.length === 0) {
    if (answer === "yes") return startTriage(scope, offer.findings, true);
    return [{ kind: "info", text: ctx.knowledge.wording.offer_declined, visibility: "private" }];
  }
  const findings = { ...offer.findings };
  for (const f of guessed) {
    if (answer === "yes") findings[f] = "yes";
    else delete findings[f];
  }
  if (session.triage) {
    mergeFound(session.triage.findings, findings);
    return answer === "yes" ? withUrgentNotice(scope, advance(scope)) : reask(scope);
  }
  return answer === "yes"
    ? withUrgentNotice(scope, await startTriage(scope, findings, false))
    : startTriage(scope, findings, true);
}

/** Typed words that pick one of the choices shown last ("in 3 days", "not really", "snooze"). */
function pickShown(scope: TurnScope, text: string): { setId: string; value: string } | undefined {
  const shown = scope.session.shown ?? [];
  const picks: Array<{ setId: string; value: string }> = [];
  for (const set of shown) {
    const value = scope.ctx.pickChoice(text, set.options);
    if (value !== undefined) picks.push({ setId: set.id, value });
  }
  return picks.length === 1 ? picks[0] : undefined;
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
    if (entry) {
      const answer: Reply = {
        ...answerReply(scope, entry, personal),
        meta: { faqId: entry.id, score: m.score, alternatives: m.alternatives },
      };
      // Two questions in one message: the best is answered, the other offered.
      const other = m.also ? k.faq.find((e) => e.id === m.also) : undefined;
      if (!other) return [answer];
      return [
        answer,
        {
          kind: "did-you-mean",
          text: k.wording.also_asked,
          visibility: answer.visibility,
          ...(personal ? { personal } : {}),
          choices: {
            mode: "single",
            id: encodeSet({ type: "suggest" }),
            options: [{ value: other.id, label: truncate(other.question, MAX_LABEL_CHARS) }],
          },
          meta: { alternatives: [other.id] },
        },
      ];
    }
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

/**
 * Typed text while a check question is open. First decide what the message is: an answer to
 * the question (numbers, labels, yes/no, a duration or an age, a denial), a description that
 * answers other questions (recorded, and the question asked again), or a question of its own
 * (answered, then the check resumes). Warning signs are never read from loose word overlap.
 */
async function answerTriageText(
  scope: TurnScope,
  text: string,
  found: Findings,
  guessed: ReadonlySet<string>,
  asking: boolean,
): Promise<Reply[]> {
  const { ctx, session } = scope;
  const k = ctx.knowledge;
  const t = session.triage!;
  const q = k.triage.questions.find((x) => x.id === t.questionId);
  if (!q) return advance(scope);
  const open = t.open ?? [];

  // The message settles something the question asks ("3 weeks", "im 32", "doesn't give way").
  // A typo-corrected answer ("graduly") is confirmed below instead.
  if (!asking && open.some((f) => found[f] !== undefined && !guessed.has(f))) {
    mergeFound(t.findings, found);
    return advance(scope);
  }

  const { answer } = optionsFor(scope, q, open, t.plainAsked);
  const m = asking
    ? ({ type: "none" } as const)
    : ctx.mapAnswer(text, { ...answer, exactOnly: q.type === "red_flags" });
  if (m.type === "match" && m.confident && applyAnswer(scope, m.values)) {
    mergeFound(t.findings, found);
    return advance(scope);
  }

  // A description: record what it says, skip what it answers, ask again what it didn't.
  if (m.type === "match") for (const f of open) if (guessed.has(f)) delete found[f];
  const described = Object.keys(found).filter((f) => t.findings[f] === undefined);
  if (described.length > 0) {
    mergeFound(t.findings, found);
    const facts = describeFindings(k.triage, found);
    const noted: Reply[] = facts
      ? [
          {
            kind: "info",
            text: fill(k.wording.triage_noted, { facts }),
            visibility: "private",
            personal: true,
          },
        ]
      : [];
    if (asking) return [...noted, ...(await answerQuestion(scope, text, true)), ...resume(scope)];
    return [...noted, ...advance(scope)];
  }

  if (asking) return [...(await answerQuestion(scope, text, true)), ...resume(scope)];

  if (m.type === "match") {
    const labels = m.values
      .map((v) => answer.options.find((o) => o.value === v)?.label ?? v)
      .map(lowerFirst)
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
  return [notUnderstood(scope), ...reask(scope)];
}

/** "The knee is locked" mid-sentence reads "the knee is locked"; "I'm…" and "ITB" stay. */
function lowerFirst(label: string): string {
  return /^[A-Z][a-z]/.test(label) && !/^I\b/.test(label)
    ? label[0]!.toLowerCase() + label.slice(1)
    : label;
}

/** The open question again, after a detour, introduced in one short line. */
function resume(scope: TurnScope): Reply[] {
  const replies = reask(scope);
  const first = replies[0];
  if (first?.kind !== "question") return replies;
  return [
    { ...first, text: `${scope.ctx.knowledge.wording.triage_resume} ${first.text}` },
    ...replies.slice(1),
  ];
}

/** Adds findings read from text without overwriting answers already given. */
function mergeFound(findings: Record<string, string>, found: Record<string, string>): void {
  for (const [f, v] of Object.entries(found))
    if (findings[f] === undefined || findings[f] === NOT_SURE) findings[f] = v;
}

/** Puts the urgent notice first when red flags cut in and the outcome isn't the next reply. */
function withUrgentNotice(scope: TurnScope, replies: Reply[]): Reply[] {
  if (replies[0]?.kind === "outcome") return replies;
  const t = scope.session.triage;
  const urgent = t ? urgentAdvice(scope.ctx.knowledge, t.findings) : undefined;
  if (!urgent) return replies;
  return [
    {
      kind: "urgent",
      text: urgent.text,
      visibility: "private",
      personal: true,
      meta: { level: urgent.level, redFlags: urgent.redFlags },
    },
    ...replies,
  ];
}
