/**
 * A damaged database file (not SQLite at all, or truncated) stops the start with a message
 * that says so, and the file is left byte for byte as it was.
 */
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createRuntime } from "../../src/runtime.ts";
import {
  createSqliteInsightStore,
  createSqliteSessionStore,
  openDatabase,
} from "../../src/store/sqlite.ts";

const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});
const tempDir = () => {
  const d = mkdtempSync(join(tmpdir(), "kneebot-damaged-"));
  dirs.push(d);
  return d;
};
const MESSAGE = /is not a SQLite database, or is damaged\. It was left untouched/;

describe("a damaged database file", () => {
  it("not SQLite at all: says so, and leaves the file untouched", async () => {
    const dir = tempDir();
    const file = join(dir, "kneebot.db");
    const junk = Buffer.from("this is a spreadsheet, not a database\n".repeat(200));
    writeFileSync(file, junk);
    expect(() => openDatabase(file)).toThrow(MESSAGE);
    await expect(
      createRuntime(loadConfig({ KNEEBOT_DATA_DIR: dir, LOG_LEVEL: "silent" }), {
        logTo: "stderr",
      }),
    ).rejects.toThrow(MESSAGE);
    expect(readFileSync(file).equals(junk)).toBe(true);
  });

  it("truncated: says so, and leaves the file untouched", async () => {
    const dir = tempDir();
    const file = join(dir, "kneebot.db");
    const db = openDatabase(file);
    const sessions = createSqliteSessionStore(db);
    const insights = createSqliteInsightStore(db);
    for (let i = 0; i < 300; i++) {
      await sessions.set(`test:u${i}`, { v: 2, nonce: "n", greeted: true, updatedAt: i });
      await insights.recordUnanswered({
        text: `question ${i} `.repeat(20),
        score: 0,
        outOfScope: false,
        at: Date.now(),
      });
    }
    db.pragma("journal_mode = DELETE");
    db.close();
    const size = readFileSync(file).length;
    truncateSync(file, Math.floor(size / 2));
    const before = readFileSync(file);
    expect(() => openDatabase(file)).toThrow(MESSAGE);
    expect(readFileSync(file).equals(before)).toBe(true);
  });

  it("an empty file is simply a new database", () => {
    const dir = tempDir();
    const file = join(dir, "kneebot.db");
    writeFileSync(file, "");
    openDatabase(file).close();
  });
});
