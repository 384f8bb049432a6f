import type { TriageFlow } from "../knowledge/triage-schema.ts";
import { clauses, compilePhrase, findPhrase, type Phrase } from "../text/phrases.ts";
import { parseAge, parseDurationDays } from "../text/quantities.ts";
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
      yesNo,
      redFlag: redFlags.has(id),
    };
  });

  const scan = (cl: string[][]): Findings => {
    const found: Findings = {};
    for (const f of compiled) {
      const value = f.yesNo ? yesNoValue(f, cl) : choiceValue(f, cl);
      if (value !== undefined) found[f.id] = value;
    }
    return found;
  };

  const quantities = (ws: string[], text: string, found: Findings, hints: ExtractHints) => {
    const age = parseAge(ws, hints.age === true);
    if (age !== undefined) {
      for (const [id, test] of AGE_FINDINGS)
        if (Object.hasOwn(flow.findings, id)) found[id] = test(age) ? "yes" : "no";
    }
    if (Object.hasOwn(flow.findings, "duration_6_weeks")) {
      const days = parseDurationDays(text, ws, hints.now ?? new Date(), hints.duration === true);
      if (days !== undefined) found.duration_6_weeks = days >= SIX_WEEKS_DAYS ? "yes" : "no";
    }
  };

  const extractDetailed = (text: string, hints: ExtractHints = {}): Extraction => {
    const reading = reader?.read(text);
    const literalClauses = reading?.clauses ?? clauses(text);
    const findings = scan(literalClauses);
    const guessed: string[] = [];
    if (reading?.fixed) {
      for (const [id, v] of Object.entries(scan(reading.fixed))) {
        if (findings[id] !== undefined) continue;
        findings[id] = v;
        guessed.push(id);
      }
    }
    quantities(reading?.words ?? literalClauses.flat(), text, findings, hints);
    return { findings, guessed, ...(reading ? { reading } : {}) };
  };

  return {
    extract: (text) => extractDetailed(text).findings,
    extractDetailed,
  };
}

/** "yes" when a phrase is said, "no" when it is denied (never for red flags), else nothing. */
function yesNoValue(f: CompiledFinding, cl: string[][]): string | undefined {
  let denied = false;
  for (const ws of cl) {
    for (const { phrases } of f.byValue) {
      for (const p of phrases) {
        const hit = findPhrase(p, ws);
        if (!hit || hit.doubtful) continue;
        if (!hit.negated) return "yes";
        denied = true;
      }
    }
  }
  if (f.redFlag) return undefined;
  if (denied) return "no";
  for (const ws of cl)
    for (const p of f.negative) {
      const hit = findPhrase(p, ws);
      if (hit && !hit.negated && !hit.doubtful) return "no";
    }
  return undefined;
}

/**
 * The one value a multi-valued finding is given, or nothing when the message names two
 * ("front and outside" leaves the location to be asked). Where one phrase sits inside a longer
 * one ("kneecap" in "below the kneecap"), the longer wins.
 */
function choiceValue(f: CompiledFinding, cl: string[][]): string | undefined {
  const values = new Set<string>();
  cl.forEach((ws) => {
    const hits: Array<{ value: string; start: number; end: number; matched: number }> = [];
    for (const { value, phrases } of f.byValue) {
      for (const p of phrases) {
        const hit = findPhrase(p, ws);
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
