import { z } from "zod";
import { looseString } from "./loose-string.ts";

const text = z.string().min(1);

/** The bot's own wording, knowledge/wording.yaml. Every key is required. */
export const wordingSchema = z
  .object({
    greeting: text,
    disclaimer: text,
    help: text,
    privacy: text,
    forget_confirm: text,
    unknown: text,
    out_of_scope: text,
    did_you_mean: text,
    none_of_these: text,
    offer_triage: text,
    offer_triage_yes: text,
    offer_triage_no: text,
    help_channel_offer: text,
    help_channel_button: text,
    offer_declined: text,
    triage_intro: text,
    triage_prefilled: text,
    confirm_answer: text,
    confirm_yes: text,
    confirm_no: text,
    not_understood: text,
    not_sure_label: text,
    urgent_intro: text,
    outcome_heading: text,
    outcome_condition: text,
    outcome_plan_heading: text,
    outcome_read_more: text,
    outcome_unsure_warnings: text,
    get_help_sooner: text,
    restart_done: text,
    expired: text,
    feedback_question: text,
    feedback_yes: text,
    feedback_no: text,
    feedback_thanks: text,
    related_prompt: text,
    too_long: text,
    rate_limited: text,
    error: text,
    empty: text,
    small_talk: text,
    ask_what: text,
    followups_none: text,
    stopped: text,
    followup_offer: text,
    followup_offer_more: text,
    followup_in_2_days: text,
    followup_in_3_days: text,
    followup_in_a_week: text,
    followup_no_thanks: text,
    followup_scheduled: text,
    followup_declined: text,
    followup_checkin: text,
    followup_checkin_late: text,
    followup_better: text,
    followup_same: text,
    followup_worse: text,
    followup_better_reply: text,
    followup_same_reply: text,
    followup_same_again: text,
    followup_worse_reply: text,
    followup_worse_escalate: text,
    followup_list_heading: text,
    followup_list_item: text,
    followup_snooze: text,
    followup_cancel: text,
    followup_snoozed: text,
    followup_cancelled: text,
    check_cancelled: text,
    nothing_to_cancel: text,
    nothing_to_restart: text,
    check_in_progress: text,
    triage_resume: text,
    triage_noted: text,
    flag_confirm: text,
    flag_confirm_yes: text,
    flag_confirm_no: text,
    other_body_part: text,
    other_language: text,
    also_asked: text,
    offer_questions: text,
  })
  .strict();

/** The loaded wording. */
export type Wording = z.infer<typeof wordingSchema>;

/** The matcher's and router's vocabulary, knowledge/lexicon.yaml. */
export const lexiconSchema = z
  .object({
    synonyms: z.record(z.string().min(1), looseString),
    stopwords: z.array(looseString),
    intent_words: z.array(looseString).default([]),
    weak_words: z.array(looseString).default([]),
    out_of_scope: z.array(looseString),
    in_scope: z.array(looseString),
    /** Subjects that make a short message off-topic unless it names the knee or a hurt. */
    off_topic_subjects: z.array(looseString).default([]),
    other_body_parts: z.array(looseString).default([]),
    knee_terms: z.array(looseString).default([]),
    /** Which knee: dropped before a knee term, so "back of my left knee" reads as "back of my knee". */
    side_words: z.array(looseString).default([]),
    standalone_topics: z.array(looseString).default([]),
    any_body_part_topics: z.array(looseString).default([]),
    /** Entries on one condition that differ only in what is asked about it. */
    families: z
      .array(
        z
          .object({
            /** What the condition is called (after the synonyms): "it band", "runners knee". */
            names: z.array(looseString).min(1),
            /** Each kind of question (a key of `asks`) and the entry that answers it. */
            members: z.record(z.string().min(1), looseString),
          })
          .strict(),
      )
      .default([]),
    /** Entries that compare families: a message naming only one family gets that family's. */
    family_comparisons: z.array(looseString).default([]),
    /** Kinds of question ("causes", "relief"…) and the words and phrases that ask them. */
    asks: z.record(z.string().min(1), z.array(looseString)).default({}),
    small_talk: z.array(looseString).default([]),
    common_words: z.array(looseString).default([]),
    commands: z.record(z.string(), z.array(looseString)),
    personal_cues: z.array(looseString),
    symptom_words: z.array(looseString).default([]),
    question_starts: z.array(looseString).default([]),
    yes_words: z.array(looseString),
    no_words: z.array(looseString),
    unsure_words: z.array(looseString),
    /** Free-text answers to "How's your knee today?"; the longest matching phrase wins. */
    checkin_words: z
      .object({
        better: z.array(looseString),
        same: z.array(looseString),
        worse: z.array(looseString),
      })
      .strict()
      .default({ better: [], same: [], worse: [] }),
  })
  .strict();

/** The loaded lexicon. */
export type Lexicon = z.infer<typeof lexiconSchema>;
