/** Runs a bin/ script in a child process, the way the CLI tests need it. */
import { spawn } from "node:child_process";
import { join } from "node:path";

const root = join(import.meta.dirname, "../..");

/** What a finished script printed, and its exit code. */
export interface BinResult {
  stdout: string;
  stderr: string;
  code: number | null;
}

/**
 * Runs `bin/<script>` with `args`, `input` on stdin and `env` over the process's own. It is run
 * the way `tsx` would, in one process: the tsx CLI starts a second Node to carry its loader,
 * which doubles the start-up cost of every spawn.
 */
export function runBin(
  script: string,
  args: string[],
  options: { input?: string; env?: Record<string, string> } = {},
): Promise<BinResult> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", join(root, "bin", script), ...args], {
      cwd: root,
      env: { ...process.env, ...options.env },
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("close", (code) => resolve({ stdout, stderr, code }));
    child.stdin.end(options.input ?? "");
  });
}
