import { z } from "zod";
import { looseString } from "./loose-string.ts";

const idSchema = z.string().regex(/^[a-z0-9_]+$/, "use lowercase letters, digits and underscores");
const valueSchema = z
  .string()
  .regex(/^[a-z0-9_]+$/, "use lowercase letters, digits and underscores");

/** A condition over findings, as written in triage.yaml. */
export type Expr =
  | { finding: string; is: string }
  | { finding: string; in: string[] }
  | { all: Expr[] }
  | { any: Expr[] }
  | { always: true };

/** Validates a rule condition recursively. */
export const exprSchema: z.ZodType<Expr> = z.lazy(() =>
  z.union([
    z.object({ finding: idSchema, is: valueSchema }).strict(),
    z.object({ finding: idSchema, in: z.array(valueSchema).min(1) }).strict(),
    z.object({ all: z.array(exprSchema).min(1) }).strict(),
    z.object({ any: z.array(exprSchema).min(1) }).strict(),
    z.object({ always: z.literal(true) }).strict(),
  ]),
);

const phraseList = z.array(looseString);

const findingSchema = z
  .object({
    values: z.array(valueSchema).min(2),
    /** Yes/no findings: a list of phrases meaning "yes"; multi-valued: phrases per value. */
    phrases: z.union([phraseList, z.record(valueSchema, phraseList)]).optional(),
    negative: phraseList.optional(),
    /**
     * Everyday explanations that, said in the same clause, mean the words are not this finding
     * ("my feet go cold in winter", "numb when my laces are too tight").
     */
    benign: phraseList.optional(),
  })
  .strict();

const synonymsSchema = z.array(looseString).default([]);

const choiceSchema = z
  .object({ value: valueSchema, label: z.string().min(1).max(80), synonyms: synonymsSchema })
  .strict();

const itemSchema = z
  .object({ finding: idSchema, label: z.string().min(1).max(100), synonyms: synonymsSchema })
  .strict();

/** A choice of a `pick` question: one answer that sets several findings (an age band). */
const pickChoiceSchema = z
  .object({
    value: valueSchema,
    label: z.string().min(1).max(80),
    synonyms: synonymsSchema,
    sets: z.record(idSchema, valueSchema),
    /** How this choice reads when the bot says what it noted from the runner's words. */
    noted: z.string().min(1),
  })
  .strict();

const questionSchema = z.discriminatedUnion("type", [
  z
    .object({
      id: idSchema,
      type: z.literal("red_flags"),
      text: z.string().min(1),
      plain_text: z.string().min(1),
      /** Asked instead of `text` when only flags that apply to some runners are left. */
      later_text: z.string().min(1),
      none_label: z.string().min(1),
      unsure_label: z.string().min(1),
    })
    .strict(),
  z
    .object({
      id: idSchema,
      type: z.literal("single"),
      sets: idSchema,
      text: z.string().min(1),
      choices: z.array(choiceSchema).min(2),
    })
    .strict(),
  z
    .object({
      id: idSchema,
      type: z.literal("pick"),
      text: z.string().min(1),
      choices: z.array(pickChoiceSchema).min(2),
    })
    .strict(),
  z
    .object({
      id: idSchema,
      type: z.literal("checklist"),
      text: z.string().min(1),
      items: z.array(itemSchema).min(1),
      none_label: z.string().min(1),
      unsure_label: z.string().min(1),
    })
    .strict(),
]);

/** The whole triage flow file, knowledge/triage.yaml. */
export const triageSchema = z
  .object({
    version: z.number().int().positive(),
    levels: z
      .array(
        z.object({ id: idSchema, title: z.string().min(1), advice: z.string().min(1) }).strict(),
      )
      .min(1),
    findings: z.record(idSchema, findingSchema),
    /** How a finding's value reads when the engine says what it noted from the runner's words. */
    noted: z.record(idSchema, z.record(valueSchema, z.string().min(1))).default({}),
    /** A line added to the outcome when the runner answered "not sure" to a finding. */
    unsure_warnings: z.record(idSchema, z.string().min(1)).default({}),
    red_flags: z
      .array(
        z
          .object({
            finding: idSchema,
            level: idSchema,
            label: z.string().min(1).max(100),
            plain: z.string().min(1).max(100),
            warning: z.string().min(1),
            /** The sign in a few plain words, for the outcome's "Likely" line. */
            sign: z.string().min(1),
            /** Why the sign matters: one sentence. */
            why: z.string().min(1),
            /** What to do until seen; the red_flag condition's plan when absent. */
            plan: z.array(z.string().min(1)).min(1).optional(),
            /** FAQ entries about this sign, linked before the red_flag condition's own. */
            faq: z.array(z.string()).default([]),
            /** Only asked, and only counts, where this holds (e.g. under-16s). */
            applies_when: exprSchema.optional(),
          })
          .strict(),
      )
      .min(1),
    questions: z.array(questionSchema).min(1),
    rules: z
      .array(z.object({ condition: idSchema, level: idSchema, when: exprSchema }).strict())
      .min(1),
    raises: z
      .array(
        z
          .object({ from: idSchema, to: idSchema, reason: z.string().min(1), when: exprSchema })
          .strict(),
      )
      .default([]),
    conditions: z.record(
      idSchema,
      z
        .object({
          name: z.string().min(1),
          explain: z.string().min(1),
          /** Replaces the level's advice when this condition sets the level. */
          advice: z.string().min(1).optional(),
          plan: z.array(z.string().min(1)).min(1),
          faq: z.array(z.string()).default([]),
        })
        .strict(),
    ),
  })
  .strict();

/** The loaded triage flow. */
export type TriageFlow = z.infer<typeof triageSchema>;
/** One question of the flow. */
export type Question = TriageFlow["questions"][number];
