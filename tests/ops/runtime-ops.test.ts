import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createRuntime } from "../../src/runtime.ts";

describe("the running bot's ops endpoints", () => {
  it("serves /healthz and counts turns, outcomes and unanswered questions in /metrics", async () => {
    const dir = mkdtempSync(join(tmpdir(), "kneebot-ops-"));
    const runtime = await createRuntime(
      loadConfig({ KNEEBOT_DATA_DIR: dir, KNEEBOT_HTTP_PORT: "0", LOG_LEVEL: "silent" }),
      { logTo: "stderr" },
    );
    try {
      const port = runtime.ops!.port;
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      const base = { platform: "discord", userId: "u1", place: { kind: "dm" as const } };
      await runtime.engine.handle({ ...base, type: "text", text: "can you write me a poem" });
      let replies = await runtime.engine.handle({ ...base, type: "command", command: "triage" });
      // Click through to an outcome: a red flag ends it at once.
      const set = replies.find((r) => r.kind === "question")!.choices!;
      replies = await runtime.engine.handle({
        ...base,
        type: "choice",
        setId: set.id,
        values: ["rf_pop"],
      });
      expect(replies.some((r) => r.kind === "outcome")).toBe(true);
      const metrics = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
      expect(metrics).toMatch(/kneebot_turns_total\{platform="discord"\} 3/);
      expect(metrics).toMatch(/kneebot_triage_outcomes_total\{level="consultation_24"\} 1/);
      expect(metrics).toMatch(/kneebot_unanswered_total 1/);
      expect(metrics).toMatch(/kneebot_turn_duration_seconds_bucket/);
    } finally {
      await runtime.close();
      rmSync(dir, { recursive: true });
    }
  });
});
