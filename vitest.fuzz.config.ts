import { defineConfig } from "vitest/config";

/**
 * `npm run fuzz`: the robustness suites with many more generated cases than `npm test`.
 * KNEEBOT_FUZZ_RUNS (sequences in total, default 50,000) and KNEEBOT_FUZZ_SEED (replay a
 * failing run; random otherwise) can be set in the environment.
 */
export default defineConfig({
  test: {
    include: ["tests/robustness/**/*.test.ts"],
    env: {
      KNEEBOT_FUZZ_RUNS: process.env.KNEEBOT_FUZZ_RUNS ?? "50000",
      ...(process.env.KNEEBOT_FUZZ_SEED
        ? { KNEEBOT_FUZZ_SEED: process.env.KNEEBOT_FUZZ_SEED }
        : {}),
    },
    testTimeout: 4 * 60 * 60 * 1000,
    hookTimeout: 60_000,
  },
});
