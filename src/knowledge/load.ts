import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { KneebotError } from "../errors.ts";
import { type FaqEntry, faqFrontMatterSchema, MAX_ANSWER_CHARS } from "./faq-schema.ts";
import { looseString } from "./loose-string.ts";
import { type TriageFlow, triageSchema } from "./triage-schema.ts";
import { type Lexicon, lexiconSchema, type Wording, wordingSchema } from "./wording-schema.ts";

/** Everything the bot knows, loaded and validated from the knowledge folder. */
export interface Knowledge {
  faq: FaqEntry[];
  triage: TriageFlow;
  wording: Wording;
  lexicon: Lexicon;
  /**
   * Messages runners might send about each entry (knowledge/examples.yaml, optional): they teach
   * naive Bayes' second opinion on long posts, never the lexical matcher.
   */
  examples: Record<string, string[]>;
  /** The folder it was loaded from. */
  dir: string;
}

/** One problem found in the knowledge files, naming the file and the field. */
export interface KnowledgeProblem {
  file: string;
  field: string;
  message: string;
}

/** Formats problems one per line, as `file: field: message`. */
export function formatProblems(problems: KnowledgeProblem[]): string {
  return problems.map((p) => `${p.file}: ${p.field ? `${p.field}: ` : ""}${p.message}`).join("\n");
}

/** Thrown when the knowledge folder is invalid; `problems` lists every issue found. */
export class KnowledgeError extends KneebotError {
  readonly problems: KnowledgeProblem[];
  constructor(problems: KnowledgeProblem[]) {
    super(
      "knowledge",
      `The knowledge base has ${problems.length} problem(s):\n${formatProblems(problems)}`,
    );
    this.problems = problems;
  }
}

/** knowledge/examples.yaml: entry id → messages about it. */
const examplesSchema = z
  .object({ examples: z.record(z.string().min(1), z.array(looseString).nullable()) })
  .strict();

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

function issuesToProblems(file: string, error: z.ZodError): KnowledgeProblem[] {
  return error.issues.map((issue) => ({
    file,
    field: issue.path.join(".") || "(top level)",
    message: issue.message,
  }));
}

function readYaml(
  path: string,
  file: string,
  problems: KnowledgeProblem[],
): { ok: true; value: unknown } | { ok: false } {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    problems.push({ file, field: "", message: "file is missing or unreadable" });
    return { ok: false };
  }
  try {
    return { ok: true, value: parseYaml(text) };
  } catch (err) {
    problems.push({ file, field: "", message: `is not valid YAML: ${(err as Error).message}` });
    return { ok: false };
  }
}

function loadYamlFile<T>(
  dir: string,
  file: string,
  schema: z.ZodType<T>,
  problems: KnowledgeProblem[],
): T | undefined {
  const raw = readYaml(join(dir, file), file, problems);
  if (!raw.ok) return undefined;
  const parsed = schema.safeParse(raw.value);
  if (!parsed.success) {
    problems.push(...issuesToProblems(file, parsed.error));
    return undefined;
  }
  return parsed.data;
}

function loadFaqFile(
  dir: string,
  name: string,
  problems: KnowledgeProblem[],
): FaqEntry | undefined {
  const file = `faq/${name}`;
  const text = readFileSync(join(dir, "faq", name), "utf8");
  const m = FRONT_MATTER.exec(text);
  if (!m) {
    problems.push({
      file,
      field: "",
      message: "must start with front matter between two '---' lines (see the README)",
    });
    return undefined;
  }
  let data: unknown;
  try {
    data = parseYaml(m[1]!);
  } catch (err) {
    problems.push({
      file,
      field: "front matter",
      message: `is not valid YAML: ${(err as Error).message}`,
    });
    return undefined;
  }
  const parsed = faqFrontMatterSchema.safeParse(data);
  if (!parsed.success) {
    problems.push(...issuesToProblems(file, parsed.error));
    return undefined;
  }
  const answer = m[2]!.trim();
  if (answer.length === 0) problems.push({ file, field: "answer", message: "the answer is empty" });
  if (answer.length > MAX_ANSWER_CHARS) {
    problems.push({
      file,
      field: "answer",
      message: `is ${answer.length} characters; keep it to ${MAX_ANSWER_CHARS} or fewer`,
    });
  }
  if (`${parsed.data.id}.md` !== name) {
    problems.push({
      file,
      field: "id",
      message: `must match the file name (${name.replace(/\.md$/, "")})`,
    });
  }
  return { ...parsed.data, answer, file };
}

/**
 * Reads and validates every knowledge file in `dir`. Returns the problems instead of
 * throwing, so `kb lint` can list them all.
 */
export function readKnowledge(dir: string): {
  knowledge?: Knowledge;
  problems: KnowledgeProblem[];
} {
  const problems: KnowledgeProblem[] = [];
  let names: string[] = [];
  try {
    names = readdirSync(join(dir, "faq"))
      .filter((n) => n.endsWith(".md"))
      .sort();
  } catch {
    problems.push({ file: "faq/", field: "", message: `folder not found in ${dir}` });
  }
  const faq: FaqEntry[] = [];
  for (const name of names) {
    const entry = loadFaqFile(dir, name, problems);
    if (entry) faq.push(entry);
  }
  const triage = loadYamlFile(dir, "triage.yaml", triageSchema, problems);
  const wording = loadYamlFile(dir, "wording.yaml", wordingSchema, problems);
  const lexicon = loadYamlFile(dir, "lexicon.yaml", lexiconSchema, problems);
  // Optional: a knowledge folder without it still loads.
  const examples = existsSync(join(dir, "examples.yaml"))
    ? loadYamlFile(dir, "examples.yaml", examplesSchema, problems)?.examples
    : {};
  if (!triage || !wording || !lexicon || !examples || problems.length > 0) return { problems };
  const cleaned = Object.fromEntries(Object.entries(examples).map(([id, l]) => [id, l ?? []]));
  return { knowledge: { faq, triage, wording, lexicon, examples: cleaned, dir }, problems };
}

/** Loads the knowledge folder, throwing a KnowledgeError that lists every problem. */
export function loadKnowledge(dir: string): Knowledge {
  const { knowledge, problems } = readKnowledge(dir);
  if (!knowledge) throw new KnowledgeError(problems);
  return knowledge;
}
