import { defineConfig } from "vitest/config";

/**
 * `npm test`'s vitest run. Test files run in parallel: none shares a port (servers listen on
 * port 0), a Redis key space (each test has its own prefix) or a data folder (each makes its
 * own temporary one). Timeouts only guard against hangs: they leave a busy 2-core machine ample
 * headroom (spawning `npm start` once took 33 s there), so no test depends on the machine's speed.
 */
export default defineConfig({
  test: {
    include: ["tests/**/*.test.ts"],
    // Vitest's default on 2 cores is a single worker: every file in a row. Many tests wait on
    // loopback servers, timers and child processes, so a third worker still helps there.
    maxWorkers: Number(process.env.KNEEBOT_TEST_WORKERS ?? 3),
    // Files in one worker share loaded modules (the knowledge, the matcher, discord.js, Bolt)
    // instead of importing them again for each file: about a third less CPU for the whole run.
    // Nothing in src/ keeps state between tests beyond caches; KNEEBOT_TEST_ISOLATE=1 turns
    // isolation back on to rule that out when a test fails only in the full run.
    isolate: process.env.KNEEBOT_TEST_ISOLATE === "1",
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
