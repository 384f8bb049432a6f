import type { FaqEntry } from "./knowledge/faq-schema.ts";
import type { Lexicon } from "./knowledge/wording-schema.ts";
import { createBayes } from "./matching/bayes.ts";
import { AGREEMENT_WEIGHT, bandFor, confidence } from "./matching/calibration.ts";
import { type Candidate, createScorer, type QueryWord } from "./matching/scorer.ts";
import { segment } from "./matching/segments.ts";
import { isEnglishWord } from "./text/english.ts";
import { parseAge } from "./text/quantities.ts";
import { createSpeller } from "./text/speller.ts";
import { createSynonymRewriter, stem, words } from "./text/tokens.ts";

export type { Candidate } from "./matching/scorer.ts";

/** The result of matching one message against the FAQ. */
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
  /**
   * A second question in the same message, answered by another entry ("…and should I ice
   * it?"): its id, to offer after the answer. Only set alongside an answered `id`.
   */
  also?: string;
}

/** Matches free text to FAQ entries. */
export interface Matcher {
  match(text: string): MatchResult;
  /** The top candidates with their score parts, for knowledge maintainers (`ask --explain`). */
  explain(text: string): Explanation;
}

/** Why a message matched what it did. */
export interface Explanation {
  tokens: string[];
  candidates: Candidate[];
  /** The sentences of the message, and which of them ask. */
  sentences: Array<{ text: string; asks: boolean }>;
  /** Message length in words, and the answer threshold that length gets. */
  length: number;
  threshold: number;
  /** What is compared with the threshold for the best candidate (see calibration.ts). */
  confidence: number;
  /**
   * When the best entry's family picked its member by what was asked: the kind of question
   * ("causes", "relief"…) and the entry the ranking had first.
   */
  asked?: { ask: string; ranked: string };
}

/** What the matcher needs from the knowledge base. */
export interface MatcherKnowledge {
  faq: Pick<FaqEntry, "id" | "question" | "alternates" | "keywords">[];
  lexicon: Lexicon;
  /** Messages about each entry, for naive Bayes only (knowledge/examples.yaml). */
  examples?: Record<string, string[]>;
}

/** Tuning knobs; the defaults are calibrated on the project's real questions (see calibration.ts). */
export interface MatcherOptions {
  /** Score at or above which the best entry is answered, whatever the message length. */
  threshold?: number;
  /** Score at or above which an entry is offered as "did you mean", whatever the length. */
  suggestThreshold?: number;
  /** Best minus runner-up below this margin makes the match ambiguous, whatever the length. */
  margin?: number;
  /** Weight of the closest phrasing against how much of the question the entry explains. */
  phraseWeight?: number;
  /** Extra weight for question words found in the entry's keywords. */
  keywordBonus?: number;
  /** Weight of a word the knowledge base doesn't know, relative to the rarest known word. */
  unknownFactor?: number;
  /** Weight of a context sentence's words, relative to the sentences that ask. */
  contextWeight?: number;
}

const DEFAULTS = {
  phraseWeight: 0.45,
  keywordBonus: 0.25,
  unknownFactor: 1,
  contextWeight: 0.4,
};
/** Fewest words (after stop words) for a sentence to be read as a question of its own. */
const MIN_QUESTION_WORDS = 3;
/** How many lexical candidates of a long post naive Bayes may choose from. */
const BAYES_POOL = 5;
/**
 * Naive Bayes picks only among those within this share of the lexical best's score: it is a
 * second opinion between close readings, not a way up for an entry that shares three words.
 */
const BAYES_RANGE = 0.7;
/** Ages read as a topic: from 50 an "older" runner, under 18 a "teenager". */
const OLDER_FROM = 50;
const ADULT_FROM = 18;
/**
 * A short message whose closest phrasing is this similar (Dice, rarity-weighted) is in scope even
 * without a knee word: it asks what an entry asks. Chosen so that the entries' own phrasings are
 * all answered or offered, and no off-topic line in the evaluation sets is.
 */
const OWN_PHRASING = 0.8;
/** Longest message (in words) that can be small talk made of several phrases. */
const MAX_SMALL_TALK = 12;
/** How far below the best an alternative may score and still be offered. */
const ALTERNATIVE_BAND = 0.15;
// Symptom words that describe a muscle to work on rather than an injury ("tight calves").
const NOT_INJURY = new Set(["tight", "stiff"]);

type Scope = "in" | "off-topic" | "body-part" | "unrelated";
/** Lexicon words and phrases, stemmed: single words for a set lookup, phrases to search for. */
interface PhraseSet {
  single: Set<string>;
  multi: Array<{ text: string; stems: string[] }>;
  /** The phrases by their first word's stem: a phrase can only be where its first word is. */
  byFirst: Map<string, Array<{ text: string; stems: string[] }>>;
}

/**
 * Whether words hold a word or phrase of `set`: `stems` one by one for single words; for phrases,
 * `joined` (every word's stem, spaced) searched only for those starting with a word in `present`
 * (the distinct words of `joined`).
 */
function holds(set: PhraseSet, stems: string[], joined: string, present: Set<string>): boolean {
  if (stems.some((w) => set.single.has(w))) return true;
  for (const w of present) {
    if (set.byFirst.get(w)?.some((p) => joined.includes(p.text))) return true;
  }
  return false;
}

interface Analysis {
  scope: Scope;
  smallTalk: boolean;
  tokens: string[];
  scored: Candidate[];
  sentences: Array<{ text: string; asks: boolean }>;
  length: number;
  /** The ranking for each asking sentence, when the message has two or more. */
  perQuestion: Candidate[][];
  /**
   * Long posts: the naive Bayes posterior of its best entry when that is also the lexical best
   * (the two signals agree), else 0. Added to the confidence (see calibration.ts).
   */
  agreement: number;
  /** How sure the matcher is of its best entry, in its length band's measure. */
  confidence: number;
  /**
   * When what was asked picked a family's member (see `families` in the lexicon): the kind of
   * question, the entry the ranking had first, and the family, whose other members (and the
   * entries comparing families) are not rivals of the answer.
   */
  asked?: { ask: string; ranked: string; settled: Set<string> };
}

/**
 * Builds a matcher over the FAQ. A message is split into sentences and the ones that ask are
 * found; text is simplified, misspelt words are corrected against the knowledge base's own
 * vocabulary, slang is rewritten through the lexicon, words are stemmed and weighted by rarity
 * (context sentences count less than questions); each entry is scored by its closest phrasing
 * and by how much of the message its vocabulary and keywords explain.
 */
export function createMatcher(knowledge: MatcherKnowledge, options: MatcherOptions = {}): Matcher {
  const opts = { ...DEFAULTS, ...options };
  const lex = knowledge.lexicon;
  const synonyms = createSynonymRewriter(lex.synonyms);
  // "the back of my left knee" is "the back of my knee": which side never changes the answer.
  const sides = new Set(lex.side_words.flatMap((w) => words(w)));
  const kneeWords = new Set(
    lex.knee_terms.flatMap((t) => {
      const ws = words(t);
      return ws.length === 1 ? [ws[0]!, `${ws[0]!}s`] : [];
    }),
  );
  const rewrite = (ws: string[]): string[] =>
    synonyms(ws.filter((w, i) => !(sides.has(w) && kneeWords.has(ws[i + 1] ?? ""))));
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
    ...lex.off_topic_subjects,
    ...lex.other_body_parts,
    ...lex.in_scope,
    ...lex.small_talk,
    ...lex.common_words,
  ].forEach(learn);
  const speller = createSpeller(known);

  const toTokens = (ws: string[]): string[] => ws.filter((w) => !stop.has(w)).map(stem);
  const textTokens = (text: string) => toTokens(rewrite(words(text)));
  /** A sentence's words after typo correction and synonyms, and its query words. */
  const read = (
    text: string,
    factor: number,
    raw = words(text),
  ): { ws: string[]; query: QueryWord[] } => {
    // A real English word is never "corrected" into another ("join" is not "joint", "pair" not
    // "pain", "stitches" not "stretches"): only words the dictionary doesn't know are typos.
    const fixes = raw.map((w) =>
      known.has(w) || !isEnglishWord(w) ? speller.correction(w) : null,
    );
    const ws = rewrite(raw.map((w, i) => fixes[i]?.word ?? w));
    if (fixes.every((f, i) => f === null || f.word === raw[i])) {
      return { ws, query: toTokens(ws).map((token) => ({ token, factor, source: "plain" })) };
    }
    const plain = new Set(toTokens(rewrite(raw)));
    const sure = new Set(
      toTokens(rewrite(raw.map((w, i) => (fixes[i]?.sure ? fixes[i].word : w)))),
    );
    const query = toTokens(ws).map((token): QueryWord => {
      const source = plain.has(token) ? "plain" : sure.has(token) ? "sure" : "unsure";
      return { token, factor, source };
    });
    return { ws, query };
  };
  /** A list of words and phrases, split so single words are a set lookup. */
  const phraseSet = (list: string[]): PhraseSet => {
    const single = new Set<string>();
    const multi: Array<{ text: string; stems: string[] }> = [];
    // Both as written and through the synonyms: "foam rolling" is itself a synonym target.
    for (const ws of list.flatMap((p) => [words(p), rewrite(words(p))])) {
      if (ws.length === 1) single.add(stem(ws[0]!));
      else if (ws.length > 1) {
        // Phrases match word stems, so "baker's cyst" (baker cyst) is "bakers cyst".
        const stems = ws.map(stem);
        multi.push({ text: ` ${stems.join(" ")} `, stems });
      }
    }
    const byFirst = new Map<string, Array<{ text: string; stems: string[] }>>();
    for (const p of multi) {
      const list = byFirst.get(p.stems[0]!);
      if (list) list.push(p);
      else byFirst.set(p.stems[0]!, [p]);
    }
    return { single, multi, byFirst };
  };
  const offTopic = phraseSet(lex.out_of_scope);
  const offSubjects = phraseSet(lex.off_topic_subjects);
  const bodyParts = phraseSet(lex.other_body_parts);
  const inScope = phraseSet(lex.in_scope);
  const kneeTerms = phraseSet(lex.knee_terms);
  const standalone = phraseSet(lex.standalone_topics);
  const anyPart = phraseSet(lex.any_body_part_topics);
  const smallTalk = new Set(lex.small_talk.map((p) => words(p).join(" ")));
  const longestTalk = Math.max(1, ...lex.small_talk.map((p) => words(p).length));
  /** A message made only of small-talk phrases ("great, thanks kneebot", "morning all, how are you"). */
  const isSmallTalk = (ws: string[]): boolean => {
    if (ws.length === 0 || ws.length > MAX_SMALL_TALK) return false;
    // ends[i]: the first i words split into small-talk phrases.
    const ends = [true];
    for (let i = 1; i <= ws.length; i++) {
      ends[i] = false;
      for (let j = Math.max(0, i - longestTalk); j < i && !ends[i]; j++) {
        ends[i] = ends[j]! && smallTalk.has(ws.slice(j, i).join(" "));
      }
    }
    return ends[ws.length]!;
  };
  // Words that say a body part is hurt or injured, rather than worked on.
  const pain = new Set(
    lex.symptom_words.flatMap((w) => (NOT_INJURY.has(w) ? [] : rewrite(words(w)).map(stem))),
  );
  const weakTokens = new Set(lex.weak_words.flatMap((w) => toTokens(words(w))));
  const scorer = createScorer(
    knowledge.faq,
    textTokens,
    new Set(lex.intent_words.flatMap((w) => toTokens(words(w)))),
    weakTokens,
    opts,
    new Set(toTokens(lex.common_words.flatMap((w) => words(w)))),
  );
  const bayes = createBayes(knowledge.faq, textTokens, weakTokens, knowledge.examples);
  // Families of entries on one condition, the entries that compare them, and the phrases that
  // say which member is asked (see `families` in the lexicon).
  const faqIds = new Set(knowledge.faq.map((e) => e.id));
  const families = lex.families.map((f) => ({
    names: phraseSet(f.names),
    // A member that is no entry is left out (`kb lint` reports it).
    members: Object.fromEntries(Object.entries(f.members).filter(([, id]) => faqIds.has(id))),
  }));
  const familyOf = new Map<string, (typeof families)[number]>();
  for (const f of families) for (const id of Object.values(f.members)) familyOf.set(id, f);
  const comparisons = new Set(lex.family_comparisons);
  const askCues = Object.entries(lex.asks).map(([ask, cues]) => ({ ask, cues: phraseSet(cues) }));
  /**
   * What the asking words ask, when they ask exactly one thing ("what is" yields to the rest):
   * `stems` for single words, `all` (every word's stem, in order) for phrases.
   */
  const askedOf = (stems: string[], all: string[]): string | undefined => {
    const joined = ` ${all.join(" ")} `;
    const present = new Set(all);
    const found = askCues
      .filter(({ cues }) => holds(cues, stems, joined, present))
      .map((c) => c.ask);
    const specific = found.length > 1 ? found.filter((a) => a !== "what") : found;
    return specific.length === 1 ? specific[0] : undefined;
  };

  const analyse = (text: string, shown: number): Analysis => {
    const all = words(text);
    // A long post ranks more entries, so naive Bayes can lift one from further down.
    const band = bandFor(all.length);
    const long = band.measure === "keywords";
    const keep = long ? Math.max(shown, BAYES_POOL) : shown;
    const segs = segment(text);
    const base = {
      smallTalk: false,
      tokens: [],
      scored: [],
      sentences: segs,
      length: all.length,
      perQuestion: [],
      agreement: 0,
      confidence: 0,
    };
    if (isSmallTalk(all)) return { ...base, scope: "in", smallTalk: true };
    let asking = 0;
    for (const s of segs) if (s.asks) asking++;
    // A message that is all question, or all context, is read as one question.
    const weighted = asking > 0 && asking < segs.length;
    const parts =
      segs.length === 1
        ? [read(segs[0]!.text, 1, all)]
        : segs.map((s) => read(s.text, weighted && !s.asks ? opts.contextWeight : 1));
    const ws = parts.length === 1 ? parts[0]!.ws : parts.flatMap((p) => p.ws);
    const query = parts.length === 1 ? parts[0]!.query : parts.flatMap((p) => p.query);
    // "im 64", "aged 15": the runner's age is a topic word ("older", "teenager") wherever it is.
    const age = parseAge(all, false);
    const ageWord =
      age === undefined
        ? undefined
        : age >= OLDER_FROM
          ? "older"
          : age < ADULT_FROM
            ? "teenager"
            : undefined;
    if (ageWord !== undefined)
      for (const token of textTokens(ageWord)) query.push({ token, factor: 1, source: "plain" });
    if (query.length === 0) return { ...base, scope: "in" };
    const allStems = ws.map(stem);
    const joined = ` ${allStems.join(" ")} `;
    const present = new Set(allStems);
    // Stopwords never decide scope ("story" and "store" share a stem).
    const stems = ws.filter((w) => !stop.has(w)).map(stem);
    const has = (set: PhraseSet) => holds(set, stems, joined, present);
    const tokens = () => query.map((q) => q.token);
    const knee = has(kneeTerms);
    // Nothing knee-related is never answered with knee content: another body part or a known
    // off-topic subject ("best gels for a half") is "not something I cover", anything else
    // ("can you write me a poem", "why do i feel out of breath") is "I don't know that one".
    // A long post is a story: one that never names the knee (or a subject the FAQ covers for
    // any runner, like pregnancy or running surfaces) is not a knee question, however many
    // running words it shares with the knowledge (chosen on the calibration half).
    const topic = has(standalone);
    // A short message about a subject the FAQ doesn't cover ("what shoes for a faster 10k",
    // "blisters from new shoes") is off-topic even when it shares a word with an entry, unless it
    // names the knee, a subject the FAQ covers for any runner, or something that hurts.
    if (!long && !knee && !topic && has(offSubjects) && !stems.some((w) => pain.has(w))) {
      return { ...base, scope: "off-topic", tokens: tokens() };
    }
    if (!knee && !topic && (long || !has(inScope))) {
      // Unless the knowledge itself asks it nearly word for word ("is this chat private?",
      // "how soon after birth can i run?"): an entry's own phrasing is in scope by definition.
      const closest = long || has(bodyParts) ? undefined : scorer.score(query, 1)[0];
      if (!(closest && closest.phrase >= OWN_PHRASING)) {
        const scope = has(bodyParts) ? "body-part" : has(offTopic) ? "off-topic" : "unrelated";
        return { ...base, scope, tokens: tokens() };
      }
    }
    // A short question whose every word of substance is one no entry uses ("turmeric for knee
    // pain", "collagen for my knees") asks about something the knowledge doesn't know: it goes to
    // the unanswered list for the organisers, rather than to the entry that shares "knee pain".
    if (!long) {
      const substance = query.filter(
        (q) =>
          !weakTokens.has(q.token) &&
          !kneeTerms.single.has(q.token) &&
          !pain.has(q.token) &&
          !/^\d/.test(q.token),
      );
      if (substance.length > 0 && substance.every((q) => !scorer.knows(q.token)))
        return { ...base, scope: "unrelated", tokens: tokens() };
    }
    // A long post is read two ways, and each entry keeps its better score: as a whole, and with
    // the asking sentences in front (context still supports an entry but cannot drown it).
    let scored = weighted
      ? best([scorer.score(query, keep), scorer.score(plainQuery(query), keep)], keep)
      : scorer.score(query, keep);
    // Another body part with no knee in sight is not a knee question ("my hip hurts"), unless
    // the best entry itself works on that part and nothing says it hurts ("stretch my quads"),
    // or the post names a subject the FAQ covers in any body part ("a stress fracture in my shin?").
    if (!knee && has(bodyParts) && !has(anyPart)) {
      const top = scored[0];
      const named = [
        ...stems.filter((w) => bodyParts.single.has(w)).map((w) => [w]),
        ...bodyParts.multi.filter((p) => joined.includes(p.text)).map((p) => p.stems),
      ];
      const treats =
        top !== undefined &&
        !stems.some((w) => pain.has(w)) &&
        named.every((p) => p.every((t) => scorer.talksAbout(top.id, t)));
      if (!treats) return { ...base, scope: "body-part", tokens: tokens() };
    }
    let perQuestion: Candidate[][] = [];
    if (asking >= 2) {
      // Each question in front, everything else as context. A fragment ("stretches?") is
      // too short to be read on its own.
      const views = segs.flatMap((s, i) => {
        if (!s.asks || parts[i]!.query.length < MIN_QUESTION_WORDS) return [];
        const q = parts.flatMap((p, j) =>
          j === i
            ? plainQuery(p.query)
            : p.query.map((w) => ({ ...w, factor: opts.contextWeight })),
        );
        return [scorer.score(q, keep)];
      });
      perQuestion = views.filter((v) => v.length > 0);
      scored = best([scored, ...views], keep);
    }
    // A long post gets naive Bayes' second opinion (src/matching/bayes.ts) on the lexical best
    // few: its pick goes first, and agreeing with the lexical best adds to the confidence.
    const lexical = scored[0] ? confidence(band, scored[0], scored[1]) : 0;
    let agreement = 0;
    if (long && scored.length > 0) {
      const { ranked, posterior } = bayes.rank(
        query,
        scored.filter((c) => c.score >= BAYES_RANGE * scored[0]!.score).map((c) => c.id),
      );
      const pick = ranked[0] ? scored.findIndex((c) => c.id === ranked[0]!.id) : -1;
      if (pick === 0) agreement = posterior;
      if (pick > 0) scored = [scored[pick]!, ...scored.slice(0, pick), ...scored.slice(pick + 1)];
    }
    // The family member for what the asking sentences ask: the topic is settled, the ask decides.
    // An entry comparing families stands for the one family the message names, if only one.
    let askedOfFamily: Analysis["asked"];
    const first = scored[0];
    let family = first ? familyOf.get(first.id) : undefined;
    if (first && !family && comparisons.has(first.id)) {
      const named = families.filter((f) => has(f.names));
      if (named.length === 1) family = named[0];
    }
    if (family) {
      // The asking sentences, or the whole message when it is all question or all context.
      let asked: string | undefined;
      if (!weighted) asked = askedOf(stems, allStems);
      else {
        const askingStems = parts.flatMap((p, i) => (segs[i]!.asks ? p.ws.map(stem) : []));
        asked = askedOf(askingStems, askingStems);
      }
      const member = asked === undefined ? undefined : family.members[asked];
      if (asked !== undefined && member !== undefined) {
        if (member !== first!.id)
          scored = [{ ...first!, id: member }, ...scored.filter((c) => c.id !== member)];
        const settled = new Set([...Object.values(family.members), ...comparisons]);
        askedOfFamily = { ask: asked, ranked: first!.id, settled };
      }
    }
    scored = scored.slice(0, shown);
    return {
      asked: askedOfFamily,
      ...base,
      scope: "in",
      tokens: tokens(),
      scored,
      perQuestion,
      agreement,
      confidence: lexical + AGREEMENT_WEIGHT * agreement,
    };
  };

  const thresholdOf = (length: number) => opts.threshold ?? bandFor(length).threshold;
  const confidenceOf = (a: Analysis, ranked: Candidate[]) =>
    ranked[0] ? confidence(bandFor(a.length), ranked[0], ranked[1]) : 0;
  const suggestOf = (length: number) => opts.suggestThreshold ?? bandFor(length).suggest;

  return {
    explain(text) {
      const a = analyse(text, 5);
      return {
        tokens: a.tokens,
        candidates: a.scored,
        sentences: a.sentences,
        length: a.length,
        threshold: thresholdOf(a.length),
        confidence: a.confidence,
        ...(a.asked ? { asked: { ask: a.asked.ask, ranked: a.asked.ranked } } : {}),
      };
    },
    match(text) {
      const a = analyse(text, 3);
      if (a.scope === "unrelated") return { id: null, score: 0, alternatives: [] };
      if (a.scope !== "in") return { id: null, score: 0, alternatives: [], outOfScope: true };
      if (a.smallTalk) return { id: null, score: 0, alternatives: [], smallTalk: true };
      const best = a.scored[0];
      if (!best) return { id: null, score: 0, alternatives: [] };
      const suggest = suggestOf(a.length);
      const alternatives = a.scored
        .slice(1, 3)
        .filter((s) => s.score >= suggest && best.score - s.score < ALTERNATIVE_BAND)
        .map((s) => s.id);
      const margin = opts.margin ?? bandFor(a.length).margin;
      const rival = a.scored.slice(1).find((c) => !a.asked?.settled.has(c.id));
      const ambiguous = best.score - (rival?.score ?? 0) < margin;
      const score = Math.round(Math.min(1, best.score) * 1000) / 1000;
      const threshold = thresholdOf(a.length);
      if (a.confidence >= threshold && !best.unsure) {
        // A second question's own best entry, as sure of itself as an answer would be.
        const also = a.perQuestion.find(
          (v) => v[0]!.id !== best.id && !v[0]!.unsure && confidenceOf(a, v) >= threshold,
        )?.[0];
        return { id: best.id, score, alternatives, ambiguous, ...(also ? { also: also.id } : {}) };
      }
      if (best.score >= suggest) {
        return { id: null, score, alternatives: [best.id, ...alternatives], ambiguous: true };
      }
      return { id: null, score, alternatives: [] };
    },
  };
}

/** The same words, all at full weight. */
function plainQuery(query: QueryWord[]): QueryWord[] {
  return query.map((q) => (q.factor === 1 ? q : { ...q, factor: 1 }));
}

/** Merges rankings: each entry at its better score, best first, `keep` of them. */
function best(rankings: Candidate[][], keep: number): Candidate[] {
  const byId = new Map<string, Candidate>();
  for (const c of rankings.flat()) {
    const prev = byId.get(c.id);
    if (!prev || c.score > prev.score) byId.set(c.id, c);
  }
  return [...byId.values()]
    .sort((x, y) => y.score - x.score || (x.id < y.id ? -1 : 1))
    .slice(0, keep);
}
