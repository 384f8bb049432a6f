/**
 * Hostile and awkward user input: what runners (or pranksters) can paste into a chat. Used by
 * the hostile-input tests (through each adapter) and as part of the fuzzers' text pool.
 */

/** One corpus item: a short name for test titles, and the text a user sends. */
export interface HostileItem {
  name: string;
  text: string;
}

/** SQL-like items; the insight store must keep the ones it records verbatim. */
export const SQL_LIKE = [
  "'; DROP TABLE sessions; --",
  "'; DROP TABLE unanswered; --",
  "' OR 1=1; DROP TABLE sessions; --",
  "Robert'); DELETE FROM feedback WHERE 1=1;--",
] as const;

const ZALGO = `knee${"\u0301\u0302\u0303\u0304\u0305\u0306\u0307\u0308\u0309\u030A".repeat(8)} pain`;

/** The corpus. Every text is a string a platform could deliver as a message. */
export const HOSTILE_CORPUS: readonly HostileItem[] = [
  { name: "huge text (100k chars)", text: "my knee hurts ".repeat(7143).slice(0, 100_000) },
  { name: "huge text without spaces", text: "k".repeat(100_000) },
  { name: "huge emoji run", text: "🏃‍♀️".repeat(20_000) },
  { name: "huge astral run", text: "😀".repeat(50_000) },
  { name: "huge astral run, odd offset", text: `x${"😀".repeat(49_999)}` },
  { name: "just over the input cap", text: `${"why does my knee click ".repeat(87)}x` },
  {
    name: "binary / control bytes",
    text: "\u0000\u0001\u0002\u0007\b\u000B\f\u001B[31mred\u001B[0m\u007F\u0080\u009Fknee",
  },
  { name: "terminal escape: clear screen", text: "\u001B[2J\u001B[Hdoes ice help?" },
  { name: "carriage returns and tabs", text: "does\r\nice\rhelp\t?\u2028\u2029\u0085" },
  { name: "lone high surrogate", text: "knee \uD83D pain" },
  { name: "lone low surrogate", text: "\uDE00 knee pain \uDC00" },
  { name: "reversed surrogate pair", text: "\uDE03\uD83D does ice help" },
  { name: "only invisible characters", text: "\u200B\u200C\u200D\u2060\uFEFF\u00AD" },
  { name: "zero-width inside words", text: "kn\u200Bee p\u200Dain wh\uFEFFen running" },
  { name: "emoji", text: "🦵🏃‍♂️💥😭 knee 🔥🔥🔥" },
  { name: "ZWJ family sequences", text: "👨‍👩‍👧‍👦👩‍❤️‍💋‍👨🏳️‍🌈🧑🏽‍🦯" },
  { name: "flags and keycaps", text: "🇬🇧🇫🇷 1️⃣2️⃣#️⃣ knee" },
  { name: "combining marks / zalgo", text: ZALGO },
  { name: "decomposed accents (NFD)", text: "cafe\u0301 gene\u0300ve knee" },
  { name: "RTL text", text: "ركبتي تؤلمني عند الجري" },
  { name: "Hebrew with numbers", text: "הברך שלי כואבת 10 ימים" },
  { name: "bidi override", text: "\u202Eeenk ym\u202C hurts \u2066isolate\u2069 \u200F" },
  { name: "bidi-spoofed filename", text: "invoice\u202Efdp.exe knee" },
  {
    name: "Markdown",
    text: "**bold** _it_ `code` ```block``` > quote # heading ~~s~~ ||spoiler||",
  },
  {
    name: "Markdown link with javascript:",
    text: "[click me](javascript:alert(1)) [x](http://evil)",
  },
  { name: "HTML / script", text: "<script>alert('xss')</script><img src=x onerror=alert(1)>" },
  { name: "HTML entities", text: "&lt;b&gt; &amp;amp; &#x3C;script&#x3E; &nbsp;" },
  { name: "@everyone and @here", text: "@everyone @here my knee hurts" },
  { name: "Discord user and role mentions", text: "<@123> <@!456> <@&456> <#789> knee?" },
  { name: "Discord everyone mention mid-word", text: "hey@everyone,look @​everyone" },
  { name: "Slack broadcasts", text: "<!channel> <!everyone> <!here> knee pain" },
  { name: "Slack broadcasts with labels", text: "<!here|here> <!channel|@channel>" },
  { name: "Slack user and channel refs", text: "<@U123> <@U123|bob> <#C1> <#C1|general>" },
  { name: "Slack subteam and links", text: "<!subteam^S123|@runners> <https://evil.example|safe>" },
  { name: "Slack entities", text: "&lt;!channel&gt; &amp;lt;!here&amp;gt;" },
  { name: "pre-escaped Slack markup", text: "&lt;@U123&gt; <<!channel>>" },
  ...SQL_LIKE.map((text, i) => ({ name: `SQL-like ${i + 1}`, text })),
  { name: "SQL union", text: "1' OR '1'='1' UNION SELECT key, data FROM sessions --" },
  {
    name: "JSON-like",
    text: '{"type":"choice","setId":"m","values":["triage"],"__proto__":{"x":1}}',
  },
  { name: "JSON array", text: '[null, true, {"constructor": {"prototype": {}}}]' },
  { name: "prototype words", text: "__proto__ constructor prototype toString hasOwnProperty" },
  // biome-ignore lint/suspicious/noTemplateCurlyInString: a literal placeholder is the point.
  { name: "template placeholders", text: "{limit} {title} {when} ${process.env.HOME} {{x}}" },
  { name: "format strings", text: "%s %d %n %x %% \\n \\u0000" },
  { name: "choice-id lookalike", text: "q.abcdef.where.1#front" },
  { name: "command lookalike", text: "/forget me /knee ask <@123>" },
  { name: "path traversal", text: "../../../../etc/passwd" },
  { name: "very long word with red flag", text: `${"a".repeat(1500)} swollen hot knee can't walk` },
  { name: "whitespace only", text: " \t\n\u00A0\u2003\u3000 " },
  { name: "newlines only", text: "\n\n\n\n" },
  { name: "CJK", text: "膝が痛いです。走った後に痛みます。" },
  { name: "fullwidth letters", text: "ｋｎｅｅ ｐａｉｎ ｈｅｌｐ" },
  { name: "homoglyphs", text: "fоrget mе" },
  { name: "private use and nonchars", text: "\uE000\uF8FF\uFFFE\uFFFF knee" },
  { name: "astral plane letters", text: "𝐤𝐧𝐞𝐞 𝓹𝓪𝓲𝓷 𝕙𝕖𝕝𝕡" },
  { name: "tag characters", text: "knee\u{E0068}\u{E0069} pain" },
];
