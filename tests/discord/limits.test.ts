import { describe, expect, test } from "vitest";
import { MAX_CONTENT_CHARS, TEXT } from "../../adapters/discord/render.ts";
import type { Reply } from "../../src/types.ts";
import { ScriptedEngine, slowEngine } from "../helpers/scripted-engine.ts";
import { customIds, startHarness } from "./harness.ts";
import { ANSWER, CHECKLIST, triageScript, WHERE } from "./scripts.ts";

/** About 5,600 characters of paragraphs, bullets and one very long line. */
function longText(): string {
  const para = (n: number) =>
    `Paragraph ${n}: ${"Easy runs, rest days and strength work all help the knee recover. ".repeat(6)}`;
  const bullets = Array.from({ length: 20 }, (_, i) => `- **Tip ${i}**: keep your cadence up`);
  const line = "word ".repeat(500).trim();
  return [para(1), para(2), bullets.join("\n"), line, para(3), para(4)].join("\n\n");
}

const words = (s: string) => s.replaceAll("**", "").split(/\s+/).filter(Boolean);

describe("platform limits and the 3-second window (real discord.js against the fake)", () => {
  test("a long reply is split under 2,000 characters, nothing lost, choices on the last chunk", async () => {
    const text = longText();
    const long: Reply = { ...WHERE, text };
    const engine = new ScriptedEngine(() => [long]);
    const { fake } = await startHarness(engine);
    const ann = fake.addUser("ann");
    fake.slashCommand(ann, "knee");
    const last = await fake.waitFor("last chunk", () =>
      fake.sent.find((s) => customIds(s.components).length > 0),
    );
    const chunks = fake.sent.slice(0, fake.sent.indexOf(last) + 1);
    expect(chunks.length).toBeGreaterThanOrEqual(3);
    expect(chunks.map((c) => c.via)).toEqual(["reply", ...chunks.slice(1).map(() => "followup")]);
    for (const c of chunks) {
      expect(c.content.length).toBeLessThanOrEqual(MAX_CONTENT_CHARS);
      expect(c.ephemeral).toBe(true);
    }
    for (const c of chunks.slice(0, -1)) expect(c.components).toEqual([]);
    expect(customIds(last.components)).toContain("s1:where:v1#front");
    expect(words(chunks.map((c) => c.content).join("\n\n"))).toEqual(words(text));
    expect(fake.errors).toEqual([]);
  });

  test("default settings: an engine taking 3.5 s still meets Discord's 3-second window", async () => {
    const { fake } = await startHarness(slowEngine(new ScriptedEngine(triageScript), 3500));
    expect(fake.interactionWindowMs).toBe(3000);
    const ben = fake.addUser("ben");
    fake.slashCommand(ben, "knee");
    const answer = await fake.waitFor("answer", () => fake.sent[0], 6000);
    expect(fake.callbacks).toMatchObject([{ type: 5, status: 204 }]);
    expect(answer).toMatchObject({
      via: "edit-original",
      content: CHECKLIST.text,
      ephemeral: true,
    });
    expect(fake.errors).toEqual([]);
  }, 120_000);

  test("a slow engine is deferred in time (short window); without deferring the fake says 10062", async () => {
    const window = { fake: { interactionWindowMs: 800 } };
    const slow = slowEngine(new ScriptedEngine(triageScript), 1200);
    const good = await startHarness(slow, { ...window, deferAfterMs: 100 });
    const cat = good.fake.addUser("cat");
    good.fake.slashCommand(cat, "kneehelp");
    await good.fake.waitFor("answer", () => good.fake.sent[0]);
    expect(good.fake.callbacks).toMatchObject([{ type: 5, status: 204 }]);

    // The same engine with deferring effectively off: the late reply is refused.
    const bad = await startHarness(slow, { ...window, deferAfterMs: 60_000 });
    const dan = bad.fake.addUser("dan");
    const late = bad.fake.slashCommand(dan, "kneehelp");
    await bad.fake.waitFor("refusal", () => bad.fake.callbacks[0]);
    expect(bad.fake.callbacks[0]).toMatchObject({ status: 404, code: 10062 });
    const logged = await bad.fake.waitFor("error log", () =>
      bad.logs.find((l) => l.level === "error"),
    );
    expect(logged.obj).toMatchObject({ interactionId: late.id, err: { code: 10062 } });
    // Discord errors are logged without the request body (text) or URL (token).
    expect(JSON.stringify(bad.logs)).not.toContain(late.token);
    expect(JSON.stringify(bad.logs)).not.toContain("kneebot helps");
  });

  test("a deferred public /ask whose answer turns out private keeps the channel generic", async () => {
    const personal: Reply = { ...ANSWER, text: "Your swelling needs a doctor.", personal: true };
    const engine = slowEngine(new ScriptedEngine(() => [personal]), 1000);
    const { fake } = await startHarness(engine, {
      fake: { interactionWindowMs: 800 },
      deferAfterMs: 100,
    });
    const eve = fake.addUser("eve");
    fake.slashCommand(eve, "ask", { options: { question: "is my swelling bad?" } });
    const secret = await fake.waitFor("followup", () =>
      fake.sent.find((s) => s.via === "followup"),
    );
    const original = fake.sent.find((s) => s.via === "edit-original")!;
    expect(fake.callbacks).toMatchObject([{ type: 5, status: 204 }]);
    expect(original).toMatchObject({ content: TEXT.answeredPrivately, ephemeral: false });
    expect(secret).toMatchObject({ content: personal.text, ephemeral: true });
  });

  test("a click is acknowledged at once even when the engine is slow", async () => {
    const engine = slowEngine(new ScriptedEngine(triageScript), 1200);
    const { fake } = await startHarness(engine, {
      fake: { interactionWindowMs: 800 },
      deferAfterMs: 100,
    });
    const fay = fake.addUser("fay");
    fake.slashCommand(fay, "knee");
    const q = await fake.waitFor("question", () =>
      fake.sent.find((s) => s.via === "edit-original"),
    );
    fake.select(fay, q.messageId, "s1:redflags:v1", ["none"]);
    await fake.waitFor("next", () => fake.sent.find((s) => s.via === "followup"));
    expect(fake.callbacks.map((c) => [c.type, c.status])).toEqual([
      [5, 204],
      [7, 204],
    ]);
  });
});
