/**
 * Ages and durations in runners' words: "im 32", "52", "about 3 weeks", "a couple of months",
 * "since march". Month names and dates go to chrono-node; counts of days, weeks, months and
 * years are read here, because chrono reads "3 weeks ago" as a date but not "3 weeks" as a span.
 */
import { createRequire } from "node:module";

type Chrono = typeof import("chrono-node");
let chronoModule: Chrono | undefined;
/** chrono-node takes a while to load and is needed only for "since <a date>": loaded on first use. */
function chrono(): Chrono {
  chronoModule ??= createRequire(import.meta.url)("chrono-node") as Chrono;
  return chronoModule;
}

const NUMBER_WORDS = new Map<string, number>([
  ["a", 1],
  ["an", 1],
  ["one", 1],
  ["two", 2],
  ["couple", 2],
  ["three", 3],
  ["few", 3],
  ["four", 4],
  ["five", 5],
  ["six", 6],
  ["several", 6],
  ["seven", 7],
  ["eight", 8],
  ["nine", 9],
  ["ten", 10],
  ["eleven", 11],
  ["twelve", 12],
]);

const UNIT_DAYS = new Map<string, number>([
  ["day", 1],
  ["days", 1],
  ["week", 7],
  ["weeks", 7],
  ["fortnight", 14],
  ["fortnights", 14],
  ["month", 30],
  ["months", 30],
  ["year", 365],
  ["years", 365],
]);

/** Units that make "i am 10 …" something other than an age. */
export const NOT_AGE_UNITS = new Set([
  "k",
  "km",
  "kms",
  "miles",
  "mile",
  "mi",
  "minutes",
  "min",
  "weeks",
  "week",
  "days",
  "day",
  "months",
  "month",
  "kg",
  "kilos",
  "stone",
  "st",
  "lbs",
  "pounds",
  "percent",
  "%",
  "mins",
  "hours",
  "seconds",
  "secs",
  "sec",
  "degrees",
  "bpm",
]);

/** Words for a child, after which a bare number is their age ("my son is 14"). */
export const CHILD_WORDS = new Set([
  "son",
  "daughter",
  "lad",
  "boy",
  "girl",
  "kid",
  "kids",
  "child",
  "teen",
  "teenager",
]);

/** Words for a person whose age may follow ("my dad (71)", "my son is 14"). */
const PERSON_WORDS = new Set([
  ...CHILD_WORDS,
  "dad",
  "mum",
  "mom",
  "father",
  "mother",
  "husband",
  "wife",
  "partner",
  "grandad",
  "granddad",
  "grandma",
  "nan",
]);

/** Youngest and oldest ages believed from text. */
const MIN_AGE = 5;
const MAX_AGE = 100;

function asAge(token: string | undefined): number | undefined {
  if (token === undefined || !/^\d{1,3}$/.test(token)) return undefined;
  const n = Number(token);
  return n >= MIN_AGE && n <= MAX_AGE ? n : undefined;
}

/**
 * The runner's age, from simplified words: "i am 32", "aged 52", "32 years old", "age 40",
 * "32 yo". With `bare` (the bot has just asked for the age), a number on its own counts too.
 */
export function parseAge(ws: string[], bare: boolean): number | undefined {
  for (let i = 0; i < ws.length; i++) {
    const w = ws[i];
    const next = ws[i + 1];
    // "like a 90 year old" is a figure of speech, and "16.5 stone" (words 16, 5) a weight.
    if (ws[i - 2] === "like" && (ws[i - 1] === "a" || ws[i - 1] === "an")) continue;
    if (/^\d+$/.test(ws[i + 1] ?? "") && asAge(w) !== undefined) continue;
    if ((w === "aged" || w === "age") && asAge(next) !== undefined) return asAge(next);
    // "start running at 65": "at" and a number is an age when it is 40 or more and no unit
    // follows ("at 10 km", "at 45 seconds", "at 6 pm" are not ages).
    if (w === "at") {
      const n = asAge(next);
      const after = ws[i + 2] ?? "";
      const clock = after === "am" || after === "pm";
      if (n !== undefined && n >= 40 && !clock && !NOT_AGE_UNITS.has(after) && !/^\d+$/.test(after))
        return n;
    }
    if (w === "am" && ws[i - 1] === "i") {
      const n = asAge(next);
      const after = ws[i + 2] ?? "";
      if (n !== undefined && !NOT_AGE_UNITS.has(after) && !/^\d+$/.test(after)) return n;
    }
    const n = asAge(w);
    if (n === undefined) continue;
    if (next === "yo" || (next === "y" && ws[i + 2] === "o")) return n;
    // "45f", "52 m" as people give their age and sex online.
    if ((next === "f" || next === "m") && (i === 0 || ws[i - 1] === "i" || ws[i - 1] === "am"))
      return n;
    // "my son is 14", "my lad (13)", "kids 10", "my dad (71)": the age of the one who hurts.
    const prev = ws[i - 1] === "is" ? ws[i - 2] : ws[i - 1];
    if (prev !== undefined && (PERSON_WORDS.has(prev) || PERSON_WORDS.has(prev.replace(/s$/, ""))))
      return n;
    if ((next === "years" || next === "year" || next === "yrs") && ws[i + 2] === "old") return n;
  }
  if (bare) {
    const numbers = ws.map((w) => asAge(w)).filter((n) => n !== undefined);
    const units = ws.some((w) => NOT_AGE_UNITS.has(w));
    if (numbers.length === 1 && !units) return numbers[0];
  }
  return undefined;
}

const DATE_WORD =
  /^(the )?(\d|jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|christmas|xmas|easter|new year|yesterday|weekend)/i;

const SPAN_CUES = new Set(["for", "past", "last", "over", "about", "around", "nearly", "almost"]);

/**
 * How many days something has lasted: "for about 3 weeks", "2 months now", "a fortnight",
 * "since march", "3 weeks ago". With `bare` (the bot has just asked how long), "3 weeks" on its
 * own counts; otherwise the span needs a cue ("for", "past", "now", "ago", "since").
 */
export function parseDurationDays(
  text: string,
  ws: string[],
  now: Date,
  bare: boolean,
): number | undefined {
  for (let i = 0; i < ws.length; i++) {
    const unit = UNIT_DAYS.get(ws[i] ?? "");
    if (unit === undefined) continue;
    const before = ws[i - 1] ?? "";
    let count = /^\d{1,3}$/.test(before) ? Number(before) : NUMBER_WORDS.get(before);
    let at = i - 1;
    if (count === undefined && before === "of" && ws[i - 2] === "couple") {
      count = 2;
      at = i - 3;
    }
    if (count === undefined) {
      if (!bare || (ws[i] !== "fortnight" && ws[i] !== "month" && ws[i] !== "year")) continue;
      count = 1;
      at = i;
    }
    const after = ws[i + 1] ?? "";
    const cued =
      bare ||
      after === "now" ||
      after === "ago" ||
      ws.slice(Math.max(0, at - 3), at + 1).some((w) => SPAN_CUES.has(w));
    if (cued) return count * unit;
  }
  // "since last week": a count of one, said the other way round.
  const last = /\bsince last (week|month|year|fortnight)\b/i.exec(text);
  if (last?.[1]) return UNIT_DAYS.get(last[1].toLowerCase());
  // "since march", "since the start of october": the date right after the cue.
  const since = /\b(?:since|started in|began in)\s+(.{3,40})/i.exec(text);
  // chrono is thorough but not cheap: only ask it when a date word or number follows.
  if (since?.[1] && DATE_WORD.test(since[1])) {
    const found = chrono().en.GB.parse(since[1], now)[0];
    if (found && found.index <= 4) {
      let date = found.start.date();
      // In the future means the last one: "since friday" is last Friday, "since march" this March.
      if (date.getTime() > now.getTime()) {
        date =
          date.getTime() - now.getTime() < 8 * 86_400_000
            ? new Date(date.getTime() - 7 * 86_400_000)
            : new Date(date.setFullYear(date.getFullYear() - 1));
      }
      return Math.max(0, Math.round((now.getTime() - date.getTime()) / 86_400_000));
    }
  }
  if (bare && ws.some((w) => w === "ages" || w === "forever" || w === "yonks")) return 365;
  return undefined;
}
