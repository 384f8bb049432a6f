import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { clusterQuestions } from "../../src/insights/cluster.ts";
import type { ReviewCluster } from "../../src/insights/review.ts";
import { readKnowledgeForReview } from "../../src/insights/review-knowledge.ts";
import { readKnowledge } from "../../src/knowledge/load.ts";
import { createMatcher } from "../../src/matcher.ts";
import { DATABASE_FILE } from "../../src/runtime.ts";
import { createSqliteInsightStore, openDatabase } from "../../src/store/sqlite.ts";
import { words } from "../../src/text/tokens.ts";
import { KNOWLEDGE_DIR, knowledgeCopy } from "../helpers/knowledge.ts";
import { runBin } from "../helpers/run-bin.ts";
import {
  FIXTURE_COUNTS,
  FIXTURE_SINGLES,
  FIXTURE_TOPICS,
  fillStore,
  fixtureQuestions,
} from "./fixture.ts";

function kb(args: string[], env: Record<string, string>) {
  return runBin("kb.ts", args, { env: { KNEEBOT_STORE: "sqlite", ...env } });
}

const clustersOf = (stdout: string): ReviewCluster[] =>
  stdout
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as ReviewCluster & { type: string })
    .filter((l) => l.type === "cluster");

const holding = (clusters: ReviewCluster[], text: string) =>
  clusters.find((c) => c.examples.includes(text));

describe("clustering", () => {
  it("groups the fixture's topics and keeps one-offs apart", () => {
    const stop = new Set(readKnowledge(KNOWLEDGE_DIR).knowledge!.lexicon.stopwords.flatMap(words));
    const recent = fixtureQuestions(Date.now()).filter((q) => !q.outOfScope);
    const clusters = clusterQuestions(recent, stop);
    const sizes = clusters.map((c) => c.items.length);
    expect(sizes).toEqual([...sizes].sort((a, b) => b - a));
    expect(clusters[0]!.items.length).toBe(FIXTURE_COUNTS.epsom);
    for (const single of FIXTURE_SINGLES) {
      const c = clusters.find((k) => k.items.some((i) => i.text === single))!;
      expect(c.items.length, single).toBeLessThan(3);
    }
    expect(clusters[0]!.examples.length).toBeLessThanOrEqual(5);
  });
});

describe("kb review on a SQLite fixture store", () => {
  const dataDir = mkdtempSync(join(tmpdir(), "kneebot-review-"));
  const kbDir = knowledgeCopy();
  const env = { KNEEBOT_DATA_DIR: dataDir, KNEEBOT_KNOWLEDGE_DIR: kbDir };
  let clusters: ReviewCluster[] = [];

  beforeAll(async () => {
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    await fillStore(createSqliteInsightStore(db), Date.now());
    db.close();
    const out = await kb(["review", "--jsonl", "--since", "30d"], env);
    expect(out.stderr).toBe("");
    clusters = clustersOf(out.stdout);
  }, 300_000);

  it("finds the clusters, largest first, with counts, examples and the three nearest entries", () => {
    const epsom = holding(clusters, FIXTURE_TOPICS.epsom[0])!;
    expect(epsom.count).toBe(FIXTURE_COUNTS.epsom);
    expect(clusters[0]).toBe(epsom);
    expect(epsom.nearest).toHaveLength(3);
    expect(epsom.nearest[0]!.id).toBe("icing");
    expect(holding(clusters, FIXTURE_TOPICS.turmeric[0])!.count).toBe(FIXTURE_COUNTS.turmeric);
    expect(holding(clusters, FIXTURE_TOPICS.fancyDress[0])!.count).toBe(FIXTURE_COUNTS.fancyDress);
    // Out-of-scope and older questions are not in the queue.
    const all = clusters.flatMap((c) => c.examples).join("\n");
    expect(all).not.toContain("tuesday session");
    expect(all).not.toContain("foam roller brand");
  });

  it("applies the actions, keeps the files' comments, and the reviewed questions are now answered", async () => {
    const lexiconBefore = readFileSync(join(kbDir, "lexicon.yaml"), "utf8");
    const icingBefore = readFileSync(join(kbDir, "faq/icing.md"), "utf8");
    const line = (text: string, action: object) => {
      const c = holding(clusters, text)!;
      return JSON.stringify({ ...c, action });
    };
    const applyFile = join(dataDir, "actions.jsonl");
    writeFileSync(
      applyFile,
      [
        line(FIXTURE_TOPICS.epsom[0], { type: "add-phrasings", entry: "icing" }),
        line(FIXTURE_TOPICS.fancyDress[0], { type: "out-of-scope", words: ["fancy dress"] }),
        line(FIXTURE_TOPICS.turmeric[0], { type: "draft", id: "turmeric-supplements" }),
        line(FIXTURE_TOPICS.sauna[0], { type: "skip" }),
      ].join("\n"),
    );
    const out = await kb(["review", "--apply", applyFile], env);
    expect(out.stdout).toContain("5 phrasing(s) added to icing");
    // The draft is refused by lint until its answer is written.
    expect(out.stdout).toMatch(
      /faq\/turmeric-supplements\.md.*answer|faq\/turmeric-supplements\.md.*source/,
    );
    const reviewed = FIXTURE_COUNTS.epsom + FIXTURE_COUNTS.fancyDress + FIXTURE_COUNTS.turmeric;
    expect(out.stdout).toContain(
      `Re-matched ${reviewed} reviewed question(s): ${FIXTURE_COUNTS.epsom} now answered, ${FIXTURE_COUNTS.fancyDress} now out of scope.`,
    );

    // Only the changed list grew; every comment and other line is kept.
    const lexiconAfter = readFileSync(join(kbDir, "lexicon.yaml"), "utf8");
    const changed = lexiconAfter.split("\n").filter((l, i) => l !== lexiconBefore.split("\n")[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatch(/^out_of_scope: \[.*, fancy dress\]$/);
    const icingAfter = readFileSync(join(kbDir, "faq/icing.md"), "utf8");
    expect(icingAfter.startsWith(icingBefore.split("keywords:")[0]!)).toBe(true);
    expect(icingAfter.endsWith(icingBefore.split("---").at(-1)!)).toBe(true);

    // A matcher on the edited knowledge answers every epsom question (proved here, not only by the CLI).
    const { knowledge: edited, skipped } = readKnowledgeForReview(kbDir);
    expect(skipped).toEqual(["faq/turmeric-supplements.md"]);
    const matcher = createMatcher(edited);
    for (const q of FIXTURE_TOPICS.epsom) expect(matcher.match(q).id, q).toBe("icing");

    // Acted-on clusters left the queue; the skipped one stays.
    const again = clustersOf((await kb(["review", "--jsonl"], env)).stdout);
    expect(holding(again, FIXTURE_TOPICS.epsom[0])).toBeUndefined();
    expect(holding(again, FIXTURE_TOPICS.fancyDress[0])).toBeUndefined();
    expect(holding(again, FIXTURE_TOPICS.turmeric[0])).toBeUndefined();
    expect(holding(again, FIXTURE_TOPICS.sauna[0])).toBeDefined();
  }, 300_000);

  it("--apply names a missing file and every bad line, and changes nothing", async () => {
    const lexiconBefore = readFileSync(join(kbDir, "lexicon.yaml"), "utf8");
    const missing = await kb(["review", "--apply", join(dataDir, "nope.jsonl")], env);
    expect(missing.code).toBe(1);
    expect(missing.stderr.trim()).toBe(`cannot read ${join(dataDir, "nope.jsonl")}: no such file`);
    const applyFile = join(dataDir, "bad-actions.jsonl");
    writeFileSync(
      applyFile,
      [
        JSON.stringify({ type: "unhelpful", id: "icing", unhelpful: 2 }),
        "not json",
        JSON.stringify({ key: "k", examples: [], ids: [] }),
      ].join("\n"),
    );
    const bad = await kb(["review", "--apply", applyFile], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("line 2: not JSON");
    expect(bad.stderr).toMatch(/line 3: action: /);
    expect(bad.stderr).not.toContain("line 1");
    expect(readFileSync(join(kbDir, "lexicon.yaml"), "utf8")).toBe(lexiconBefore);
  }, 300_000);

  it("prints a readable queue when stdin is not a terminal", async () => {
    const out = await kb(["review", "--since", "30d"], env);
    expect(out.stdout).toMatch(/unanswered question\(s\) to review/);
    expect(out.stdout).toContain("nearest:");
    expect(out.stdout).toContain("Answers marked not helpful");
  }, 300_000);
});
