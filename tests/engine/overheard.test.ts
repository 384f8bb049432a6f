import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { accepted, readReal } from "../../bench/faq-real.ts";
import { OVERHEARD_MIN_SCORE } from "../../src/engine/overheard.ts";
import { createMemoryInsightStore, createMemorySessionStore } from "../../src/store/memory.ts";
import type { Turn } from "../../src/types.ts";
import { EVAL_DIR, testEngine } from "../helpers/knowledge.ts";

/** A message read in a help channel without a mention. */
const overheard = (text: string, userId = "u1"): Turn => ({
  platform: "test",
  userId,
  place: { kind: "channel", id: "help" },
  overheard: true,
  type: "text",
  text,
});

describe("messages overheard in a help channel", () => {
  it("answers a confident general question in public, and keeps no session", async () => {
    const sessions = createMemorySessionStore();
    const e = testEngine({ sessions });
    const replies = await e.handle(overheard("should i ice my knee after a run?"));
    expect(replies.map((r) => r.kind)).toEqual(["answer"]);
    expect(replies[0]!.visibility).toBe("public");
    expect(replies[0]!.meta?.faqId).toBe("icing");
    expect(await sessions.get("test:u1")).toBeUndefined();
  });

  it("stays silent on small talk, club logistics and questions it is unsure of, and records none", async () => {
    const insights = createMemoryInsightStore();
    const e = testEngine({ insights });
    for (const text of [
      "morning all",
      "great run this morning everyone!",
      "what time does the sunday club run start?",
      "anyone fancy a coffee after parkrun?",
      "is the knee thing from last week any better?",
      "how do i get a club vest?",
      "i was hoping to lose some weight during marathon training, is it common not to?",
      "how many days a week should i run to get ready for a 5k?",
      "my calf has been tight since sunday, any tips?",
    ]) {
      expect(await e.handle(overheard(text)), text).toEqual([]);
    }
    expect(await insights.listUnanswered(10)).toEqual([]);
  });

  it("never examines a member's own knee in public: it offers a private check instead", async () => {
    const sessions = createMemorySessionStore();
    const e = testEngine({ sessions });
    const replies = await e.handle(
      overheard("my knee has been aching on the outside after my long runs this month"),
    );
    expect(replies).toHaveLength(1);
    const offer = replies[0]!;
    expect(offer.visibility).toBe("public");
    expect(offer.kind).not.toBe("question");
    expect(offer.text).not.toMatch(/outside|long run/i);
    const button = offer.choices!;
    expect(button.options).toHaveLength(1);
    expect(await sessions.get("test:u1")).toBeUndefined();

    // The button starts the check, privately, for whoever presses it.
    const next = await e.handle({
      platform: "test",
      userId: "u1",
      place: { kind: "channel", id: "help" },
      type: "choice",
      setId: button.id,
      values: [button.options[0]!.value],
    });
    const question = next.find((r) => r.kind === "question");
    expect(question?.visibility).toBe("private");
    // Nothing of it is public, not even the first-time greeting.
    expect(next.filter((r) => r.visibility === "public")).toEqual([]);
  });

  it("answers a warning sign even in passing, with general advice and the private check", async () => {
    const e = testEngine();
    const replies = await e.handle(
      overheard(
        "fell on the trail and now my knee looks bent the wrong way and i cant put weight on it",
      ),
    );
    expect(replies.map((r) => r.kind)).toEqual(["urgent"]);
    expect(replies[0]!.meta?.redFlags?.length).toBeGreaterThan(0);
    expect(replies[0]!.choices?.options).toHaveLength(1);
  });

  it("answers in public, unasked, only a clear match; asked, the same question is answered", async () => {
    const e = testEngine();
    const text = "all the women in our club seem to get knee issues, is there a reason";
    const asked = await e.handle({ ...overheard(text), overheard: false });
    expect(asked.find((r) => r.kind === "answer")?.meta?.faqId).toBe("women-knee-pain");
    expect(Number(asked.find((r) => r.kind === "answer")?.meta?.score)).toBeLessThan(
      OVERHEARD_MIN_SCORE,
    );
    expect(await e.handle(overheard(text, "u2"))).toEqual([]);
  });

  it("is silent when a member talks about another body part, or the turn isn't in a channel", async () => {
    const e = testEngine();
    expect(await e.handle(overheard("my hip has been sore since sunday"))).toEqual([]);
    expect(
      await e.handle({ ...overheard("should i ice my knee?"), place: { kind: "dm" } }),
    ).toEqual([]);
  });

  it("never answers an overheard flood with a rate-limit notice", async () => {
    let taken = 0;
    const e = testEngine({
      rateLimiter: {
        take: () => (++taken === 1 ? "ok" : "limited-first"),
      } as never,
    });
    expect(await e.handle(overheard("should i ice my knee?"))).toHaveLength(1);
    expect(await e.handle(overheard("should i ice my knee?"))).toEqual([]);
  });

  it("on real forum posts, never answers an out-of-scope one in public", async () => {
    const e = testEngine();
    const posts = readReal(join(EVAL_DIR, "faq-real.jsonl")).filter(
      (l) => accepted(l).length === 0,
    );
    expect(posts.length).toBeGreaterThanOrEqual(30);
    for (const l of posts) {
      const replies = await e.handle(overheard(l.q));
      expect(
        replies.filter((r) => r.kind === "answer"),
        l.q,
      ).toEqual([]);
    }
  });
});
