/**
 * Anonymous events for the organiser's report: what was answered, which knee checks ended
 * how, check-in results, and on which platform. No user ids, no message text. One codec reads
 * every store's copy, so a bad or older row is dropped, never cast.
 */
import { z } from "zod";

/** Longest list of events kept, in every store (oldest dropped first). */
export const MAX_EVENTS = 50_000;

const base = { at: z.number(), platform: z.string().max(40).optional() };

/** One event, tagged by `type`. */
export const insightEventSchema = z.discriminatedUnion("type", [
  z.object({ type: z.literal("answered"), faqId: z.string().max(60), ...base }),
  z.object({ type: z.literal("unanswered"), ...base }),
  z.object({
    type: z.literal("check"),
    level: z.string().max(40),
    condition: z.string().max(60),
    ...base,
  }),
  z.object({
    type: z.literal("checkin"),
    result: z.enum(["better", "same", "worse", "no-reply"]),
    ...base,
  }),
  /** A check-in delivered: the report counts those never answered as "no reply". */
  z.object({ type: z.literal("checkin_sent"), ...base }),
]);

/** An event as recorded. */
export type InsightEvent = z.infer<typeof insightEventSchema>;

/** Reads one stored event (JSON text); undefined when it is not a valid event. */
export function decodeEvent(json: string): InsightEvent | undefined {
  try {
    const parsed = insightEventSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
