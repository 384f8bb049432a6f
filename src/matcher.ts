import type { FaqEntry } from "./knowledge/faq-schema.ts";
import type { Lexicon } from "./knowledge/wording-schema.ts";
import { createSpeller } from "./text/speller.ts";
import { createSynonymRewriter, stem, words } from "./text/tokens.ts";

/** The result of matching one question against the FAQ. */
export interface MatchResult {
  /** The confident answer, or null when the bot should not answer with an entry. */
  id: string | null;
  /** Confidence of the best candidate, 0–1. */
  score: number;
  /** Other plausible entries (best first), for "did you mean…". */
  alternatives: string[];
  /** True when the question is about something the bot does not cover. */
  outOfScope?: boolean;
  /** True when the message is small talk ("thanks", "morning all"). */
  smallTalk?: boolean;
  /** True when the best candidate is too close to the runner-up to answer outright. */
  ambiguous?: boolean;
}

/** One scored FAQ entry, with the parts its score is made of. */
export interface Candidate {
  id: string;
  score: number;
  phrase: number;
  coverage: number;
  keyword: number;
  /** True when the match rests only on typo-corrected words: offered, never answered outright. */
  guessed: boolean;
}

/** Matches free text to FAQ entries. */
export interface Matcher {
  match(text: string): MatchResult;
  /** The top candidates with their score parts, for knowledge maintainers (`ask --explain`). */
  explain(text: string): { tokens: string[]; candidates: Candidate[] };
}

/** What the matcher needs from the knowledge base. */
export interface MatcherKnowledge {
  faq: Pick<FaqEntry, "id" | "question" | "alternates" | "keywords">[];
  lexicon: Lexicon;
}

/** Tuning knobs; the defaults are calibrated on the shipped knowledge (see the README). */
export interface MatcherOptions {
  /** Score at or above which the best entry is answered. */
  threshold?: number;
  /** Score at or above which an entry is offered as "did you mean". */
  suggestThreshold?: number;
  /** Best minus runner-up below this margin makes the match ambiguous. */
  margin?: number;
  /** Weight of the closest phrasing against how much of the question the entry explains. */
  phraseWeight?: number;
  /** Extra weight for question words found in the entry's keywords. */
  keywordBonus?: number;
}

const DEFAULTS = {
  threshold: 0.36,
  suggestThreshold: 0.22,
  margin: 0.04,
  phraseWeight: 0.3,
  keywordBonus: 0.25,
};
/** How far below the best an alternative may score and still be offered. */
const ALTERNATIVE_BAND = 0.15;

interface IndexedEntry {
  id: string;
  phrasings: Array<{ tokens: Set<string>; weight: number }>;
  vocab: Set<string>;
  keywordTokens: Set<string>;
}

interface Analysis {
  outOfScope: boolean;
  smallTalk: boolean;
  tokens: string[];
  scored: Candidate[];
}

/**
 * Builds a matcher over the FAQ. Text is simplified, misspelt words are corrected against the
 * knowledge base's own vocabulary (fuse.js), slang is rewritten through the lexicon, words are
 * stemmed and weighted by rarity; each entry is scored by its closest phrasing and by how much
 * of the question its whole vocabulary and keywords explain.
 */
export function createMatcher(knowledge: MatcherKnowledge, options: MatcherOptions = {}): Matcher {
  const opts = { ...DEFAULTS, ...options };
  const lex = knowledge.lexicon;
  const rewrite = createSynonymRewriter(lex.synonyms);
  const stop = new Set(lex.stopwords.flatMap((w) => words(w)));

  // Every word the bot knows, with how often it appears: the speller corrects towards these.
  const known = new Map<string, number>();
  const learn = (text: string) => {
    for (const w of words(text)) known.set(w, (known.get(w) ?? 0) + 1);
  };
  for (const e of knowledge.faq) [e.question, ...e.alternates, ...e.keywords].forEach(learn);
  for (const [from, to] of Object.entries(lex.synonyms)) {
    learn(from);
    learn(to);
  }
  [
    ...lex.stopwords,
    ...lex.out_of_scope,
    ...lex.other_body_parts,
    ...lex.in_scope,
    ...lex.small_talk,
    ...lex.common_words,
  ].forEach(learn);
  const speller = createSpeller(known);

  /** Words after typo correction and synonyms, plus the words that only exist thanks to a correction. */
  const toWords = (text: string): { ws: string[]; guessed: Set<string> } => {
    const raw = words(text);
    const fixed = raw.map((w) => speller.correct(w) ?? w);
    const plain = new Set(toTokens(rewrite(raw)));
    const ws = rewrite(fixed);
    return { ws, guessed: new Set(toTokens(ws).filter((t) => !plain.has(t))) };
  };
  const toTokens = (ws: string[]): string[] => ws.filter((w) => !stop.has(w)).map(stem);
  const phraseSet = (list: string[]): string[] =>
    list.map((p) => ` ${rewrite(words(p)).join(" ")} `);
  const offTopic = phraseSet(lex.out_of_scope);
  const bodyParts = phraseSet(lex.other_body_parts);
  const inScope = phraseSet(lex.in_scope);
  const kneeTerms = phraseSet(lex.knee_terms);
  const smallTalk = new Set(lex.small_talk.map((p) => words(p).join(" ")));

  const entries: IndexedEntry[] = knowledge.faq.map((e) => {
    const phrasings = [e.question, ...e.alternates].map(
      (p) => new Set(toTokens(rewrite(words(p)))),
    );
    const keywordTokens = new Set(e.keywords.flatMap((k) => toTokens(rewrite(words(k)))));
    const vocab = new Set<string>(keywordTokens);
    for (const p of phrasings) for (const t of p) vocab.add(t);
    return {
      id: e.id,
      phrasings: phrasings.map((tokens) => ({ tokens, weight: 0 })),
      vocab,
      keywordTokens,
    };
  });
  const df = new Map<string, number>();
  for (const e of entries) for (const t of e.vocab) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, entries.length);
  const intent = new Set(lex.intent_words.flatMap((w) => toTokens(words(w))));
  const intentFloor = Math.log(1 + n / 3);
  const idf = (t: string): number => {
    const w = Math.log(1 + n / (df.get(t) ?? 0.5));
    return intent.has(t) ? Math.max(w, intentFloor) : w;
  };
  const unknownWeight = Math.log(1 + n / 0.5);
  const weak = new Set(lex.weak_words.flatMap((w) => toTokens(words(w))));
  for (const e of entries) {
    for (const p of e.phrasings) for (const t of p.tokens) p.weight += idf(t);
  }
  const postings = new Map<string, number[]>();
  entries.forEach((e, i) => {
    for (const t of e.vocab) {
      const list = postings.get(t) ?? [];
      list.push(i);
      postings.set(t, list);
    }
  });

  const analyse = (text: string): Analysis => {
    const { ws, guessed } = toWords(text);
    const joined = ` ${ws.join(" ")} `;
    const has = (list: string[]) => list.some((p) => joined.includes(p));
    const none: Analysis = { outOfScope: false, smallTalk: false, tokens: [], scored: [] };
    if (smallTalk.has(words(text).join(" "))) return { ...none, smallTalk: true };
    const raw = toTokens(ws);
    if (raw.length === 0) return none;
    // Another body part with no knee in sight, or an off-topic subject with nothing knee-related.
    if ((has(bodyParts) && !has(kneeTerms)) || (has(offTopic) && !has(inScope))) {
      return { ...none, outOfScope: true, tokens: raw };
    }
    const query = new Map<string, number>();
    let queryWeight = 0;
    for (const t of raw) {
      if (query.has(t)) continue;
      if (!df.has(t)) {
        queryWeight += unknownWeight;
        continue;
      }
      const w = idf(t);
      query.set(t, w);
      queryWeight += w;
    }
    const candidates = new Set<number>();
    for (const t of query.keys()) for (const i of postings.get(t) ?? []) candidates.add(i);
    const scored: Candidate[] = [];
    for (const i of candidates) {
      const e = entries[i]!;
      let phrase = 0;
      for (const p of e.phrasings) {
        let shared = 0;
        for (const [t, w] of query) if (p.tokens.has(t)) shared += w;
        const dice = (2 * shared) / (queryWeight + p.weight);
        if (dice > phrase) phrase = dice;
      }
      let covered = 0;
      let keyword = 0;
      let topical = 0;
      let certain = 0;
      for (const [t, w] of query) {
        if (e.vocab.has(t)) {
          covered += w;
          if (!weak.has(t)) topical += w;
          if (!weak.has(t) && !guessed.has(t)) certain += w;
        }
        if (e.keywordTokens.has(t)) keyword += w;
      }
      // Sharing only "what", "how", "knee"… says nothing about the topic.
      if (topical === 0) continue;
      const coverage = covered / queryWeight;
      keyword /= queryWeight;
      const score =
        opts.phraseWeight * phrase +
        (1 - opts.phraseWeight) * coverage +
        opts.keywordBonus * keyword;
      scored.push({ id: e.id, score, phrase, coverage, keyword, guessed: certain === 0 });
    }
    scored.sort((a, b) => b.score - a.score || a.id.localeCompare(b.id));
    return { outOfScope: false, smallTalk: false, tokens: [...query.keys()], scored };
  };

  return {
    explain(text) {
      const { tokens, scored } = analyse(text);
      return { tokens, candidates: scored.slice(0, 5) };
    },
    match(text) {
      const a = analyse(text);
      if (a.outOfScope) return { id: null, score: 0, alternatives: [], outOfScope: true };
      if (a.smallTalk) return { id: null, score: 0, alternatives: [], smallTalk: true };
      const best = a.scored[0];
      if (!best) return { id: null, score: 0, alternatives: [] };
      const alternatives = a.scored
        .slice(1, 3)
        .filter((s) => s.score >= opts.suggestThreshold && best.score - s.score < ALTERNATIVE_BAND)
        .map((s) => s.id);
      const ambiguous = best.score - (a.scored[1]?.score ?? 0) < opts.margin;
      const score = Math.round(Math.min(1, best.score) * 1000) / 1000;
      if (best.score >= opts.threshold && !best.guessed)
        return { id: best.id, score, alternatives, ambiguous };
      if (best.score >= opts.suggestThreshold) {
        return { id: null, score, alternatives: [best.id, ...alternatives], ambiguous: true };
      }
      return { id: null, score, alternatives: [] };
    },
  };
}
