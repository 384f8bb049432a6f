import { z } from "zod";

/** FAQ ids are kebab-case so they stay safe inside platform component ids. */
export const faqIdSchema = z
  .string()
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, "use lowercase words joined by hyphens, like runners-knee")
  .max(40, "keep ids to 40 characters or fewer");

/** Most characters an FAQ answer may have, so it fits one message on every platform. */
export const MAX_ANSWER_CHARS = 1200;

/** Front matter of one FAQ entry file (`knowledge/faq/<id>.md`); the body is the answer. */
export const faqFrontMatterSchema = z
  .object({
    id: faqIdSchema,
    question: z.string().min(5, "write the canonical question in full"),
    alternates: z
      .array(z.string().min(2))
      .min(3, "add at least 3 alternate phrasings (how runners really ask)"),
    keywords: z.array(z.string().min(2)).default([]),
    /** True when the answer is about the reader's own symptoms: the bot then adds the
     * disclaimer and the "get help sooner if…" line from knowledge/wording.yaml. */
    symptoms: z.boolean().default(false),
    related: z.array(faqIdSchema).default([]),
    sources: z
      .array(
        z.object({
          title: z.string().min(3),
          url: z.url({ message: "must be a full http(s) URL" }),
        }),
      )
      .min(1, "every entry cites at least one source"),
  })
  .strict();

/** One loaded FAQ entry: front matter plus the answer body. */
export type FaqEntry = z.infer<typeof faqFrontMatterSchema> & { answer: string; file: string };
