/** The engine records the organiser's report events (issue 12): no user id, no text. */
import { describe, expect, it } from "vitest";
import { runVignette } from "../../bin/triage-runner.ts";
import { createMemoryInsightStore } from "../../src/store/memory.ts";
import { shippedKnowledge, testEngine } from "../helpers/knowledge.ts";

describe("insight events", () => {
  it("records answers, unanswered questions and check outcomes, with the platform only", async () => {
    const insights = createMemoryInsightStore();
    const engine = testEngine({ insights });
    const base = { platform: "slack", userId: "U-secret", place: { kind: "dm" as const } };
    await engine.handle({ ...base, type: "text", text: "should I ice my knee?" });
    await engine.handle({ ...base, type: "text", text: "what is the capital of peru" });
    await runVignette(
      engine,
      shippedKnowledge(),
      { id: "v", findings: { onset: "gradual", location: "front", age_45_plus: "no" } },
      "U-other",
    );
    const events = await insights.listEvents!(0);
    expect(events).toContainEqual(
      expect.objectContaining({ type: "answered", faqId: "icing", platform: "slack" }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: "unanswered", platform: "slack" }),
    );
    expect(events).toContainEqual(
      expect.objectContaining({ type: "check", level: "self_care", condition: "pfps" }),
    );
    const raw = JSON.stringify(events);
    expect(raw).not.toContain("U-secret");
    expect(raw).not.toContain("U-other");
    expect(raw).not.toContain("peru");
  });
});
