import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../src/config.ts";
import { createRuntime } from "../src/runtime.ts";
import { createMemorySessionStore } from "../src/store/memory.ts";
import type { SessionStore } from "../src/store/types.ts";
import { testEngine } from "./helpers/knowledge.ts";

const root = join(import.meta.dirname, "..");

describe("graceful shutdown", () => {
  it("finishes in-flight turns and refuses new ones while draining", async () => {
    const inner = createMemorySessionStore();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const slow: SessionStore = {
      ...inner,
      get: async (k) => {
        await gate;
        return inner.get(k);
      },
    };
    const engine = testEngine({ sessions: slow });
    const base = { platform: "test", place: { kind: "dm" as const }, type: "text" as const };
    const inFlight = engine.handle({ ...base, userId: "a", text: "should I ice my knee?" });
    const drained = engine.drain();
    const late = await engine.handle({ ...base, userId: "b", text: "should I ice my knee?" });
    expect(late.map((r) => r.kind)).toEqual(["error"]);
    let drainedYet = false;
    void drained.then(() => (drainedYet = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(drainedYet).toBe(false);
    release();
    const replies = await inFlight;
    await drained;
    expect(replies.map((r) => r.kind)).toContain("answer");
  });

  it("closes the stores on close(): the SQLite file is checkpointed and released", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-rt-"));
    const runtime = await createRuntime(
      loadConfig({ KNEEBOT_DATA_DIR: dir, LOG_LEVEL: "silent" }),
      { logTo: "stderr" },
    );
    await runtime.engine.handle({
      platform: "test",
      userId: "u",
      place: { kind: "dm" },
      type: "command",
      command: "triage",
    });
    expect(existsSync(join(dir, "kneebot.db-wal"))).toBe(true);
    await runtime.close();
    expect(existsSync(join(dir, "kneebot.db-wal"))).toBe(false);
    await expect(runtime.sessions.get("test:u")).rejects.toThrow();
    rmSync(dir, { recursive: true });
  });

  it("exits 0 on SIGTERM and leaves the database cleanly closed", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-sig-"));
    const child = spawn(join(root, "node_modules/.bin/tsx"), [join(root, "bin/start.ts")], {
      cwd: root,
      env: { ...process.env, KNEEBOT_DATA_DIR: dir, LOG_LEVEL: "info" },
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    const exited = new Promise<number | null>((r) => child.on("close", (code) => r(code)));
    child.stdin.write("check my knee\n");
    // Wait until the turn was answered, then ask it to stop while stdin is still open.
    while (!out.includes("quick safety check")) await new Promise((r) => setTimeout(r, 50));
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(dir, "kneebot.db"))).toBe(true);
    expect(existsSync(join(dir, "kneebot.db-wal"))).toBe(false);
    rmSync(dir, { recursive: true });
  });
});
