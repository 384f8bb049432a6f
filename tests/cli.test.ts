import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { EVAL_DIR, editFile, knowledgeCopy } from "./helpers/knowledge.ts";
import { runBin } from "./helpers/run-bin.ts";

const root = join(import.meta.dirname, "..");
/**
 * Runs a bin/ script the way `tsx` would, in one process: the tsx CLI starts a second Node to
 * carry its loader, which doubles the start-up cost of every spawn here.
 */
const node = process.execPath;
const withTsx = (script: string, ...args: string[]) => ["--import", "tsx", script, ...args];
/**
 * Each test spawns Node and loads the whole app: ~2 s on an idle machine, over 120 s was seen
 * with the load average at 35 on 2 cores. The timeout only guards against a hang.
 */
const SPAWN_TIMEOUT = 600_000;
const run = promisify(execFile);

/** Runs a bin/ script with stdin, returning stdout, stderr and the exit code. */
function runScript(
  script: string,
  args: string[],
  input: string,
  env: Record<string, string> = {},
) {
  return runBin(script, args, { input, env });
}

describe("evaluation commands", { timeout: SPAWN_TIMEOUT }, () => {
  it("ask --jsonl prints one JSON line per input, in order, and nothing else", async () => {
    const qs = ["should I ice my knee?", "what time is the track session", "", "not json"];
    const input = `${qs
      .slice(0, 3)
      .map((q) => JSON.stringify({ q }))
      .join("\n")}\n${qs[3]}\n`;
    const { stdout, code } = await runScript("ask.ts", ["--jsonl"], input);
    expect(code).toBe(0);
    const lines = stdout
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(4);
    expect(lines[0]).toMatchObject({ q: "should I ice my knee?", id: "icing" });
    expect(lines[1]).toMatchObject({ id: null, alternatives: [] });
    for (const l of lines) {
      expect(Object.keys(l).sort()).toEqual(["alternatives", "id", "q", "score"]);
      expect(typeof l.score).toBe("number");
    }
  });

  it("ask --explain shows the sentences that ask, the band's operating point and this post's confidence", async () => {
    const post =
      "Week 5 of couch to 5k and my left knee has started hurting on the runs. Do I push on with the programme or take a break?";
    const { stdout, code } = await runScript("ask.ts", ["--explain", post], "");
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    expect(JSON.parse(lines[0]!).q).toBe(post);
    expect(lines[1]).toMatch(/\[context\] Week 5 .* \[asks\] Do I push on/);
    const at = /answered when the confidence .* is (\d\.\d\d) or above .*; here (\d\.\d{3})/.exec(
      lines[2]!,
    );
    expect(at, lines[2]).not.toBeNull();
    const answered = JSON.parse(lines[0]!).id !== null;
    expect(Number(at![2]) >= Number(at![1])).toBe(answered);
  });

  it("ask --explain says when what was asked picked a condition's entry", async () => {
    const q = "outside of my knee flares up at 6 miles on every long run, how do i get rid of it";
    const { stdout, code } = await runScript("ask.ts", ["--explain", q], "");
    expect(code).toBe(0);
    expect(JSON.parse(stdout.split("\n")[0]!).id).toBe("itb-relief");
    expect(stdout).toContain(
      "asks about the condition: relief (the ranking had itb-symptoms first; see families",
    );
  });

  it("triage-eval runs real conversations and ends with a summary line", async () => {
    const { stdout, code } = await runScript(
      "triage-eval.ts",
      [join(EVAL_DIR, "triage-dev.jsonl")],
      "",
    );
    expect(code).toBe(0);
    const lines = stdout.trim().split("\n");
    const results = lines.filter((l) => l.startsWith("{")).map((l) => JSON.parse(l));
    const cases = readFileSync(join(EVAL_DIR, "triage-dev.jsonl"), "utf8")
      .split("\n")
      .filter((l) => l.trim()).length;
    expect(results).toHaveLength(cases);
    expect(results[0]).toMatchObject({ id: "d01", level: "emergency", questions: 1 });
    expect(lines.at(-1)!.startsWith("{")).toBe(false);
  });

  it("triage-eval names a missing file, and checks every line before running any", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-vignettes-"));
    try {
      const missing = await runScript("triage-eval.ts", [join(dir, "nope.jsonl")], "");
      expect(missing.code).toBe(1);
      expect(missing.stderr.trim()).toBe(`cannot read ${join(dir, "nope.jsonl")}: no such file`);

      // An opening-message set is not a vignette file: every bad line is named, and what to use.
      const file = join(dir, "mixed.jsonl");
      writeFileSync(
        file,
        [
          JSON.stringify({ id: "ok", findings: { onset: "gradual" } }),
          JSON.stringify({ id: "m1", text: "my knee clicks", expect: { location: "front" } }),
          "{not json",
          JSON.stringify({ id: 7, findings: {} }),
        ].join("\n"),
      );
      const bad = await runScript("triage-eval.ts", [file], "");
      expect(bad.code).toBe(1);
      expect(bad.stdout).toBe("");
      expect(bad.stderr).toContain("3 line(s) are not triage vignettes");
      expect(bad.stderr).toMatch(/line 2: findings: .*extract -- --jsonl/);
      expect(bad.stderr).toContain("line 3: not JSON");
      expect(bad.stderr).toMatch(/line 4: id: .*string/);
      expect(bad.stderr).not.toContain("Unexpected error");
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("extract --jsonl prints the findings pre-filled from each opening message", async () => {
    const { stdout } = await runScript(
      "extract.ts",
      ["--jsonl"],
      `${JSON.stringify({ text: "my calf is swollen" })}\n`,
    );
    expect(JSON.parse(stdout)).toEqual({
      text: "my calf is swollen",
      findings: { rf_calf_swelling: "yes" },
    });
  });

  it("refuse an unknown flag with one line saying what to fix and the usage, exit code 2", async () => {
    const { stdout, stderr, code } = await runScript("ask.ts", ["--jsnol"], "");
    expect(code).toBe(2);
    expect(stdout).toBe("");
    expect(stderr).toBe(
      'ask: unknown option --jsnol. Usage: npm run ask -- [--explain] QUESTION, or --jsonl with {"q": "..."} lines on stdin\n',
    );
  });

  it("kb lint passes on the shipped knowledge and exits 1 listing problems on broken knowledge", async () => {
    const ok = await runScript("kb.ts", ["lint"], "");
    expect(ok.code).toBe(0);
    const dir = knowledgeCopy();
    editFile(dir, "faq/icing.md", (t) => t.replace(/related: \[/, "related: [nope, "));
    const bad = await runScript("kb.ts", ["lint"], "", { KNEEBOT_KNOWLEDGE_DIR: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/faq\/icing\.md: related\.0: "nope" is not an FAQ id/);
    rmSync(dir, { recursive: true });
  });

  it("kb export prints the knowledge as JSON in the documented shape", async () => {
    const { stdout } = await run(node, withTsx(join(root, "bin/kb.ts"), "export"), {
      cwd: root,
      maxBuffer: 1 << 24,
    });
    const data = JSON.parse(stdout);
    expect(Object.keys(data.faq[0]).sort()).toEqual([
      "alternates",
      "answer",
      "id",
      "keywords",
      "question",
      "related",
      "sources",
    ]);
    expect(data.triage.questions[0].id).toBe("red_flags");
  });
});

describe("npm start in the terminal", { timeout: SPAWN_TIMEOUT }, () => {
  it("reads one message per line when stdin is not a terminal, and exits 0 at the end", async () => {
    const data = mkdtempSync(join(tmpdir(), "kneebot-start-"));
    const { stdout, code } = await runScript(
      "start.ts",
      [],
      "should I ice my knee?\ncheck my knee\nnone of these\n",
      { KNEEBOT_DATA_DIR: data },
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/Ice can ease pain/);
    expect(stdout).toMatch(/quick safety check/);
    // "none of these" answered the warning signs: the next question followed.
    expect(stdout.match(/\(type (a number|the numbers)/g)?.length).toBeGreaterThanOrEqual(2);
    rmSync(data, { recursive: true });
  });

  it("refuses to start on invalid settings, naming the variable, with exit code 1", async () => {
    const { stderr, code } = await runScript("start.ts", [], "", { KNEEBOT_STORE: "mongo" });
    expect(code).toBe(1);
    expect(stderr).toMatch(/KNEEBOT_STORE/);
  });

  it("refuses to start on invalid knowledge, naming the file", async () => {
    const dir = knowledgeCopy();
    writeFileSync(join(dir, "wording.yaml"), "greeting: only this\n");
    const { stderr, code } = await runScript("start.ts", [], "", { KNEEBOT_KNOWLEDGE_DIR: dir });
    expect(code).toBe(1);
    expect(stderr).toMatch(/wording\.yaml: disclaimer/);
    rmSync(dir, { recursive: true });
  });
});
