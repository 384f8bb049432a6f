/**
 * What the engine fuzzer generates: realistic, hostile and random texts, real and forged
 * choice ids and values, commands, time passing and bursts of simultaneous turns, as abstract
 * steps that the test resolves against what each user was last shown.
 */
import fc from "fast-check";
import { type ChoiceSet, COMMANDS, type CommandName } from "../../src/types.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { PLACES } from "./fuzz-harness.ts";
import { HOSTILE_CORPUS } from "./hostile-corpus.ts";

const k = shippedKnowledge();

/** Realistic messages: questions, symptoms, red flags, commands in words, yes/no, check-ins. */
const POOL = [
  "does ice help?",
  "why does my knee click?",
  "what shoes should I buy",
  "is it ok to run through knee pain",
  "my knee hurts on the outside after long runs",
  "I have pain below my kneecap when I go downstairs",
  "my knee hurts on the inside",
  "my knee is hot and swollen and I can't put weight on it",
  "I twisted my knee and heard a pop, it swelled up straight away",
  "my knee locks and gives way",
  "I have a fever and my knee is red",
  "my calf is swollen and painful",
  "numbness in my foot after the fall",
  "check my knee",
  "triage",
  "forget me",
  "delete my data",
  "start over",
  "restart",
  "help",
  "privacy",
  "what data do you keep",
  "my follow ups",
  "stop",
  "unsubscribe",
  "hi",
  "hello there",
  "yes",
  "no",
  "yes please",
  "nope",
  "not sure",
  "none",
  "none of these",
  "1",
  "2",
  "1 3",
  "outside",
  "on the front",
  "it built up over time",
  "I'm 14 and I'm limping",
  "I'm 62 and I fell on my knee",
  "my kneecap slipped out and went back",
  "55 or over",
  "better",
  "much better thanks",
  "the same",
  "worse",
  "getting worse",
  "thanks",
  "what is the weather tomorrow",
  "how do I bake bread",
  "",
  "   ",
  "?",
];

const REAL_VALUES = [
  "yes",
  "no",
  "none",
  "unsure",
  "not_sure",
  "helpful",
  "unhelpful",
  "triage",
  "help",
  "privacy",
  "2d",
  "3d",
  "7d",
  "better",
  "same",
  "worse",
  "snooze",
  "cancel",
  ...k.faq.slice(0, 8).map((e) => e.id),
  ...k.triage.red_flags.slice(0, 4).map((r) => r.finding),
  ...k.triage.questions.flatMap((q) =>
    q.type === "single" || q.type === "pick" ? q.choices.map((c) => c.value) : [],
  ),
];
const TOKENS = [
  ...k.triage.questions.map((q) => q.id),
  ...k.faq.slice(0, 6).map((e) => e.id),
  String(k.triage.version),
  String(k.triage.version - 1),
  "abcdef",
  "000000",
  "offer-abcdef-1",
  "f0123456789abcdef",
  "",
  "..",
];

const loneSurrogates = fc.string({
  unit: fc.integer({ min: 0xd800, max: 0xdfff }).map((c) => String.fromCharCode(c)),
  maxLength: 6,
});
const anyUtf16 = fc.string({
  unit: fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c)),
  maxLength: 60,
});
const realistic = fc.constantFrom(...POOL);
const hostile = fc.constantFrom(...HOSTILE_CORPUS.map((i) => i.text));

/** Free text a user might send. */
export const textArb: fc.Arbitrary<string> = fc.oneof(
  { weight: 10, arbitrary: realistic },
  { weight: 2, arbitrary: hostile },
  { weight: 2, arbitrary: fc.string({ unit: "grapheme", maxLength: 40 }) },
  { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 40 }) },
  { weight: 1, arbitrary: anyUtf16 },
  {
    weight: 2,
    arbitrary: fc
      .tuple(realistic, fc.oneof(loneSurrogates, fc.string({ unit: "grapheme", maxLength: 8 })))
      .map(([a, b]) => `${a} ${b}`),
  },
  {
    weight: 1,
    arbitrary: fc
      .tuple(realistic, fc.constantFrom("\u200B", "\u202E", "\u0000", "\u0301", "\r\n", "**"))
      .map(([a, junk]) => a.split("").join(junk)),
  },
  { weight: 1, arbitrary: realistic.map((s) => s.toUpperCase()) },
);

const valuesArb = fc.array(
  fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...REAL_VALUES) }, fc.string({ maxLength: 50 })),
  { maxLength: 4 },
);

/** Forged set ids: random strings and plausible ones built from real parts. */
const forgedSetId = fc.oneof(
  fc.string({ maxLength: 60 }),
  anyUtf16,
  fc
    .tuple(
      fc.constantFrom("q", "c", "o", "a", "u", "d", "l", "m", "x", "Q", ""),
      fc.array(fc.oneof(fc.constantFrom(...TOKENS), fc.string({ maxLength: 45 })), {
        maxLength: 4,
      }),
    )
    .map(([kind, parts]) => [kind, ...parts].join(".")),
);

const who = { user: fc.nat(), place: fc.nat({ max: PLACES.length - 1 }) };

/** One abstract step; choice steps are resolved against what the user was last shown. */
export type TurnAction =
  | { kind: "text"; user: number; place: number; text: string }
  | { kind: "command"; user: number; place: number; command: CommandName; args?: string }
  | { kind: "pick"; user: number; place: number; index: number; mask: number }
  | { kind: "stale"; user: number; place: number; index: number; keep: boolean; values: string[] }
  | { kind: "forged"; user: number; place: number; setId: string; values: string[] }
  | { kind: "wrong"; user: number; place: number; values: string[] };
export type Action =
  | TurnAction
  | { kind: "tick"; ms: number }
  | { kind: "burst"; steps: TurnAction[] };

export const DAY = 24 * 60 * 60 * 1000;

const turnActionArb = (weights: { pick: number }): fc.Arbitrary<TurnAction> =>
  fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({ kind: fc.constant("text" as const), ...who, text: textArb }),
    },
    {
      weight: 2,
      arbitrary: fc.record(
        {
          kind: fc.constant("command" as const),
          ...who,
          command: fc.constantFrom(...COMMANDS),
          args: textArb,
        },
        { requiredKeys: ["kind", "user", "place", "command"] },
      ),
    },
    {
      weight: weights.pick,
      arbitrary: fc.record({
        kind: fc.constant("pick" as const),
        ...who,
        index: fc.nat(),
        mask: fc.nat({ max: 0xffff }),
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("stale" as const),
        ...who,
        index: fc.nat(),
        keep: fc.boolean(),
        values: valuesArb,
      }),
    },
    {
      weight: 2,
      arbitrary: fc.record({
        kind: fc.constant("forged" as const),
        ...who,
        setId: forgedSetId,
        values: valuesArb,
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({ kind: fc.constant("wrong" as const), ...who, values: valuesArb }),
    },
  );

const actionArb = (weights: { pick: number }): fc.Arbitrary<Action> =>
  fc.oneof(
    { weight: 20, arbitrary: turnActionArb(weights) },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("tick" as const),
        ms: fc.oneof(
          fc.integer({ min: 0, max: 2 * DAY }),
          fc.integer({ min: 2 * DAY, max: 9 * DAY }),
        ),
      }),
    },
    {
      weight: 1,
      arbitrary: fc.record({
        kind: fc.constant("burst" as const),
        steps: fc.array(turnActionArb(weights), { minLength: 2, maxLength: 4 }),
      }),
    },
  );

export const sequenceArb = (weights: { pick: number }, maxLength: number) =>
  fc.record({
    seed: fc.nat(),
    users: fc.integer({ min: 3, max: 5 }),
    actions: fc.array(actionArb(weights), { minLength: 1, maxLength, size: "max" }),
  });

/**
 * The values a "pick" clicks on a set: one option, or for a checklist mostly "none of these"
 * (so triages run on to self-care outcomes and check-in offers), else any subset.
 */
export function valuesFor(set: ChoiceSet, index: number, mask: number): string[] {
  if (set.mode === "single") return [set.options[index % set.options.length]!.value];
  if (mask % 4 !== 0 && set.noneValue) return [set.noneValue];
  return set.options.filter((_o, i) => (mask >> (i + 2)) & 1).map((o) => o.value);
}
