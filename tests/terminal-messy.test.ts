/**
 * Issue 9 on the terminal adapter: the messages from "What goes wrong today", typed one after
 * another into a piped `npm start`, each answered as a runner would expect.
 */
import { describe, expect, it } from "vitest";
import { shippedKnowledge } from "./helpers/knowledge.ts";
import { converse } from "./helpers/terminal.ts";

const w = shippedKnowledge().wording;

describe("the terminal with messy chat", () => {
  it("confirms a typo'd warning sign with the A&E advice instead of answering an FAQ", async () => {
    const out = await converse(["fell over and i cant put wieght on my knee"]);
    expect(out).toMatch(/did you mean/i);
    expect(out).toContain("A&E");
  });

  it("answers a question during the check and carries on; records a description", async () => {
    const out = await converse([
      "check my knee",
      "should I ice my knee?",
      "the outside of my knee starts hurting about 3km into every run",
      "nah none of that",
      "cancel",
    ]);
    expect(out).toContain(w.triage_resume);
    expect(out).toMatch(/noted: [^\n]*outer side/);
    expect(out).not.toMatch(/did you mean .*None of these/i);
    expect(out).toContain("stopped the knee check");
  });

  it("says it only covers knees, and only reads English", async () => {
    const out = await converse(["my hip hurts when I run", "j'ai mal au genou"]);
    expect(out).toContain("only cover knee pain");
    expect(out).toContain("only read English");
  });
});
