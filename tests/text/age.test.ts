import { describe, expect, it } from "vitest";
import { parseAge } from "../../src/text/quantities.ts";
import { words } from "../../src/text/tokens.ts";

const age = (text: string) => parseAge(words(text), false);

describe("the runner's age in free text", () => {
  it.each([
    ["im 64, are my knees going to cope", 64],
    ["I'm 52 and only took up running", 52],
    ["64 year old runner here", 64],
    ["my son is 14", 14],
    ["aged 58 with a dodgy knee", 58],
    ["can i start couch to 5k at 65", 65],
    ["im 60 am i too old to start", 60],
  ])("reads %j as %i", (text, n) => {
    expect(age(text)).toBe(n);
  });

  it.each([
    "I'm 16.5 stone and want to start running",
    "i am 15.5 st, is that too heavy",
    "I look and feel like a 90 year old man trying to get started",
    "I'm 5 weeks into couch to 5k",
    "my knee went at 10 km",
    "it started at 45 seconds into the rep",
    "parkrun starts at 9 am",
  ])("finds no age in %j", (text) => {
    expect(age(text)).toBeUndefined();
  });
});
