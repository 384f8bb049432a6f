/**
 * Issue 9 through the real Bolt app and the fake Slack: a runner with a knee check open in a
 * channel asks a question by DM; the DM answers it and resumes the check.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, loadKnowledge, type Reply } from "../../src/index.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import { dmEvent, eventCallback, nextId, slashCommand } from "../helpers/fake-slack/payloads.ts";

const HANDLED = "slack turn handled";

describe("messy chat through Slack", () => {
  let h: Harness;
  const turns: Reply[][] = [];
  let resume = "";

  beforeEach(async () => {
    turns.length = 0;
    const knowledge = await loadKnowledge("knowledge");
    resume = knowledge.wording.triage_resume;
    const real = createEngine({ knowledge });
    const engine: Engine = {
      async handle(turn) {
        const replies = await real.handle(turn);
        turns.push(replies);
        return replies;
      },
      apology: () => real.apology(),
    };
    h = await startHarness("socket", engine);
    h.fake.users.set("U1", { tz: "Europe/London" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("answers a DM question while a check is open in a channel, then resumes the check", async () => {
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "slash_commands",
      payload: slashCommand("U1", "C1", "", h.fake.responseUrl("knee")),
    });
    await h.logged(HANDLED, 1);
    expect(turns[0]!.some((r) => r.kind === "question")).toBe(true);

    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload: eventCallback(dmEvent("U1", "shud i ice my knee?")),
    });
    await h.logged(HANDLED, 2);
    const replies = turns[1]!;
    expect(replies.map((r) => r.kind)).toEqual(["answer", "question"]);
    expect(replies[0]!.meta?.faqId).toBe("icing");
    const dmPosts = h.fake.calls("chat.postMessage").filter((c) => c.args.channel === "DU1");
    expect(JSON.stringify(dmPosts.map((c) => c.args))).toContain(resume);
    expect(JSON.stringify(dmPosts.map((c) => c.args))).not.toContain("did you mean");
    expect(h.fake.calls().filter((c) => !c.ok)).toEqual([]);
  });
});
