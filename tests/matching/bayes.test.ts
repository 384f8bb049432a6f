import { describe, expect, it } from "vitest";
import { createMatcher } from "../../src/matcher.ts";
import { createBayes } from "../../src/matching/bayes.ts";
import type { QueryWord } from "../../src/matching/scorer.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";

const entry = (id: string, question: string, alternates: string[], keywords: string[] = []) => ({
  id,
  question,
  alternates,
  keywords,
});
const toTokens = (text: string) => text.toLowerCase().split(/\W+/).filter(Boolean);
const q = (text: string, factor = 1): QueryWord[] =>
  toTokens(text).map((token) => ({ token, factor, source: "plain" }));

const faq = [
  entry(
    "carry-on",
    "should i keep running or stop",
    ["keep going or rest", "stop running or carry on"],
    ["keep running"],
  ),
  entry(
    "outer-knee",
    "pain on the outside of the knee",
    ["outside knee hurts", "outer knee pain"],
    ["outside"],
  ),
  entry("ice", "should i ice my knee", ["ice or heat", "how long to ice"], ["ice"]),
];

describe("naive Bayes' second opinion", () => {
  const bayes = createBayes(faq, toTokens, new Set(["should", "i", "or", "my", "the", "of", "on"]));
  const all = faq.map((e) => e.id);

  it("ranks by every word's evidence, so one vivid detail does not outvote the question", () => {
    const story = [
      ...q("my knee hurts on the outside", 0.4),
      ...q("should i keep running or stop rest"),
    ];
    expect(bayes.rank(story, all).ranked[0]!.id).toBe("carry-on");
  });

  it("learns the words runners use from an entry's example messages, at less than a phrasing's weight", () => {
    const post = q("my knee is grumbling since the hilly ten miler");
    const plain = createBayes(faq, toTokens, new Set());
    expect(plain.rank(post, all).ranked[0]!.id).not.toBe("ice");
    const taught = createBayes(faq, toTokens, new Set(), {
      ice: ["knee grumbling after a hilly ten miler, frozen peas tonight?"],
    });
    expect(taught.rank(post, all).ranked[0]!.id).toBe("ice");
    // An example counts less than a phrasing: the same words as a phrasing weigh more.
    const asPhrasing = createBayes(
      faq.map((e) =>
        e.id === "ice"
          ? { ...e, alternates: [...e.alternates, "knee grumbling after a hilly ten miler"] }
          : e,
      ),
      toTokens,
      new Set(),
    );
    expect(asPhrasing.rank(post, all).posterior).toBeGreaterThan(taught.rank(post, all).posterior);
  });

  it("lets a sentence's weight decide between two readings", () => {
    const asked = [...q("outside knee hurts"), ...q("keep running", 0.2)];
    expect(bayes.rank(asked, all).ranked[0]!.id).toBe("outer-knee");
    const context = [...q("outside knee hurts", 0.2), ...q("keep running")];
    expect(bayes.rank(context, all).ranked[0]!.id).toBe("carry-on");
  });

  it("gives a posterior between 0 and 1, higher when the words point one way", () => {
    const clear = bayes.rank(q("ice ice heat how long to ice"), all).posterior;
    const vague = bayes.rank(q("knee"), all).posterior;
    expect(clear).toBeGreaterThan(vague);
    expect(clear).toBeLessThanOrEqual(1);
    expect(vague).toBeGreaterThan(0);
  });

  it("ranks only the entries it is given, and ignores unknown ids", () => {
    const r = bayes.rank(q("ice ice heat how long to ice"), ["carry-on", "outer-knee", "nope"]);
    expect(r.ranked.map((x) => x.id).sort()).toEqual(["carry-on", "outer-knee"]);
  });

  it("has no opinion on words it has never seen, or on ignored words only", () => {
    expect(bayes.rank(q("quantum chromodynamics"), all).ranked).toEqual([]);
    expect(bayes.rank(q("should i"), all).ranked).toEqual([]);
  });
});

describe("the matcher with the second opinion, on a long post", () => {
  const m = createMatcher(shippedKnowledge());

  it("answers the post's question, not its most vivid detail", () => {
    // Read lexically, "IT band" and "outside of my knee" win (itb-symptoms); the question is
    // whether to keep running.
    const r = m.match(
      "Been building up slowly but the last couple of runs my IT band area on the outside of my knee " +
        "has tightened up around 5k in. Is it safe to keep running on it or should I stop until it settles?",
    );
    expect(r.id).toBe("run-through-pain");
  });

  it("leaves short chat questions to the lexical ranking", () => {
    expect(m.explain("should i ice my knee").candidates[0]!.id).toBe("icing");
  });
});
