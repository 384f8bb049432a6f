import { describe, expect, it } from "vitest";
import { chat } from "./helpers/conversation.ts";
import { shippedKnowledge, testEngine } from "./helpers/knowledge.ts";

// The facts a runner must be told, whichever way they ask: "privacy" or "what do you store?".
const FACTS: Array<[string, RegExp]> = [
  ["triage answers are kept", /answers/i],
  ["how long", /\d+ days/i],
  ["check-ins are kept", /check-ins/i],
  ["feedback and unanswered questions carry no id", /(no user id|without your name or id)/i],
  ["logs hold no message text", /logs never contain what you (type|wrote)/i],
  ["health chats are private", /private/i],
  ["how to delete everything", /\*\*forget me\*\*/i],
];

describe("the privacy notice", () => {
  it("says the same as the privacy-data FAQ entry", async () => {
    const notice = (await chat(testEngine()).command("privacy")).find(
      (r) => r.kind === "info",
    )!.text;
    const faq = shippedKnowledge().faq.find((e) => e.id === "privacy-data")!.answer;
    for (const [fact, re] of FACTS) {
      expect(notice, `privacy notice: ${fact}`).toMatch(re);
      expect(faq, `privacy-data entry: ${fact}`).toMatch(re);
    }
  });

  it("states the session lifetime the club configured", async () => {
    const c = chat(testEngine({ sessionTtlMs: 7 * 86_400_000 }));
    expect((await c.say("privacy")).find((r) => r.kind === "info")!.text).toMatch(/after 7 days/);
  });
});
