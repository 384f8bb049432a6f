import type { TriageFlow } from "../knowledge/triage-schema.ts";
import { anyPhrase, clauses, compilePhrase, type Phrase } from "../text/phrases.ts";

/** Findings as `finding id -> value`, in the policy's vocabulary. */
export type Findings = Record<string, string>;

interface CompiledFinding {
  id: string;
  /** value -> phrases that mean it */
  byValue: Array<{ value: string; phrases: Phrase[] }>;
  negative: Phrase[];
}

/** Reads findings out of free text using the phrases in the triage flow. */
export interface Extractor {
  extract(text: string): Findings;
}

/** Compiles the flow's finding phrases once, for fast extraction on every message. */
export function createExtractor(flow: TriageFlow): Extractor {
  const compiled: CompiledFinding[] = Object.entries(flow.findings).map(([id, f]) => {
    const byValue: CompiledFinding["byValue"] = [];
    if (Array.isArray(f.phrases)) {
      byValue.push({ value: "yes", phrases: f.phrases.map(compilePhrase) });
    } else if (f.phrases) {
      for (const [value, list] of Object.entries(f.phrases)) {
        byValue.push({ value, phrases: list.map(compilePhrase) });
      }
    }
    return { id, byValue, negative: (f.negative ?? []).map(compilePhrase) };
  });

  return {
    extract(text) {
      const cl = clauses(text);
      const found: Findings = {};
      for (const f of compiled) {
        let best: { value: string; matched: number } | undefined;
        for (const { value, phrases } of f.byValue) {
          const hit = anyPhrase(phrases, cl);
          if (hit && (!best || hit.matched > best.matched)) best = { value, matched: hit.matched };
        }
        if (best) found[f.id] = best.value;
        else if (f.negative.length > 0 && anyPhrase(f.negative, cl)) found[f.id] = "no";
      }
      return found;
    },
  };
}
