import { describe, expect, test } from "vitest";
import { startDiscord } from "../../adapters/discord/index.ts";
import { FakeDiscord } from "../helpers/fake-discord/index.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { customIds, startAdapter, startHarness } from "./harness.ts";
import { CHECKLIST, triageScript, WHERE } from "./scripts.ts";

test("a wrong token fails start-up with a clear error and leaves nothing running", async () => {
  const fake = await FakeDiscord.start();
  try {
    await expect(
      startDiscord({
        engine: new ScriptedEngine(triageScript),
        token: "wrong",
        applicationId: fake.applicationId,
        apiUrl: fake.apiUrl,
      }),
    ).rejects.toThrow(/token/i);
    expect(fake.sessions).toBe(0);
  } finally {
    await fake.close();
  }
});

describe("conversations across restarts (real discord.js against the fake)", () => {
  test("a click after a restart still works: the adapter keeps no state, the engine decides", async () => {
    const engine = new ScriptedEngine(triageScript);
    const { fake, bot } = await startHarness(engine);
    const ann = fake.addUser("ann");
    fake.slashCommand(ann, "knee", { dm: true });
    const question = await fake.waitFor("checklist", () => fake.sent[0]);
    expect(question.content).toBe(CHECKLIST.text);

    await bot.stop();
    await fake.waitFor("old session gone", () => fake.sessions === 0);
    await startAdapter(fake, engine);
    expect(fake.sessions).toBe(1);

    fake.select(ann, question.messageId, "s1:redflags:v1", ["none"]);
    const next = await fake.waitFor("next", () => fake.sent.find((s) => s.via === "followup"));
    expect(next).toMatchObject({ content: WHERE.text, dmUserId: ann.id });
    expect(customIds(next.components)[0]).toBe("s1:where:v1#front");
    expect(engine.turns[1]).toMatchObject({
      type: "choice",
      setId: "s1:redflags:v1",
      values: ["none"],
    });
  });
});
