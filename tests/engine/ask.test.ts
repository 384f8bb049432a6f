import { describe, expect, it } from "vitest";
import { createMemorySessionStore } from "../../src/store/memory.ts";
import type { Turn } from "../../src/types.ts";
import { testEngine } from "../helpers/knowledge.ts";

const inChannel = { platform: "test", userId: "u1", place: { kind: "channel", id: "c1" } } as const;
const ask = (args: string): Turn => ({ ...inChannel, type: "command", command: "ask", args });

describe("the ask command (also what the 'Ask kneebot' menus send)", () => {
  it("is answered as a question, never as the answer to a check the asker has open", async () => {
    const sessions = createMemorySessionStore();
    const e = testEngine({ sessions });
    await e.handle({ ...inChannel, type: "command", command: "triage" });
    const before = (await sessions.get("test:u1"))?.triage;
    expect(before?.questionId).toBeDefined();
    // Someone else's post, asked about by a runner in the middle of their own check.
    const replies = await e.handle(ask("should i ice my knee after a run?"));
    expect(replies.map((r) => r.meta?.faqId)).toContain("icing");
    const after = (await sessions.get("test:u1"))?.triage;
    expect(after?.questionId).toBe(before?.questionId);
    expect(after?.findings).toEqual(before?.findings);
  });

  it("keeps a question about the asker's own knee private, a general one public", async () => {
    const e = testEngine();
    const own = await e.handle(
      ask("my knee aches going down stairs after long runs, is that runners knee?"),
    );
    const answer = own.find((r) => r.kind === "answer" || r.kind === "did-you-mean");
    expect(answer?.visibility).toBe("private");
    const general = await e.handle(ask("should i ice my knee after a run?"));
    expect(general.find((r) => r.kind === "answer")?.visibility).toBe("public");
  });
});
