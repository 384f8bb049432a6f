import { describe, expect, it } from "vitest";
import type { TurnScope } from "../../src/engine/context.ts";
import { answerReply } from "../../src/engine/faq.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";

// answerReply reads only the knowledge from its scope.
const scope = { ctx: { knowledge: shippedKnowledge() } } as unknown as TurnScope;
const entry = (id: string) => shippedKnowledge().faq.find((e) => e.id === id)!;

describe("a second question in the same message", () => {
  it("is offered first among the answer's choices", () => {
    const r = answerReply(scope, entry("icing"), false, "return-to-running");
    const values = r.choices!.options.map((o) => o.value);
    expect(values[2]).toBe("return-to-running");
    expect(values.filter((v) => v === "return-to-running")).toHaveLength(1);
    expect(values.length).toBeLessThanOrEqual(5);
  });

  it("changes nothing when absent or the same entry", () => {
    const plain = answerReply(scope, entry("icing"), false);
    expect(answerReply(scope, entry("icing"), false, "icing").choices).toEqual(plain.choices);
  });
});
