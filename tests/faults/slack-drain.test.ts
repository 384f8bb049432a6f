/**
 * Shutdown under load: replies to turns Slack was already told succeeded are still posted
 * when the adapter stops, however slow the API; and a stop never waits past its deadline.
 * The real Bolt adapter in HTTP mode against a slow fake Slack.
 */
import { describe, expect, it } from "vitest";
import type { Reply } from "../../src/types.ts";
import { waitFor } from "../followups/wait.ts";
import { startHarness } from "../helpers/fake-slack/harness.ts";
import { dmEvent, eventCallback } from "../helpers/fake-slack/payloads.ts";
import { ScriptedEngine, sample } from "../helpers/scripted-engine.ts";

const script = (): Reply[] => [
  sample.info("first part", "private"),
  sample.info("second part", "private"),
];

describe("slack stop drains replies in flight", () => {
  it("posts every reply of 8 acknowledged turns before stopping (slow API)", async () => {
    const engine = new ScriptedEngine(script);
    const h = await startHarness("http", engine);
    h.fake.delays.set("chat.postMessage", 400);
    try {
      for (let i = 0; i < 8; i++) {
        const res = await h.postEvent(eventCallback(dmEvent(`UD${i}`, "hello")));
        expect(res.status).toBe(200);
      }
      await waitFor(() => engine.turns.length === 8, "8 turns in the engine");
      await h.slack.stop();
      const posted = h.fake.calls("chat.postMessage").filter((c) => c.ok);
      expect(posted).toHaveLength(16);
    } finally {
      await h.fake.close();
    }
  }, 120_000);

  it("gives up at the deadline when the API hangs, and says so", async () => {
    const engine = new ScriptedEngine(script);
    const h = await startHarness("http", engine, { drainMs: 300 });
    h.fake.delays.set("chat.postMessage", 30_000);
    try {
      await h.postEvent(eventCallback(dmEvent("UHANG", "hello")));
      await waitFor(() => engine.turns.length === 1, "the turn in the engine");
      const started = Date.now();
      await h.slack.stop();
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(h.logs.some((l) => l.msg === "slack stopped with replies unsent")).toBe(true);
    } finally {
      await h.fake.close();
    }
  }, 120_000);
});
