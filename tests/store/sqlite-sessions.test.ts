/**
 * SQLite sessions shared by processes: two processes read-modify-write the same sessions in
 * one file, and no update is lost (the store's withLock holds across processes). Also: a lock
 * left by a dead process runs out, and expired sessions are purged.
 */
import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createSqliteSessionStore, openDatabase } from "../../src/store/sqlite.ts";

const root = join(import.meta.dirname, "../..");
const ROUNDS = 150;

/** Two writer processes on one file, started together; resolves with their output. */
async function writers(file: string, noLock = false): Promise<string[]> {
  const procs = [0, 1].map(() => {
    const child = spawn(
      process.execPath,
      ["--import", "tsx", join(import.meta.dirname, "session-writer.ts")],
      {
        cwd: root,
        env: {
          ...process.env,
          WRITER_DB: file,
          WRITER_ROUNDS: String(ROUNDS),
          WRITER_NOLOCK: noLock ? "1" : "0",
        },
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const ready = new Promise<void>((r) =>
      child.stdout.on("data", () => out.includes("READY") && r()),
    );
    const done = new Promise<string>((r) => child.on("close", () => r(out)));
    return { child, ready, done };
  });
  await Promise.all(procs.map((p) => p.ready));
  for (const p of procs) p.child.stdin.write("GO\n");
  return Promise.all(procs.map((p) => p.done));
}

async function total(file: string): Promise<number> {
  const db = openDatabase(file);
  const store = createSqliteSessionStore(db);
  let n = 0;
  for (let u = 0; u < 4; u++) n += (await store.get(`test:u${u}`))?.updatedAt ?? 0;
  db.close();
  return n;
}

describe("SQLite sessions across processes", () => {
  it("two processes updating the same sessions lose no update", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-xproc-"));
    const file = join(dir, "kneebot.db");
    openDatabase(file).close();
    const outs = await writers(file);
    for (const out of outs) expect(out).toContain("DONE");
    expect(await total(file)).toBe(2 * ROUNDS);
    // Every lock was released.
    const db = openDatabase(file);
    expect(db.prepare("SELECT COUNT(*) FROM session_locks").pluck().get()).toBe(0);
    db.close();
    // The same run without the lock loses updates: the test can fail.
    const bare = join(dir, "bare.db");
    openDatabase(bare).close();
    await writers(bare, true);
    expect(await total(bare)).toBeLessThan(2 * ROUNDS);
    rmSync(dir, { recursive: true, force: true });
  }, 180_000);

  it("a lock left by a dead process is taken over once its lease runs out", async () => {
    const db = openDatabase(":memory:");
    const store = createSqliteSessionStore(db, { lockWaitMs: 50 });
    // Lock rows are keyed by a hash of the session key (no user id in them).
    const hashed = createHash("sha256").update("test:gone").digest("base64url").slice(0, 24);
    db.prepare("INSERT INTO session_locks (key, token, until) VALUES (?, ?, ?)").run(
      hashed,
      "dead",
      Date.now() + 60_000,
    );
    await expect(store.withLock!("test:gone", async () => 1)).rejects.toThrow(/Timed out/);
    db.prepare("UPDATE session_locks SET until = ?").run(Date.now() - 1);
    expect(await store.withLock!("test:gone", async () => 2)).toBe(2);
    db.close();
  });

  it("purgeExpired drops expired sessions and stale locks", async () => {
    let t = 1_000_000;
    const db = openDatabase(":memory:");
    const store = createSqliteSessionStore(db, { ttlMs: 1000, now: () => t });
    await store.set("test:a", { v: 2, nonce: "n", greeted: true, updatedAt: t });
    db.prepare("INSERT INTO session_locks (key, token, until) VALUES ('test:a', 'x', 1)").run();
    t += 2000;
    expect(store.purgeExpired()).toBe(1);
    expect(db.prepare("SELECT COUNT(*) FROM sessions").pluck().get()).toBe(0);
    expect(db.prepare("SELECT COUNT(*) FROM session_locks").pluck().get()).toBe(0);
    db.close();
  });
});
