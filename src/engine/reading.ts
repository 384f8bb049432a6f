/**
 * The text reader and extractor built from the knowledge base: the words the corrector may
 * correct towards are the knowledge's own (finding phrases, question labels, FAQ phrasings,
 * the lexicon), so a typo is only ever read as a word the bot would act on.
 */
import type { Knowledge } from "../knowledge/load.ts";
import { createReader, type TextReader } from "../text/reader.ts";
import { createExtractor, type Extractor } from "../triage/extract.ts";

function* knowledgeTexts(k: Knowledge): Generator<string> {
  const flow = k.triage;
  for (const f of Object.values(flow.findings)) {
    const lists = Array.isArray(f.phrases) ? [f.phrases] : Object.values(f.phrases ?? {});
    for (const list of lists) for (const p of list) yield p.replace(/[|*]|\.\./g, " ");
    for (const p of f.negative ?? []) yield p.replace(/[|*]|\.\./g, " ");
  }
  for (const r of flow.red_flags) yield `${r.label} ${r.plain}`;
  for (const q of flow.questions) {
    if (q.type === "single")
      for (const c of q.choices) yield `${c.label} ${(c.synonyms ?? []).join(" ")}`;
    if (q.type === "checklist")
      for (const i of q.items) yield `${i.label} ${(i.synonyms ?? []).join(" ")}`;
  }
  for (const e of k.faq) {
    yield e.question;
    yield* e.alternates;
    yield* e.keywords;
  }
  const lex = k.lexicon;
  for (const [from, to] of Object.entries(lex.synonyms)) yield `${from} ${to}`;
  yield* lex.symptom_words;
  yield* lex.other_body_parts;
  yield* lex.knee_terms;
  yield* lex.in_scope;
  yield* lex.out_of_scope;
}

/** The reader every path of the engine uses, over the knowledge's vocabulary. */
export function createKnowledgeReader(k: Knowledge): TextReader {
  const lex = k.lexicon;
  return createReader({
    texts: knowledgeTexts(k),
    keep: [...lex.common_words, ...lex.stopwords, ...lex.small_talk],
    questionStarts: lex.question_starts,
  });
}

/** The extractor with spelling correction, as the engine uses it. */
export function createKnowledgeExtractor(k: Knowledge, reader?: TextReader): Extractor {
  return createExtractor(k.triage, reader ?? createKnowledgeReader(k));
}
