import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKneebotError } from "../../src/errors.ts";
import { sanitizeInput } from "../../src/text/normalize.ts";

const clean = (text: string, max = 2000) => sanitizeInput(text, max).text;

describe("sanitizeInput", () => {
  it("normalises to NFC so composed and decomposed letters match", () => {
    expect(clean("caf\u0065\u0301 knee")).toBe("caf\u00e9 knee");
    expect(clean("Ångström")).toBe("Ångström".normalize("NFC"));
    expect(clean("e\u0301")).toHaveLength(1);
  });

  it.each([
    ["zero-width space", "\u200B"],
    ["zero-width non-joiner", "\u200C"],
    ["zero-width joiner", "\u200D"],
    ["word joiner", "\u2060"],
    ["byte-order mark", "\uFEFF"],
    ["left-to-right mark", "\u200E"],
    ["right-to-left mark", "\u200F"],
    ["Arabic letter mark", "\u061C"],
    ["LRE", "\u202A"],
    ["RLE", "\u202B"],
    ["PDF", "\u202C"],
    ["LRO", "\u202D"],
    ["RLO", "\u202E"],
    ["LRI", "\u2066"],
    ["RLI", "\u2067"],
    ["FSI", "\u2068"],
    ["PDI", "\u2069"],
    ["soft hyphen", "\u00AD"],
    ["tag character", "\u{E0041}"],
  ])("removes %s hidden inside a word", (_name, ch) => {
    expect(clean(`kn${ch}ee pa${ch}${ch}in`)).toBe("knee pain");
  });

  it("defuses a right-to-left override while keeping real RTL text", () => {
    expect(clean("\u202Enip eenk\u202C")).toBe("nip eenk");
    expect(clean("\u2067ألم الركبة\u2069 after runs")).toBe("ألم الركبة after runs");
    expect(clean("כאב בברך")).toBe("כאב בברך");
  });

  it("removes control characters but keeps tabs and newlines as whitespace", () => {
    expect(clean("a\u0000b\u0007c\u001Bd\u007Fe\u0085f\u009Fg")).toBe("abcde\nfg");
    expect(clean("knee\tpain")).toBe("knee pain");
    expect(clean("line one\r\nline two\rline three")).toBe("line one\nline two\nline three");
    expect(clean("a\u2028b\u2029c")).toBe("a\nb\nc");
  });

  it("collapses whitespace runs and keeps at most one blank line", () => {
    expect(clean("  knee \u00A0\u2003 pain \t ")).toBe("knee pain");
    expect(clean("first  \n\n\n\n   second\n third")).toBe("first\n\nsecond\nthird");
    expect(clean(" \n\t\u3000 ")).toBe("");
  });

  it("splits emoji ZWJ sequences but keeps every visible emoji", () => {
    expect(clean("👨‍👩‍👧 run club")).toBe("👨👩👧 run club");
    expect(clean("🏃‍♀️")).toBe("🏃♀️");
    expect(clean("👍🏽 ❤️ 1️⃣")).toBe("👍🏽 ❤️ 1️⃣");
  });

  it("caps piles of combining marks (Zalgo) at four per letter", () => {
    const zalgo = `k${"\u0300\u0301\u0302\u0303\u0304\u0305\u0306\u0307".repeat(5)}nee`;
    const out = clean(zalgo);
    expect(out.startsWith("k")).toBe(true);
    expect(out.endsWith("nee")).toBe(true);
    expect(Array.from(out)).toHaveLength(1 + 4 + 3);
    expect(clean("Tiếng Việt")).toBe("Tiếng Việt".normalize("NFC"));
  });

  it("removes lone surrogates", () => {
    expect(clean("knee\uD800 pain\uDFFF")).toBe("knee pain");
  });

  it("reports no truncation at exactly maxChars", () => {
    expect(sanitizeInput("abcde", 5)).toEqual({ text: "abcde", truncated: false });
  });

  it("cuts at maxChars code points without splitting a surrogate pair", () => {
    expect(sanitizeInput("abcdef", 5)).toEqual({ text: "abcde", truncated: true });
    const emoji = sanitizeInput("😀".repeat(10), 5);
    expect(emoji).toEqual({ text: "😀".repeat(5), truncated: true });
    expect(sanitizeInput("abcd efgh", 5)).toEqual({ text: "abcd", truncated: true });
  });

  it("measures length after cleaning, so invisible padding is not counted", () => {
    expect(sanitizeInput(`knee${"\u200B".repeat(5000)}`, 10)).toEqual({
      text: "knee",
      truncated: false,
    });
  });

  it("rejects a maxChars that is not a positive whole number", () => {
    for (const bad of [0, -1, 1.5, Number.NaN]) {
      try {
        sanitizeInput("x", bad);
        expect.unreachable("should throw");
      } catch (err) {
        expect(isKneebotError(err, "internal")).toBe(true);
      }
    }
  });

  it("always yields clean, bounded, stable text (property)", () => {
    const hostile = fc.constantFrom(
      "\u200B",
      "\u200D",
      "\u202E",
      "\u2066",
      "\uFEFF",
      "\u0000",
      "\u001B",
      "\r\n",
      "\t",
      "\u00A0",
      "\u0301",
      "\uD83D",
      "👨‍👩‍👧",
      " ",
      "\n",
      "e",
      "ا",
    );
    const input = fc.array(fc.oneof(fc.string({ unit: "grapheme" }), hostile), { maxLength: 60 });
    fc.assert(
      fc.property(input, fc.integer({ min: 1, max: 80 }), (parts, max) => {
        const { text, truncated } = sanitizeInput(parts.join(""), max);
        expect(Array.from(text).length).toBeLessThanOrEqual(max);
        // Tabs included: they must have become spaces.
        // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting none are left.
        expect(text).not.toMatch(/\p{Cf}|\p{Cs}|[\u0000-\u0009\u000B-\u001F\u007F-\u009F]/u);
        expect(text).toBe(text.trim());
        expect(text).not.toMatch(/ {2}|\n{3}/);
        expect(text).toBe(text.normalize("NFC"));
        if (!truncated) expect(sanitizeInput(text, max)).toEqual({ text, truncated: false });
      }),
    );
  });
});
