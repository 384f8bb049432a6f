/**
 * Issue 9 through the real discord.js client and the fake Discord: a runner with a knee check
 * open in a server channel asks a question by DM, and typos in a warning sign still reach the
 * urgent advice.
 */
import { beforeAll, describe, expect, test } from "vitest";
import { createEngine, type Knowledge, loadKnowledge } from "../../src/index.ts";
import { SpyEngine } from "../helpers/spy-engine.ts";
import { startHarness } from "./harness.ts";

let knowledge: Knowledge;
beforeAll(async () => {
  knowledge = await loadKnowledge("knowledge");
});

describe("messy chat through Discord", () => {
  test("a question by DM while a check is open in a channel is answered, then the check resumes", async () => {
    const spy = new SpyEngine(createEngine({ knowledge }));
    const { fake } = await startHarness(spy);
    const ann = fake.addUser("ann");
    fake.slashCommand(ann, "knee");
    await fake.waitFor("the checklist in the channel", () => spy.replies[0]);
    expect(spy.replies[0]!.some((r) => r.kind === "question")).toBe(true);

    fake.userMessage(ann, "should I ice my knee?", { dm: true });
    await fake.waitFor("the DM answer", () => spy.replies[1]);
    const replies = spy.replies[1]!;
    expect(replies.map((r) => r.kind)).toEqual(["answer", "question"]);
    expect(replies[0]!.meta?.faqId).toBe("icing");
    expect(replies[1]!.text).toContain(knowledge.wording.triage_resume);
    const dm = await fake.waitFor("the DM", () =>
      fake.sent.find(
        (s) => s.dmUserId === ann.id && s.content.includes(knowledge.wording.triage_resume),
      ),
    );
    expect(dm.content).not.toContain("did you mean");
    expect(fake.errors).toEqual([]);
  }, 120_000);

  test("a warning sign with a typo, typed in a DM, is confirmed with the urgent advice", async () => {
    const spy = new SpyEngine(createEngine({ knowledge }));
    const { fake } = await startHarness(spy);
    const bea = fake.addUser("bea");
    fake.userMessage(bea, "fell over and i cant put wieght on my knee", { dm: true });
    await fake.waitFor("the engine's answer", () => spy.replies[0]);
    const urgent = spy.replies[0]!.find((r) => r.kind === "urgent");
    expect(urgent?.meta?.redFlags).toEqual(["rf_cannot_bear_weight"]);
    const sent = await fake.waitFor("the DM", () =>
      fake.sent.find((s) => s.dmUserId === bea.id && s.content.includes("A&E")),
    );
    expect(sent.content.toLowerCase()).toContain("did you mean");
    expect(fake.errors).toEqual([]);
  }, 120_000);
});
