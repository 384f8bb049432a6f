/**
 * Scores FAQ entries against a weighted bag of question words: how much of the question each
 * entry's vocabulary and keywords explain, and how close its closest phrasing is.
 */
import type { FaqEntry } from "../knowledge/faq-schema.ts";

/** One scored FAQ entry, with the parts its score is made of. */
export interface Candidate {
  id: string;
  score: number;
  phrase: number;
  coverage: number;
  keyword: number;
  /** True when the match rests only on typo-corrected words. */
  guessed: boolean;
  /** True when it rests only on corrections that had a close rival: offered, never answered. */
  unsure: boolean;
}

/** A question word with its weight in this query and how it was obtained. */
export interface QueryWord {
  token: string;
  /** How much this word counts: its sentence's weight (context counts less than the question). */
  factor: number;
  /** "plain" as typed, "sure" from an unambiguous typo correction, "unsure" from a guess. */
  source: "plain" | "sure" | "unsure";
}

/** The scorer's weights. */
export interface ScorerWeights {
  phraseWeight: number;
  keywordBonus: number;
  unknownFactor: number;
}

/**
 * How many entries, ranked by coverage and keywords, get the closest-phrasing comparison: all of
 * them in a FAQ of up to EXACT_UP_TO entries (the ranking is then exact), else the best RERANK.
 */
const RERANK = 30;
/**
 * How much a shared word counts towards an entry's coverage: half for any word in its vocabulary,
 * rising to full for a word in at least one in CENTRAL_SHARE of its phrasings and keywords. A
 * word that one of an entry's twenty-five phrasings happens to use ("again", "ever") says less
 * about the entry than one most of them use ("strengthen"). Without it, entries with many
 * phrasings cover more of any question. Everyday words ("week", "better", `common_words` in the
 * lexicon) are never central: "is the knee thing from last week any better?" is about no entry.
 * Chosen on the calibration half and dev set of eval/faq-real and the chat sets' dev halves
 * (docs/evaluation.md).
 */
const INCIDENTAL = 0.5;
const CENTRAL_SHARE = 1 / 8;
const EMPTY = new Int32Array(0);
/** Which source to keep when a word comes more than once. */
const TRUST = { plain: 2, sure: 1, unsure: 0 } as const;
const EXACT_UP_TO = 100;

/** Scores entries for a query; `vocabulary` says which stems an entry talks about. */
export interface Scorer {
  score(query: QueryWord[], keep: number): Candidate[];
  talksAbout(id: string, token: string): boolean;
  /** Whether any entry uses this token. */
  knows(token: string): boolean;
}

/**
 * Builds the scorer. `toTokens` turns a phrasing into stemmed, synonym-rewritten tokens;
 * `intent` and `weak` are token sets from the lexicon.
 */
export function createScorer(
  faq: Pick<FaqEntry, "id" | "question" | "alternates" | "keywords">[],
  toTokens: (text: string) => string[],
  intent: Set<string>,
  weak: Set<string>,
  w: ScorerWeights,
  /** Everyday words' tokens: never central to an entry (see INCIDENTAL). */
  everyday: Set<string> = new Set(),
): Scorer {
  // Entries are scored in two stages. First, postings lists give every entry that shares a
  // word with the question its coverage and keyword scores (cheap: adds into typed arrays).
  // Then only the best of those get the costlier closest-phrasing comparison (see RERANK).
  const ids: string[] = [];
  const byId = new Map<string, number>();
  const entryPhrasings: Array<Array<{ tokens: Set<string>; weight: number; ids: Int32Array }>> = [];
  const lightestPhrasing: number[] = [];
  const entryVocab: Set<string>[] = [];
  const entryKeywords: Set<string>[] = [];
  for (const e of faq) {
    byId.set(e.id, ids.length);
    ids.push(e.id);
    const keywords = new Set(e.keywords.flatMap(toTokens));
    const vocab = new Set<string>(keywords);
    const phrasings = [e.question, ...e.alternates].map((p) => {
      const tokens = new Set(toTokens(p));
      for (const t of tokens) vocab.add(t);
      return { tokens, weight: 0, ids: EMPTY };
    });
    entryPhrasings.push(phrasings);
    entryVocab.push(vocab);
    entryKeywords.push(keywords);
  }
  const df = new Map<string, number>();
  for (const v of entryVocab) for (const t of v) df.set(t, (df.get(t) ?? 0) + 1);
  const n = Math.max(1, ids.length);
  const intentFloor = Math.log(1 + n / 3);
  const idf = (t: string): number => {
    const x = Math.log(1 + n / (df.get(t) ?? 0.5));
    return intent.has(t) ? Math.max(x, intentFloor) : x;
  };
  const unknownWeight = w.unknownFactor * Math.log(1 + n / 0.5);
  const exact = n <= EXACT_UP_TO;
  const rerank = exact ? n : RERANK;
  // Every known token as a number, so a phrasing's shared weight is a sum over a small typed
  // array (its own tokens) read from the query's weights, not a set lookup per query word.
  const tokenId = new Map<string, number>();
  for (const t of df.keys()) tokenId.set(t, tokenId.size);
  const queryWeights = new Float64Array(tokenId.size);
  for (const list of entryPhrasings) {
    for (const p of list) {
      for (const t of p.tokens) p.weight += idf(t);
      p.ids = Int32Array.from(p.tokens, (t) => tokenId.get(t)!);
    }
    lightestPhrasing.push(Math.min(...list.map((p) => p.weight)));
  }
  // For each entry, how central each of its words is (see INCIDENTAL).
  const centrality = faq.map((e, i) => {
    const docs = [...entryPhrasings[i]!.map((p) => p.tokens), ...e.keywords.map(toTokens)];
    const counts = new Map<string, number>();
    for (const d of docs) for (const t of new Set(d)) counts.set(t, (counts.get(t) ?? 0) + 1);
    const out = new Map<string, number>();
    for (const [t, c] of counts) {
      const share = everyday.has(t) ? 0 : Math.min(1, c / (CENTRAL_SHARE * docs.length));
      out.set(t, INCIDENTAL + (1 - INCIDENTAL) * share);
    }
    return out;
  });
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
  // Each word's entries, with how central the word is to each (see INCIDENTAL).
  const tokenEntries = new Map<string, { entries: Int32Array; shares: Float64Array }>();
  for (const [t, list] of postings(entryVocab)) {
    tokenEntries.set(t, {
      entries: Int32Array.from(list),
      shares: Float64Array.from(list, (e) => centrality[e]!.get(t) ?? 1),
    });
  }
  const tokenKeywordEntries = postings(entryKeywords);
  // Scratch accumulators, reused by every query (the matcher is synchronous).
  const central = new Float64Array(n);
  const topical = new Float64Array(n);
  const certain = new Float64Array(n);
  const trusted = new Float64Array(n);
  const keyword = new Float64Array(n);
  // The weight of the query's words each entry's vocabulary holds: a bound on any phrasing's share.
  const held = new Float64Array(n);

  /** Each distinct known token once, with its heaviest factor and most trustworthy source. */
  const weigh = (query: QueryWord[]) => {
    const best = new Map<string, { token: string; factor: number; source: QueryWord["source"] }>();
    let unknown: Map<string, number> | undefined;
    for (const q of query) {
      if (!df.has(q.token)) {
        unknown ??= new Map();
        unknown.set(q.token, Math.max(unknown.get(q.token) ?? 0, q.factor));
        continue;
      }
      const prev = best.get(q.token);
      if (!prev) best.set(q.token, { token: q.token, factor: q.factor, source: q.source });
      else {
        if (q.factor > prev.factor) prev.factor = q.factor;
        if (TRUST[q.source] > TRUST[prev.source]) prev.source = q.source;
      }
    }
    let queryWeight = 0;
    if (unknown) for (const f of unknown.values()) queryWeight += unknownWeight * f;
    const words: Array<QueryWord & { weight: number }> = [];
    for (const q of best.values()) {
      const weight = idf(q.token) * q.factor;
      queryWeight += weight;
      words.push({ token: q.token, factor: q.factor, source: q.source, weight });
    }
    return { words, queryWeight };
  };

  return {
    knows: (token) => df.has(token),
    talksAbout: (id, token) => {
      const i = byId.get(id);
      return i !== undefined && entryVocab[i]!.has(token);
    },
    score(query, keep) {
      const { words, queryWeight } = weigh(query);
      if (words.length === 0) return [];
      const touched: number[] = [];
      for (const q of words) {
        const isWeak = weak.has(q.token);
        const posting = tokenEntries.get(q.token);
        const list = posting?.entries ?? EMPTY;
        const shares = posting?.shares;
        // One loop per case, so the hot loop tests nothing it could know beforehand.
        const weight = q.weight;
        const plain = q.source === "plain";
        const trust = q.source !== "unsure";
        for (let k = 0; k < list.length; k++) {
          const e = list[k]!;
          if (held[e] === 0) touched.push(e);
          central[e]! += weight * shares![k]!;
          held[e]! += weight;
        }
        if (!isWeak) {
          for (let k = 0; k < list.length; k++) {
            const e = list[k]!;
            topical[e]! += weight;
            if (plain) certain[e]! += weight;
            if (trust) trusted[e]! += weight;
          }
        }
        // "Any advice?" asks; it does not make "medical advice" the topic.
        if (!isWeak)
          for (const e of tokenKeywordEntries.get(q.token) ?? []) keyword[e]! += q.weight;
      }
      const pw = w.phraseWeight;
      const shortlist: Array<Candidate & { entry: number; held: number }> = [];
      for (const e of touched) {
        // Sharing only "what", "how", "should"… says nothing about the topic.
        if (topical[e]! > 0) {
          const coverage = central[e]! / queryWeight;
          const kw = keyword[e]! / queryWeight;
          const score = (1 - pw) * coverage + w.keywordBonus * kw;
          // In a large FAQ most touched entries can't make the shortlist: don't build them.
          const last = exact || shortlist.length < rerank ? undefined : shortlist[rerank - 1]!;
          if (!last || score >= last.score) {
            const c = {
              entry: e,
              held: held[e]!,
              id: ids[e]!,
              score,
              phrase: 0,
              coverage,
              keyword: kw,
              guessed: certain[e] === 0,
              unsure: trusted[e] === 0,
            };
            // Every entry is compared in a small FAQ: sorted once below, not kept in order here.
            if (exact) shortlist.push(c);
            else insertTop(shortlist, c, rerank);
          }
        }
        central[e] = 0;
        topical[e] = 0;
        held[e] = 0;
        certain[e] = 0;
        trusted[e] = 0;
        keyword[e] = 0;
      }
      if (exact) shortlist.sort(byRank);
      for (const q of words) queryWeights[tokenId.get(q.token)!] = q.weight;
      const top: Candidate[] = [];
      for (const c of shortlist) {
        const e = c.entry;
        // Skip entries that can't reach the last kept candidate even with their best phrasing.
        // A phrasing can share at most the words the entry's vocabulary holds, so its similarity
        // is bounded (summed in the postings loop, beside the coverage).
        if (top.length === keep) {
          const bound = Math.min(1, (2 * c.held) / (queryWeight + lightestPhrasing[e]!));
          if (c.score + pw * bound <= top[keep - 1]!.score) continue;
        }
        let phrase = 0;
        for (const p of entryPhrasings[e]!) {
          let shared = 0;
          const pids = p.ids;
          for (let j = 0; j < pids.length; j++) shared += queryWeights[pids[j]!]!;
          const dice = (2 * shared) / (queryWeight + p.weight);
          if (dice > phrase) phrase = dice;
        }
        if (top.length < keep || c.score + pw * phrase >= top[keep - 1]!.score) {
          const { id, coverage, keyword, guessed, unsure } = c;
          const score = c.score + pw * phrase;
          insertTop(top, { id, score, phrase, coverage, keyword, guessed, unsure }, keep);
        }
      }
      for (const q of words) queryWeights[tokenId.get(q.token)!] = 0;
      return top;
    },
  };
}

/** Whether `a` ranks before `b`: higher score, then id (for stable answers). */
function before(a: Candidate, b: Candidate): boolean {
  return a.score > b.score || (a.score === b.score && a.id < b.id);
}

/** `before` as a sort comparator. */
function byRank(a: Candidate, b: Candidate): number {
  return b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** Keeps the best `keep` candidates, best first. */
function insertTop<T extends Candidate>(top: T[], c: T, keep: number): void {
  if (top.length === keep && !before(c, top[keep - 1]!)) return;
  let i = top.length;
  while (i > 0 && before(c, top[i - 1]!)) i--;
  top.splice(i, 0, c);
  if (top.length > keep) top.pop();
}
