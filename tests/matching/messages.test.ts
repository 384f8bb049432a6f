import { describe, expect, it } from "vitest";
import { createMatcher } from "../../src/matcher.ts";
import { segment } from "../../src/matching/segments.ts";
import { createSpeller } from "../../src/text/speller.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";

const m = createMatcher(shippedKnowledge());
const ids = new Set(shippedKnowledge().faq.map((e) => e.id));
/** The acceptable answers that exist in the shipped knowledge (new entries may still be landing). */
const existing = (...want: string[]) => want.filter((id) => ids.has(id));

describe("the examples of issue 10 answer as a runner would expect", () => {
  it.each([
    [
      "My physio told me last year that I have early osteoarthritis in my right knee. I love my parkruns. Is it sensible to keep going or am I making it worse?",
      ["oa-running"],
    ],
    [
      "Whenever I run down the big hill near my house I feel like I'm pounding my knees and I end up braking the whole way. How should I actually be running downhill?",
      ["downhill-running"],
    ],
    [
      "Week 5 of the couch to 5k plan and my left knee has started really hurting on the runs. Do I push on with the programme or take a break for a bit?",
      ["beginner-knee-pain", "run-through-pain"],
    ],
    [
      "Who is the right person to go to about knee pain from running?",
      ["physical-therapy", "see-a-doctor"],
    ],
    ["do i need to stretch my quads and glutes", ["stretching", "strengthening"]],
    ["hw do i trete runers nee", ["runners-knee-relief", "runners-knee"]],
  ])("%s", (q, want) => {
    const r = m.match(q);
    expect(existing(...want)).not.toHaveLength(0);
    expect(existing(...want)).toContain(r.id);
    expect(r.outOfScope).toBeFalsy();
  });

  it.each([
    "what time does the sunday club run start",
    "Do I have to be a member to run with you?",
    "why do i feel out of breath when running",
    "I've got a 10k on Saturday. What should I eat the night before? I always feel sluggish on race day.",
  ])("club logistics and other running topics get no knee answer: %s", (q) => {
    const r = m.match(q);
    expect(r.id).toBeNull();
    expect(r.alternatives).toEqual([]);
  });

  it("says a listed off-topic subject is not covered, and doesn't know the rest", () => {
    expect(m.match("what time does the sunday club run start").outOfScope).toBe(true);
    expect(m.match("can you write me a poem").outOfScope).toBeFalsy();
    expect(m.match("can you write me a poem").id).toBeNull();
  });
});

describe("messages, not queries", () => {
  it("finds the sentences that ask, with or without a question mark", () => {
    const s = segment(
      "Got to week 7 and developed a painful knee. Should I stop or carry on with the programme. Any advice welcome",
    );
    expect(s.map((x) => x.asks)).toEqual([false, true, true]);
  });

  it("lets context support an entry without drowning the question", () => {
    const r = m.match(
      "I've been running for about six months, mostly parkruns and the odd 10k with my club. Last Sunday my knee swelled up after the long run and it still looks puffy. Why is it swollen?",
    );
    expect(r.id).toBe("knee-swelling");
  });

  it("answers the best of two questions and offers the other", () => {
    const r = m.match(
      "My knee swelled up after the long run yesterday. Should I ice it or use heat? And when can I start running again?",
    );
    expect(r.id).toBe("icing");
    expect(r.also).toBe("return-to-running");
  });

  it("offers nothing extra when a message asks one thing", () => {
    expect(m.match("should I ice my knee after a run?").also).toBeUndefined();
  });

  it("reads a question fragment with the rest of the message, not alone", () => {
    const r = m.match("best way to treat an angry it band? stretches? hip work?");
    expect(r.id).not.toBe("stretching");
  });
});

describe("the body-part filter", () => {
  it.each([
    ["do i need to stretch my quads and glutes", "stretching"],
    ["should i stretch my hamstrings after a run", "stretching"],
  ])("lets through the muscles that treat knee pain: %s", (q, id) => {
    expect(m.match(q).id).toBe(id);
  });

  it.each([
    "my hip hurts",
    "rolled my ankle, should I ice it?",
    "pulled my hamstring doing strides, how long till i can run",
    "my shins have been killing me, is it shin splints?",
  ])("still stops another body part that hurts: %s", (q) => {
    const r = m.match(q);
    expect(r.id).toBeNull();
    expect(r.outOfScope).toBe(true);
  });

  it("never lets a false body part beat a knee match", () => {
    expect(m.match("does landing on my heel cause knee pain").id).toBe("running-form");
  });
});

describe("typos", () => {
  it("answers when the only evidence is typo-corrected words, if every correction is unambiguous", () => {
    const r = m.match("hw do i trete runers nee");
    expect(r.id).toBe("runners-knee-relief");
  });

  it("corrects dropped silent letters and phonetic spellings, and says when a correction is sure", () => {
    const s = createSpeller(
      new Map([
        ["knee", 3],
        ["treat", 2],
        ["card", 1],
        ["care", 1],
      ]),
    );
    expect(s.correction("nee")).toEqual({ word: "knee", sure: true });
    expect(s.correction("trete")).toEqual({ word: "treat", sure: true });
    expect(s.correction("carx")?.sure).toBe(false);
    expect(s.correction("knee")).toEqual({ word: "knee", sure: true });
    expect(s.correct("zzzz")).toBeNull();
  });
});
