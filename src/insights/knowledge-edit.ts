/**
 * The edits `kb review` makes to the knowledge files. Each goes through the `yaml` package's
 * Document API, so the comments, order and layout of the file are kept and only the changed
 * list grows.
 */
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Document, isSeq, parseDocument, type YAMLSeq } from "yaml";
import { KneebotError } from "../errors.ts";
import { faqIdSchema } from "../knowledge/faq-schema.ts";
import { words } from "../text/tokens.ts";

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;
// Keep long flow lists (the lexicon's) on one line, as they are written.
const TO_STRING = { lineWidth: 0, flowCollectionPadding: false } as const;

/** The text a draft's answer starts as; `kb lint` refuses it (the answer is empty). */
export const DRAFT_NOTE =
  " Draft from `kb review`: write the answer below the closing --- line, cite at least one\n source, then run `npm run kb -- lint` (it refuses this file until both are done).";

function faqPath(dir: string, id: string): string {
  const ok = faqIdSchema.safeParse(id);
  if (!ok.success)
    throw new KneebotError("input", `"${id}" is not an FAQ id (${ok.error.issues[0]?.message})`);
  return join(dir, "faq", `${id}.md`);
}

function seqAt(doc: Document, key: string, file: string): YAMLSeq {
  const node = doc.get(key, true);
  if (!isSeq(node)) throw new KneebotError("knowledge", `${file}: ${key} is not a list`);
  return node;
}

/** Adds each phrase not already in the list (compared word for word); returns those added. */
function addNew(seq: YAMLSeq, phrases: readonly string[]): string[] {
  const have = new Set(
    seq.items.map((i) => words(String((i as { value?: unknown }).value ?? i)).join(" ")),
  );
  const added: string[] = [];
  for (const p of phrases) {
    const clean = p.trim().replace(/\s+/g, " ");
    const key = words(clean).join(" ");
    if (!key || have.has(key)) continue;
    have.add(key);
    seq.add(clean);
    added.push(clean);
  }
  return added;
}

/**
 * Adds phrasings to an entry's `alternates`, lower-cased without end punctuation like the
 * shipped ones. Returns the phrasings actually added (duplicates are skipped).
 */
export function addPhrasings(dir: string, id: string, phrasings: readonly string[]): string[] {
  const path = faqPath(dir, id);
  if (!existsSync(path)) throw new KneebotError("input", `no FAQ entry "${id}" in ${dir}`);
  const file = `faq/${id}.md`;
  const m = FRONT_MATTER.exec(readFileSync(path, "utf8"));
  if (!m) throw new KneebotError("knowledge", `${file}: no front matter`);
  const doc = parseDocument(m[1]!);
  const added = addNew(
    seqAt(doc, "alternates", file),
    phrasings.map((p) => p.toLowerCase().replace(/[?.!\s]+$/, "")),
  );
  if (added.length > 0) writeFileSync(path, `---\n${doc.toString(TO_STRING)}---\n${m[2]}`);
  return added;
}

/** Adds words or phrases to the lexicon's `out_of_scope` list; returns those added. */
export function addOutOfScope(dir: string, phrases: readonly string[]): string[] {
  const path = join(dir, "lexicon.yaml");
  const doc = parseDocument(readFileSync(path, "utf8"));
  const added = addNew(
    seqAt(doc, "out_of_scope", "lexicon.yaml"),
    phrases.map((p) => p.toLowerCase()),
  );
  if (added.length > 0) writeFileSync(path, doc.toString(TO_STRING));
  return added;
}

/**
 * Writes `faq/<id>.md` as a draft: the question and phrasings, no source and an empty answer,
 * so `kb lint` (and the bot's start) refuse it until someone writes the answer. Never
 * overwrites an existing file.
 */
export function draftEntry(
  dir: string,
  draft: { id: string; question: string; phrasings: readonly string[] },
): string {
  const path = faqPath(dir, draft.id);
  if (existsSync(path)) throw new KneebotError("input", `faq/${draft.id}.md already exists`);
  const doc = new Document({
    id: draft.id,
    question: draft.question.trim(),
    alternates: draft.phrasings.map((p) =>
      p
        .trim()
        .toLowerCase()
        .replace(/[?.!\s]+$/, ""),
    ),
    keywords: [],
    symptoms: false,
    related: [],
    sources: [],
  });
  doc.commentBefore = DRAFT_NOTE;
  writeFileSync(path, `---\n${doc.toString(TO_STRING)}---\n`);
  return `faq/${draft.id}.md`;
}
