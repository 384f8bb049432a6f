/**
 * The safety net: in a real process with a runtime open, an unhandled rejection is logged with
 * its code and the process keeps serving (Node's default would exit). Run in a child process,
 * since the test runner itself fails on unhandled rejections.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

const root = join(import.meta.dirname, "../..");

const SCRIPT = `
import { loadConfig } from "./src/config.ts";
import { createRuntime } from "./src/runtime.ts";
const runtime = await createRuntime(loadConfig({ KNEEBOT_STORE: "memory", LOG_LEVEL: "info" }));
Promise.reject(Object.assign(new Error("a library forgot a catch"), { code: "E_FAULT_TEST" }));
setTimeout(async () => {
  const replies = await runtime.engine.handle({
    platform: "test", userId: "u", place: { kind: "dm" }, type: "text", text: "should I ice my knee?",
  });
  process.stdout.write("SERVED " + replies.length + "\\n");
  await runtime.close();
}, 300);
`;

describe("unhandled rejections", () => {
  it("are logged with their code, and the process keeps serving", async () => {
    const child = spawn(
      join(root, "node_modules/.bin/tsx"),
      ["--input-type=module", "-e", SCRIPT],
      {
        cwd: root,
        env: { ...process.env },
      },
    );
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    const code = await new Promise<number | null>((r) => child.on("close", r));
    expect(out).toMatch(/SERVED [1-9]/);
    const line = out.split("\n").find((l) => l.includes("unhandled rejection"));
    expect(line).toBeDefined();
    expect(JSON.parse(line!)).toMatchObject({
      level: "error",
      code: "E_FAULT_TEST",
      errName: "Error",
    });
    // The message is not logged (it could carry anything).
    expect(line).not.toContain("forgot a catch");
    expect(code).toBe(0);
  }, 120_000);
});
