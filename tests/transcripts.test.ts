import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { z } from "zod";
import { COMMANDS, type Reply, type Turn } from "../src/types.ts";
import { testEngine } from "./helpers/knowledge.ts";

/**
 * Conversations as data: each file in tests/transcripts/ lists user turns and what the
 * replies must show. See tests/transcripts/README.md for the format.
 */
const many = z
  .union([z.string(), z.array(z.string())])
  .transform((v) => (Array.isArray(v) ? v : [v]));
const expectSchema = z
  .object({
    kinds: z.array(z.string()).optional(),
    kind: many.optional(),
    contains: many.optional(),
    not_contains: many.optional(),
    question: z.string().optional(),
    level: z.string().optional(),
    condition: z.string().optional(),
    faq: z.string().optional(),
    choices: many.optional(),
    private: z.boolean().optional(),
  })
  .strict();
const turnSchema = z
  .object({
    say: z.string().optional(),
    click: z.array(z.string()).optional(),
    click_set: z.object({ id: z.string(), values: z.array(z.string()) }).optional(),
    command: z.enum(COMMANDS).optional(),
    args: z.string().optional(),
    place: z.enum(["dm", "channel"]).optional(),
    expect: expectSchema,
  })
  .strict();
const transcriptSchema = z.object({ name: z.string(), turns: z.array(turnSchema).min(1) }).strict();

const dir = join(import.meta.dirname, "transcripts");
const files = readdirSync(dir)
  .filter((f) => f.endsWith(".yaml"))
  .sort();

function check(replies: Reply[], e: z.infer<typeof expectSchema>, where: string) {
  const text = replies.map((r) => r.text).join("\n---\n");
  const lower = text.toLowerCase();
  if (e.kinds)
    expect(
      replies.map((r) => r.kind),
      where,
    ).toEqual(e.kinds);
  for (const k of e.kind ?? [])
    expect(
      replies.map((r) => r.kind),
      where,
    ).toContain(k);
  for (const c of e.contains ?? [])
    expect(lower, `${where}: "${c}" in\n${text}`).toContain(c.toLowerCase());
  for (const c of e.not_contains ?? [])
    expect(lower, `${where}: "${c}" not in\n${text}`).not.toContain(c.toLowerCase());
  if (e.question)
    expect(replies.find((r) => r.kind === "question")?.meta?.questionId, where).toBe(e.question);
  const outcome = replies.find((r) => r.kind === "outcome");
  if (e.level) expect(outcome?.meta?.level, where).toBe(e.level);
  if (e.condition) expect(outcome?.meta?.condition, where).toBe(e.condition);
  if (e.faq) expect(replies.find((r) => r.kind === "answer")?.meta?.faqId, where).toBe(e.faq);
  const labels = replies.flatMap((r) => r.choices?.options.map((o) => o.label.toLowerCase()) ?? []);
  for (const c of e.choices ?? []) expect(labels, where).toContain(c.toLowerCase());
  if (e.private !== undefined) {
    for (const r of replies)
      if (r.kind !== "greeting")
        expect(r.visibility === "private", `${where}: ${r.kind}`).toBe(e.private);
  }
  for (const r of replies)
    expect(r.text.trim().length, `${where}: empty ${r.kind}`).toBeGreaterThan(0);
}

describe("conversation transcripts", () => {
  it("has transcripts", () => expect(files.length).toBeGreaterThan(5));
  for (const file of files) {
    const t = transcriptSchema.parse(parse(readFileSync(join(dir, file), "utf8")));
    it(`${file}: ${t.name}`, async () => {
      const engine = testEngine();
      let last: Reply[] = [];
      for (const [i, turn] of t.turns.entries()) {
        const base = {
          platform: "test",
          userId: "runner",
          place:
            turn.place === "channel"
              ? { kind: "channel" as const, id: "C1" }
              : { kind: "dm" as const },
        };
        let next: Turn;
        if (turn.say !== undefined) next = { ...base, type: "text", text: turn.say };
        else if (turn.click) {
          const set = [...last].reverse().find((r) => r.choices)?.choices;
          if (!set) throw new Error(`${file} turn ${i + 1}: nothing to click`);
          next = { ...base, type: "choice", setId: set.id, values: turn.click };
        } else if (turn.click_set)
          next = {
            ...base,
            type: "choice",
            setId: turn.click_set.id,
            values: turn.click_set.values,
          };
        else if (turn.command)
          next = {
            ...base,
            type: "command",
            command: turn.command,
            ...(turn.args ? { args: turn.args } : {}),
          };
        else throw new Error(`${file} turn ${i + 1}: say, click, click_set or command`);
        last = await engine.handle(next);
        check(last, turn.expect, `${file} turn ${i + 1}`);
      }
    });
  }
});
