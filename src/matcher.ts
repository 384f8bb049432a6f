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
  /** Weight of a word the knowledge base doesn't know, relative to the rarest known word. */
  unknownFactor?: number;
}

const DEFAULTS = {
  threshold: 0.36,
  suggestThreshold: 0.22,
  margin: 0.04,
  phraseWeight: 0.3,
  keywordBonus: 0.25,
  unknownFactor: 1,
};
/**
 * How many entries, ranked by coverage and keywords, get the closest-phrasing comparison: all of
 * them in a FAQ of up to EXACT_UP_TO entries (the ranking is then exact), else the best RERANK.
 */
const RERANK = 30;
const EXACT_UP_TO = 100;
/** How far below the best an alternative may score and still be offered. */
const ALTERNATIVE_BAND = 0.15;

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
  /** A list of words and phrases, split so single words are a set lookup. */
  const phraseSet = (list: string[]) => {
    const single = new Set<string>();
    const multi: string[] = [];
    for (const p of list) {
      const ws = rewrite(words(p));
      if (ws.length === 1) single.add(stem(ws[0]!));
      else if (ws.length > 1) multi.push(` ${ws.join(" ")} `);
    }
    return { single, multi };
  };
  const offTopic = phraseSet(lex.out_of_scope);
  const bodyParts = phraseSet(lex.other_body_parts);
  const inScope = phraseSet(lex.in_scope);
  const kneeTerms = phraseSet(lex.knee_terms);
  const smallTalk = new Set(lex.small_talk.map((p) => words(p).join(" ")));

  // Entries are scored in two stages. First, postings lists give every entry that shares a
  // word with the question its coverage and keyword scores (cheap: adds into typed arrays).
  // Then only the best of those get the costlier closest-phrasing comparison (see RERANK).
  const ids: string[] = [];
  const entryPhrasings: Array<Array<{ tokens: Set<string>; weight: number }>> = [];
  const lightestPhrasing: number[] = [];
  const entryVocab: Set<string>[] = [];
  const entryKeywords: Set<string>[] = [];
  for (const e of knowledge.faq) {
    ids.push(e.id);
    const keywords = new Set(e.keywords.flatMap((k) => toTokens(rewrite(words(k)))));
    const vocab = new Set<string>(keywords);
    const phrasings = [e.question, ...e.alternates].map((p) => {
      const tokens = new Set(toTokens(rewrite(words(p))));
      for (const t of tokens) vocab.add(t);
      return { tokens, weight: 0 };
    });
    entryPhrasings.push(phrasings);
    entryVocab.push(vocab);
    entryKeywords.push(keywords);
  }
  const df = new Map<string, number>();
  for (const v of entryVocab) for (const t of v) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, ids.length);
  const intent = new Set(lex.intent_words.flatMap((w) => toTokens(words(w))));
  const intentFloor = Math.log(1 + n / 3);
  const idf = (t: string): number => {
    const w = Math.log(1 + n / (df.get(t) ?? 0.5));
    return intent.has(t) ? Math.max(w, intentFloor) : w;
  };
  const unknownWeight = opts.unknownFactor * Math.log(1 + n / 0.5);
  const weak = new Set(lex.weak_words.flatMap((w) => toTokens(words(w))));
  const rerank = n <= EXACT_UP_TO ? n : RERANK;
  for (const list of entryPhrasings) {
    for (const p of list) for (const t of p.tokens) p.weight += idf(t);
    lightestPhrasing.push(Math.min(...list.map((p) => p.weight)));
  }
  const postings = (sets: Set<string>[]) => {
    const map = new Map<string, number[]>();
    sets.forEach((tokens, i) => {
      for (const t of tokens) {
        const list = map.get(t);
        if (list) list.push(i);
        else map.set(t, [i]);
      }
    });
    return map;
  };
  const tokenEntries = postings(entryVocab);
  const tokenKeywordEntries = postings(entryKeywords);
  // Scratch accumulators, reused by every query (the matcher is synchronous).
  const covered = new Float64Array(n);
  const topical = new Float64Array(n);
  const certain = new Float64Array(n);
  const keyword = new Float64Array(n);

  const analyse = (text: string, keep: number): Analysis => {
    const { ws, guessed } = toWords(text);
    const joined = ` ${ws.join(" ")} `;
    const stems = ws.map(stem);
    const has = (set: ReturnType<typeof phraseSet>) =>
      stems.some((w) => set.single.has(w)) || set.multi.some((p) => joined.includes(p));
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
    const touched: number[] = [];
    for (const [t, w] of query) {
      const isWeak = weak.has(t);
      const isGuess = guessed.has(t);
      for (const e of tokenEntries.get(t) ?? []) {
        if (covered[e] === 0) touched.push(e);
        covered[e]! += w;
        if (!isWeak) topical[e]! += w;
        if (!isWeak && !isGuess) certain[e]! += w;
      }
      for (const e of tokenKeywordEntries.get(t) ?? []) keyword[e]! += w;
    }
    const pw = opts.phraseWeight;
    const shortlist: Candidate[] = [];
    for (const e of touched) {
      // Sharing only "what", "how", "should"… says nothing about the topic.
      if (topical[e]! > 0) {
        const coverage = covered[e]! / queryWeight;
        const kw = keyword[e]! / queryWeight;
        insertTop(
          shortlist,
          {
            id: ids[e]!,
            score: (1 - pw) * coverage + opts.keywordBonus * kw,
            phrase: e,
            coverage,
            keyword: kw,
            guessed: certain[e] === 0,
          },
          rerank,
        );
      }
      covered[e] = 0;
      topical[e] = 0;
      certain[e] = 0;
      keyword[e] = 0;
    }
    const qTokens = [...query.keys()];
    const qWeights = [...query.values()];
    const top: Candidate[] = [];
    for (const c of shortlist) {
      // Skip entries that can't reach the last kept candidate even with their best phrasing.
      // A phrasing can share at most the words the entry covers, so its similarity is bounded.
      const bound = Math.min(
        1,
        (2 * c.coverage * queryWeight) / (queryWeight + lightestPhrasing[c.phrase]!),
      );
      if (top.length === keep && c.score + pw * bound <= top[keep - 1]!.score) continue;
      let phrase = 0;
      for (const p of entryPhrasings[c.phrase]!) {
        let shared = 0;
        for (let i = 0; i < qTokens.length; i++)
          if (p.tokens.has(qTokens[i]!)) shared += qWeights[i]!;
        const dice = (2 * shared) / (queryWeight + p.weight);
        if (dice > phrase) phrase = dice;
      }
      insertTop(top, { ...c, phrase, score: c.score + pw * phrase }, keep);
    }
    return { outOfScope: false, smallTalk: false, tokens: [...query.keys()], scored: top };
  };

  return {
    explain(text) {
      const { tokens, scored } = analyse(text, 5);
      return { tokens, candidates: scored };
    },
    match(text) {
      const a = analyse(text, 3);
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

/** Keeps the best `keep` candidates, best first (ties by id, for stable answers). */
function insertTop(top: Candidate[], c: Candidate, keep: number): void {
  const before = (a: Candidate, b: Candidate) =>
    a.score > b.score || (a.score === b.score && a.id < b.id);
  if (top.length === keep && !before(c, top[keep - 1]!)) return;
  let i = top.length;
  while (i > 0 && before(c, top[i - 1]!)) i--;
  top.splice(i, 0, c);
  if (top.length > keep) top.pop();
}
