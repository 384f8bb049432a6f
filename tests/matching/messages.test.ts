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

  it.each([
    "turmeric for knee pain",
    "does turmeric help knees",
    "collagen for knee pain",
    "glucosamine for my knees?",
  ])("neither answers nor offers anything for a subject the FAQ doesn't know: %s", (q) => {
    const r = m.match(q);
    expect(r.id).toBeNull();
    // No "did you mean" either: the question goes to the unanswered list for the organisers.
    expect(r.alternatives).toEqual([]);
  });

  it("does not let a stopword decide scope ('story' and 'store' share a stem)", () => {
    expect(m.match("whats your worst fall story").id).toBeNull();
    expect(m.match("what's your best running story?").id).toBeNull();
    expect(m.match("what data do you store about me").id).toBe("privacy-data");
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

  it("does not read 'head' in 'head out the door' as a body part, but still reads a sore head", () => {
    expect(
      m.match("heading out for a run, should I warm up first or just go?").outOfScope,
    ).toBeFalsy();
    expect(m.match("my head hurts after running").outOfScope).toBe(true);
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

describe("long posts that never say knee", () => {
  it.each([
    [
      "I ran right up until I found out I was pregnant and I am now about ten weeks along. Everything I read says something different. Is it fine to keep jogging three times a week at an easy pace?",
      "pregnancy-running",
    ],
    [
      "Three weeks into the plan and one spot on my shin is really tender to press, worse than the rest. It even aches when I stand for a while. Could this be a stress fracture rather than the usual splints?",
      "bone-stress-injury",
    ],
    [
      "There is a big park with grass paths next to my house but most of my runs are on the pavement because it is quicker. Which is kinder on the joints in the long run, or does it not matter?",
      "running-surface",
    ],
    [
      "I always skip the warm up because I run before work and time is short. I just head out the door and start at my normal pace. Is a warm up actually worth the extra ten minutes?",
      "warm-up",
    ],
  ])("answers a subject the FAQ covers for any runner: %s", (q, want) => {
    expect(m.match(q).id).toBe(want);
  });

  it.each([
    "I started the plan a month ago and my shins have been sore after every run, they burn for the first ten minutes and then settle. I have been icing them at night. Should I rest a week?",
    "My achilles is stiff and sore every morning since I upped my runs to four a week. It eases once I get going. I iced it and warmed up longer but it is no better. Carry on or stop?",
    "I want to run a half marathon at 8 minute miles next month, my longest run is 10 miles at 9 minute pace. Is that too ambitious or should I aim for something slower on the day?",
  ])("stays silent on a story about something else: %s", (q) => {
    expect(m.match(q).id).toBeNull();
  });
});

describe("titles and asking words", () => {
  it("reads a short first line as the post's title", () => {
    const segs = segment(
      "Knee brace for a marathon\nI have a race in a month and my knee has been a bit sore lately on long runs.",
    );
    expect(segs[0]).toEqual({ text: "Knee brace for a marathon", asks: true });
    expect(segs[1]?.asks).toBe(false);
    // Not a title: the same words inside a sentence, or a long first line.
    expect(segment("Knee brace for a marathon. I have a race in a month.")[0]?.asks).toBe(false);
    expect(
      segment("I have been running for years with no problems at all until now\nIt hurts.")[0]
        ?.asks,
    ).toBe(false);
  });

  it("reads a race counted down in weeks or days as an upcoming race", () => {
    for (const q of [
      "marathon is 3 weeks away and my knee is niggling, should i still run it",
      "10 days to go till my half and my knee has started aching, do i pull out",
    ]) {
      expect(m.explain(q).candidates[0]?.id, q).toBe("knee-pain-before-race");
    }
  });

  it("knows the plain words of common questions (strengthen, developing arthritis, conceive)", () => {
    expect(m.match("how can i strengthen my knees").id).toBe("strengthening");
    expect(m.match("Is there any connection between running and developing arthritis?").id).toBe(
      "running-causes-oa",
    );
    expect(m.explain("can i keep running while trying to conceive").candidates[0]?.id).toBe(
      "pregnancy-running",
    );
  });

  it("reads where it hurts whichever knee it is, and 'back' of the knee apart from 'back to running'", () => {
    const q =
      "I am experiencing a pain in the back of my left knee. It started just after I did a 48km run. I feel it constantly when I walk or run.";
    expect(m.explain(q).candidates[0]?.id).toBe("pain-back-of-knee");
    expect(m.explain("aching behind my right knee after long runs").candidates[0]?.id).toBe(
      "pain-back-of-knee",
    );
  });

  it("reads the runner's age as a topic ('im 64' is an older runner)", () => {
    const top = (q: string) => m.explain(q).candidates[0]?.id;
    expect(top("im 67, any tips for keeping my knees healthy on my runs")).toBe("older-runners");
    expect(top("im 27, any tips for keeping my knees healthy on my runs")).not.toBe(
      "older-runners",
    );
    expect(top("I am 58, should I worry about my knees running marathons")).toBe("older-runners");
    expect(top("in my 60s now, will running keep my knees ok")).toBe("older-runners");
  });

  it("reads a long post about a kneecap or cartilage as a knee question without the word knee", () => {
    const q =
      "6 months post op from a cartilage repair, surgeon cleared me for the gym but is running ok yet? itching to get back to parkrun";
    expect(m.match(q).id).toBe("after-knee-surgery");
  });

  it("never 'corrects' a real English word into another, but still corrects typos", () => {
    expect(m.match("Do I need to join the Club before I run?").id).toBeNull();
    expect(m.match("Do you have any advice with side stitches?").id).toBeNull();
    expect(m.explain("which pair of shoes for sore knees").tokens).not.toContain("pain");
    expect(m.explain("my knee locked up on my run").tokens).not.toContain("look");
    // Not English: corrected as before.
    expect(m.match("shud i ice my kne").id).toBe("icing");
  });

  it("reads 'why?' as asking for the cause", () => {
    expect(m.explain("My knees hurt when I run. Why?").candidates[0]?.id).toBe(
      "runners-knee-causes",
    );
  });

  it("does not read a knee named only to rule it out as a knee question", () => {
    expect(m.match("my ankle, not my knee, swells up after long runs. why?").outOfScope).toBe(true);
    expect(m.match("my knee, not my ankle, swells up after runs").id).toBe("knee-swelling");
  });

  it("does not answer an ache in another part of the body: my arms ache after a long run, why", () => {
    const r = m.match("my arms ache after a long run, why");
    expect(r.id).toBeNull();
    expect(r.outOfScope).toBe(true);
  });

  it("reads a message made only of small-talk phrases as small talk, and nothing with a knee in it", () => {
    for (const q of [
      "you're great, thanks kneebot",
      "morning all, how are you",
      "ok thanks, nice one",
    ])
      expect(m.match(q).smallTalk, q).toBe(true);
    expect(m.match("thanks, my knee still hurts on the stairs").smallTalk).toBeFalsy();
    expect(m.match("thanks, my knee still hurts on the stairs").id).toBe("stairs-knee-pain");
  });

  it("matches the lexicon's phrases on word stems ('Baker's cyst' is a knee term)", () => {
    const q =
      "Baker's cyst. Yep, that's my diagnosis. My doc suggested in a subtle way that maybe I should give up the idea of running a marathon. What are my chances? How do I deal with this?";
    expect(m.explain(q).candidates[0]?.id).toBe("bakers-cyst");
  });

  it.each([
    [
      "club chat",
      "knee's grumbling a bit, crack on or stop? it's only a niggle",
      "run-through-pain",
    ],
    ["club chat", "what brings on pain behind the kneecap in runners", "runners-knee-causes"],
    ["club chat", "can people with an artificial knee still go jogging", "knee-replacement"],
    ["club chat", "is jogging safe while I'm expecting a baby", "pregnancy-running"],
    ["club chat", "what information do you keep on me", "privacy-data"],
    ["club chat", "going from 20 to 40 mpw for a marathon, how fast is safe?", "mileage-increase"],
    ["lay words", "outer thigh band pain at knee, how to fix pls", "itb-relief"],
    [
      "lay words",
      "doctor find small water balloon in back of knee. i can still run with this?",
      "bakers-cyst",
    ],
    ["lay words", "tell tale signs of the kneecap pain syndrome?", "runners-knee-symptoms"],
    ["lay words", "which muscles should i lengthen out for a sore knee", "stretching"],
    ["core question", "can i run through the pain", "run-through-pain"],
    ["core question", "my knee aches at the back after long runs, what is it", "pain-back-of-knee"],
    ["core question", "should i run through it", "run-through-pain"],
    ["core question", "is this chat private", "privacy-data"],
    ["core question", "do you keep my messages", "privacy-data"],
    ["core question", "can i start couch to 5k at 65", "older-runners"],
    ["core question", "does tapping help knee pain", "taping"],
  ])("knows how runners put it (%s): %s", (_kind, q, id) => {
    expect(m.match(q).id).toBe(id);
  });

  it("does not read 'any advice?' as a question about medical advice", () => {
    const q =
      "My training partner has had runners knee for months. She has tried everything I did when I had it and still has pain on every run. Does anyone have any advice?";
    const ranked = m.explain(q).candidates.map((c) => c.id);
    expect(ranked.length).toBeGreaterThan(0);
    expect(ranked[0]).not.toBe("bot-disclaimer");
    // Without the rule, "advice" (a keyword of the bot's own disclaimer) put it first.
    expect(ranked.indexOf("bot-disclaimer")).not.toBe(0);
  });
});

describe("subjects the FAQ doesn't cover", () => {
  it.each([
    "what shoes are best for a faster 10k",
    "are super shoes worth it for a parkrun pb",
    "how do i stop blisters from my new trainers",
  ])("says it doesn't cover a short message about another subject: %s", (q) => {
    const r = m.match(q);
    expect(r.id).toBeNull();
    expect(r.outOfScope).toBe(true);
  });

  it.each([
    ["does my weight affect my knees when i run", "body-weight"],
    ["should i lose weight before i start running", "body-weight"],
    ["could my new shoes be why my knee hurts", "shoes"],
    ["training for my first marathon, how much should i add each week", "mileage-increase"],
  ])("still answers when the knee is named or something hurts: %s", (q, id) => {
    expect(m.match(q).id).toBe(id);
  });
});

describe("what is asked about a condition", () => {
  it.each([
    ["my IT band flares up after 10k every time, how do I get rid of it?", "itb-relief"],
    ["outer knee pain at mile 4, what is behind ITB trouble?", "itb-causes"],
    ["whats ITBS actually, heard it at the club", "itb-syndrome"],
    ["is there a way to tell whether this is runners knee", "runners-knee-symptoms"],
    ["how do i stop getting runners knee every marathon block", "runners-knee-prevention"],
    ["arthritis in my knee, any tips for running with it?", "oa-running"],
    ["sore at the front of my knee, how do i know if its runners knee", "runners-knee-symptoms"],
    // Already first, but close to "what causes runner's knee": the ask settles it.
    ["How do I know if I have runner's knee?", "runners-knee-symptoms"],
    // How long it lasts is a question of getting over it; "come back" asks to prevent it.
    ["how long does runners knee last", "runners-knee-relief"],
    ["had PFPS last year, any tips so it doesnt come back", "runners-knee-prevention"],
  ])("answers the member of the family that is asked: %s", (q, id) => {
    const r = m.match(q);
    expect(r.id).toBe(id);
    expect(r.ambiguous).toBe(false);
  });

  it("keeps the comparison when the message names both conditions, or signs of the other", () => {
    for (const q of [
      "how do i tell runners knee from itb",
      "pain on the outside of my knee, could it be runners knee?",
    ]) {
      expect(m.match(q).id, q).toBe("inside-vs-outside");
    }
  });

  it("leaves the ranking alone when nothing or several things are asked", () => {
    const lexicon = { ...shippedKnowledge().lexicon, families: [] };
    const plain = createMatcher({ ...shippedKnowledge(), lexicon });
    for (const q of [
      "runners knee",
      "ITB pain, why does it happen and how do I treat it",
      "my IT band is sore",
    ]) {
      expect(m.match(q).id, q).toBe(plain.match(q).id);
    }
  });

  it("without families, the same question gets the wrong member", () => {
    const lexicon = { ...shippedKnowledge().lexicon, families: [] };
    const plain = createMatcher({ ...shippedKnowledge(), lexicon });
    const q = "outside of my knee flares up at 6 miles on every long run, how do i get rid of it";
    expect(plain.match(q).id).not.toBe("itb-relief");
    expect(m.match(q).id).toBe("itb-relief");
  });
});
