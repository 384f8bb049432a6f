import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { DATABASE_FILE } from "../../src/runtime.ts";
import { createSqliteInsightStore, openDatabase } from "../../src/store/sqlite.ts";
import { runBin } from "../helpers/run-bin.ts";
import { FIXTURE_TOPICS, fillStore } from "../review/fixture.ts";

function report(args: string[], env: Record<string, string>) {
  return runBin("report.ts", args, { env: { KNEEBOT_STORE: "sqlite", ...env } });
}

describe("npm run report", () => {
  it("writes one self-contained page from the SQLite store, saying what is not recorded yet", async () => {
    const dataDir = mkdtempSync(join(tmpdir(), "kneebot-report-"));
    const db = openDatabase(join(dataDir, DATABASE_FILE));
    await fillStore(createSqliteInsightStore(db), Date.now());
    db.close();
    const out = join(dataDir, "out/report.html");
    const r = await report(["--out", out, "--since", "30d"], { KNEEBOT_DATA_DIR: dataDir });
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script|<link|src="http|href="http/);
    expect(html).toContain("<svg");
    expect(html).toContain(FIXTURE_TOPICS.epsom[0]);
    // This store holds no events yet: those charts say so instead of drawing nothing.
    expect(html).toContain("Not recorded yet");
  }, 300_000);
});
