/**
 * Shutdown on Discord: a DM whose turn is still being answered when the adapter stops gets its
 * reply before the client disconnects (issue 16), through the real discord.js and the fake.
 */
import { describe, expect, it } from "vitest";
import type { Engine } from "../../src/engine-api.ts";
import type { Reply } from "../../src/types.ts";
import { startHarness } from "../discord/harness.ts";
import { apology } from "../helpers/scripted-engine.ts";

/** An engine that takes its time, and says when a turn has started. */
function slowEngine(delayMs: number): Engine & { started: number } {
  const engine = {
    started: 0,
    async handle(): Promise<Reply[]> {
      engine.started++;
      await new Promise((r) => setTimeout(r, delayMs));
      return [{ kind: "info", text: "slow but sure", visibility: "private" }];
    },
    apology,
  };
  return engine;
}

describe("Discord shutdown", () => {
  it("lets a reply in flight reach the runner before disconnecting", async () => {
    const engine = slowEngine(800);
    const { fake, bot } = await startHarness(engine);
    const ann = fake.addUser("ann");
    fake.userMessage(ann, "should I ice my knee?", { dm: true });
    await fake.waitFor("the turn to start", () => engine.started > 0);
    await bot.stop();
    expect(
      fake.sent.some((s) => s.dmUserId === ann.id && s.content.includes("slow but sure")),
    ).toBe(true);
  }, 120_000);

  it("takes no new turn once stopping has begun", async () => {
    const engine = slowEngine(10);
    const { fake, bot } = await startHarness(engine);
    const bea = fake.addUser("bea");
    await bot.stop();
    fake.userMessage(bea, "hello?", { dm: true });
    await new Promise((r) => setTimeout(r, 300));
    expect(engine.started).toBe(0);
  }, 120_000);
});
