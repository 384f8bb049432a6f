import type { TriageFlow } from "../knowledge/triage-schema.ts";
import {
  clauses,
  compilePhrase,
  findPhrase,
  indexPhrases,
  type Phrase,
  presentWords,
} from "../text/phrases.ts";
import { CHILD_WORDS, NOT_AGE_UNITS, parseAge, parseDurationDays } from "../text/quantities.ts";
import type { Reading, TextReader } from "../text/reader.ts";

/** Findings as `finding id -> value`, in the policy's vocabulary. */
export type Findings = Record<string, string>;

/** What a message says, with the findings only a spelling correction revealed marked. */
export interface Extraction {
  findings: Findings;
  /** Findings read only after correcting a misspelling: the bot should confirm these. */
  guessed: string[];
  reading?: Reading;
}

/** What the question on screen lets a bare answer mean ("52" to "how old are you?"). */
export interface ExtractHints {
  /** The bot has just asked for the runner's age. */
  age?: boolean;
  /** The bot has just asked how long it has lasted. */
  duration?: boolean;
  /** Now, for "since march". */
  now?: Date;
}

interface CompiledFinding {
  id: string;
  /** value -> phrases that mean it */
  byValue: Array<{ value: string; phrases: Phrase[] }>;
  negative: Phrase[];
  /** Explanations that cancel a mention in the same clause. */
  benign: Phrase[];
  /** Body parts that, named instead of the knee, mean a mention is about them (heat, swelling). */
  notAbout?: RegExp;
  /** A yes/no finding: a negated mention ("it doesn't lock") means "no". */
  yesNo: boolean;
  /** A red flag: a negated mention suppresses it but never rules it out (it is still asked). */
  redFlag: boolean;
}

/** Reads findings out of free text using the phrases in the triage flow. */
export interface Extractor {
  extract(text: string): Findings;
  /** The findings with what was guessed through spelling correction, and the reading. */
  extractDetailed(text: string, hints?: ExtractHints): Extraction;
}

/** Age findings and the ages they stand for (only those the flow defines are set). */
const AGE_FINDINGS: Array<[string, (age: number) => boolean]> = [
  ["age_under_16", (a) => a < 16],
  ["age_45_plus", (a) => a >= 45],
  ["age_55_plus", (a) => a >= 55],
];
const SIX_WEEKS_DAYS = 42;
/** A clause about the calf (or calves) and not the knee. */
const CALF_NOT_KNEE = /^(?!.* knees? ).* (calf|calves|calve|calfs) /;
/** Words of a fever, which is the runner's whatever body part the clause names. */
const FEVER = /fever|temp|shiver|chill|unwell|ill\b/;
/** Words that deny pain outright. */
const PAINLESS =
  "did not hurt|does not hurt|no pain|painless|not painful|was not painful|pain free";
/** Words that make a clause about the pain, so a time span in it is how long it has lasted. */
const PAIN_WORD =
  /^(knee|knees|hurt|hurts|hurting|pain|painful|sore|ache|aches|aching|achy|niggle|niggling|swollen|swelling|injury|injured|limping|stiff|bothering|bugging|dodgy|playing)$/;

/** Compiles the flow's finding phrases once, for fast extraction on every message. */
export function createExtractor(flow: TriageFlow, reader?: TextReader): Extractor {
  const redFlags = new Set(flow.red_flags.map((r) => r.finding));
  const compiled: CompiledFinding[] = Object.entries(flow.findings).map(([id, f]) => {
    const byValue: CompiledFinding["byValue"] = [];
    if (Array.isArray(f.phrases)) {
      byValue.push({ value: "yes", phrases: f.phrases.map(compilePhrase) });
    } else if (f.phrases) {
      for (const [value, list] of Object.entries(f.phrases)) {
        byValue.push({ value, phrases: list.map(compilePhrase) });
      }
    }
    const yesNo = byValue.length === 1 && byValue[0]?.value === "yes";
    return {
      id,
      byValue,
      negative: (f.negative ?? []).map(compilePhrase),
      benign: (f.benign ?? []).map(compilePhrase),
      ...(id === "rf_hot_swollen_fever" ? { notAbout: CALF_NOT_KNEE } : {}),
      yesNo,
      redFlag: redFlags.has(id),
    };
  });

  const painless = compilePhrase(PAINLESS);
  // Which finding each phrase belongs to, so a clause only looks at the findings it could set.
  const owner = new Map<Phrase, string>();
  for (const f of compiled)
    for (const p of [...f.byValue.flatMap((v) => v.phrases), ...f.negative, ...f.benign])
      owner.set(p, f.id);
  const index = indexPhrases(owner.keys());
  const scan = (given: string[][], only?: ReadonlySet<string>): Findings => {
    const found: Findings = {};
    const cl: Clause[] = [...given, ...resolveIt(given)].map((ws) => {
      const candidates = index.candidates(ws);
      const findings = new Set<string>();
      for (const p of candidates) findings.add(owner.get(p) ?? "");
      return { ws, present: presentWords(ws), candidates, findings };
    });
    const touched = new Set(cl.flatMap((c) => [...c.findings]));
    for (const f of compiled) {
      if (only && !only.has(f.id)) continue;
      if (!touched.has(f.id)) continue;
      const value = f.yesNo ? yesNoValue(f, cl) : choiceValue(f, cl);
      if (value !== undefined) found[f.id] = value;
    }
    return found;
  };

  const quantities = (
    ws: string[],
    cl: string[][],
    text: string,
    found: Findings,
    hints: ExtractHints,
  ) => {
    // "sore knee, 47, no injury", "15 btw", "56 n getting old", "34F": a clause that opens
    // with a two-digit number that isn't a distance or a time gives the age.
    const opener = cl.find((c) => /^\d{2}$/.test(c[0] ?? "") && !NOT_AGE_UNITS.has(c[1] ?? ""));
    const age = parseAge(ws, hints.age === true) ?? parseAge(opener?.slice(0, 1) ?? [], true);
    if (age !== undefined) {
      for (const [id, test] of AGE_FINDINGS)
        if (Object.hasOwn(flow.findings, id)) found[id] = test(age) ? "yes" : "no";
    }
    if (Object.hasOwn(flow.findings, "duration_6_weeks")) {
      // In a story, only a span said of the pain counts ("sore for 3 months", not "been
      // running 3 years"); asked "how long?", any span is the answer.
      const spans = hints.duration
        ? [{ text, ws }]
        : cl
            .filter((c) => c.some((w) => PAIN_WORD.test(w)))
            .map((c) => ({ text: c.join(" "), ws: c }));
      for (const span of spans) {
        const days = parseDurationDays(
          span.text,
          span.ws,
          hints.now ?? new Date(),
          hints.duration === true,
        );
        if (days === undefined) continue;
        found.duration_6_weeks = days >= SIX_WEEKS_DAYS ? "yes" : "no";
        break;
      }
    }
  };

  const extractDetailed = (text: string, hints: ExtractHints = {}): Extraction => {
    const reading = reader?.read(text);
    const literalClauses = reading?.clauses ?? clauses(text);
    const guessed: string[] = [];
    let findings: Findings;
    if (reading?.fixed) {
      // Read the corrected words, then check which findings the words as typed carry too:
      // the rest rest on a correction.
      findings = scan(reading.fixed);
      const literal = scan(literalClauses, new Set(Object.keys(findings)));
      for (const id of Object.keys(findings)) if (literal[id] === undefined) guessed.push(id);
    } else {
      findings = scan(literalClauses);
    }
    const ws = reading?.words ?? literalClauses.flat();
    const cl = reading?.fixed ?? literalClauses;
    quantities(ws, cl, text, findings, hints);
    // Policy: a limp or hip pain is a red flag only in a child. Without a sign the runner is
    // under 16 (their age, or "my son"), it is left for the age question to decide.
    if (findings.rf_child_limp === "yes" && findings.age_under_16 === "no") {
      delete findings.rf_child_limp;
    } else if (findings.rf_child_limp === "yes" && findings.age_under_16 !== "yes") {
      if (!ws.some((w) => CHILD_WORDS.has(w) || CHILD_WORDS.has(w.replace(/s$/, ""))))
        delete findings.rf_child_limp;
    }
    // Policy: a pop is a warning sign when the knee was injured. A painless pop with no
    // injury ("felt a pop pulling weeds, didn't hurt") is not one.
    if (findings.rf_pop === "yes" && findings.onset !== "injury" && denies(painless, cl)) {
      delete findings.rf_pop;
    }
    // Policy: not lifting or straightening the leg is a warning sign after a fall. Without a
    // fall in the message the bot asks ("did you mean…?", with the advice ready) rather than
    // either sounding the alarm or dropping it.
    if (
      findings.rf_cannot_lift_leg === "yes" &&
      findings.onset !== "injury" &&
      !guessed.includes("rf_cannot_lift_leg")
    )
      guessed.push("rf_cannot_lift_leg");
    // The Ottawa signs are about an injury: "can't bend it" in a hot, swollen knee is not one.
    if (findings.ottawa_sign === "yes" && findings.onset !== "injury") delete findings.ottawa_sign;
    return { findings, guessed, ...(reading ? { reading } : {}) };
  };

  return {
    extract: (text) => extractDetailed(text).findings,
    extractDetailed,
  };
}

/** "yes" when a phrase is said, "no" when it is denied (never for red flags), else nothing. */
/** A clause's words, with the set `findPhrase` uses to skip phrases quickly. */
type Clause = {
  ws: string[];
  present: Set<string>;
  candidates: Set<Phrase>;
  /** The findings some candidate phrase of this clause belongs to. */
  findings: Set<string>;
};

function yesNoValue(f: CompiledFinding, cl: Clause[]): string | undefined {
  let denied = false;
  for (const [i, { ws, present, candidates, findings }] of cl.entries()) {
    if (!findings.has(f.id)) continue;
    // An explanation in the same sentence ("…cold in the mornings but that's the weather").
    const explained = [cl[i], cl[i + 1]].some(
      (c) => c && f.benign.some((b) => c.candidates.has(b) && findPhrase(b, c.ws, c.present)),
    );
    if (explained) continue;
    for (const { phrases } of f.byValue) {
      for (const p of phrases) {
        if (!candidates.has(p)) continue;
        const hit = findPhrase(p, ws, present);
        if (!hit || hit.doubtful) continue;
        // "my calf is swollen, red and hot": the heat and swelling are the calf's.
        if (
          f.notAbout?.test(` ${ws.join(" ")} `) &&
          !FEVER.test(ws.slice(hit.start, hit.end).join(" "))
        )
          continue;
        if (!hit.negated && !retracted(p, cl[i + 1]?.ws)) return "yes";
        denied = true;
      }
    }
  }
  if (f.redFlag) return undefined;
  if (denied) return "no";
  for (const { ws, present, candidates } of cl)
    for (const p of f.negative) {
      if (!candidates.has(p)) continue;
      const hit = findPhrase(p, ws, present);
      if (hit && !hit.negated && !hit.doubtful) return "no";
    }
  return undefined;
}

/**
 * The one value a multi-valued finding is given, or nothing when the message names two
 * ("front and outside" leaves the location to be asked). Where one phrase sits inside a longer
 * one ("kneecap" in "below the kneecap"), the longer wins.
 */
function choiceValue(f: CompiledFinding, cl: Clause[]): string | undefined {
  const values = new Set<string>();
  cl.forEach(({ ws, present, candidates, findings }) => {
    if (!findings.has(f.id)) return;
    const hits: Array<{ value: string; start: number; end: number; matched: number }> = [];
    for (const { value, phrases } of f.byValue) {
      for (const p of phrases) {
        if (!candidates.has(p)) continue;
        const hit = findPhrase(p, ws, present);
        if (hit && !hit.negated && !hit.doubtful) hits.push({ value, ...hit });
      }
    }
    for (const h of hits) {
      const beaten = hits.some(
        (o) => o.value !== h.value && o.start <= h.start && o.end >= h.end && o.matched > h.matched,
      );
      if (!beaten) values.add(h.value);
    }
  });
  if (values.size !== 1) return undefined;
  return [...values][0];
}

/** "knee gets stuck?? not really stuck": the next clause takes the same words back. */
function retracted(p: Phrase, next: string[] | undefined): boolean {
  if (next?.[0] !== "not" || !RETRACTIONS.has(next[1] ?? "")) return false;
  return findPhrase(p, next)?.negated === true;
}

const RETRACTIONS = new Set(["really", "exactly", "actually", "quite"]);

/** Body parts a following "it" can stand for. */
const BODY_NOUNS = new Set(["calf", "calves", "knee", "kneecap", "foot", "leg", "shin", "thigh"]);

/**
 * "my calf was tight, sunday it was properly swollen": a clause whose "it" follows a clause that
 * names a body part is read again with the part in place of "it", so the swelling is the calf's.
 */
function resolveIt(cl: string[][]): string[][] {
  const out: string[][] = [];
  for (let i = 1; i < cl.length; i++) {
    const ws = cl[i]!;
    if (!ws.includes("it")) continue;
    const noun = [...cl[i - 1]!].reverse().find((w) => BODY_NOUNS.has(w));
    if (noun) out.push(ws.map((w) => (w === "it" ? noun : w)));
  }
  return out;
}

/** True when a clause says the phrase plainly (not negated, not doubted). */
function denies(p: Phrase, cl: string[][]): boolean {
  return cl.some((ws) => {
    const hit = findPhrase(p, ws);
    return hit !== undefined && !hit.negated && !hit.doubtful;
  });
}
