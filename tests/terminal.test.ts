import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { createTerminalChat, runTerminal } from "../adapters/terminal/index.ts";
import { parsePick, renderText } from "../adapters/terminal/render.ts";
import { testEngine } from "./helpers/knowledge.ts";

async function converse(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (d) => (out += d));
  const done = runTerminal({ engine: testEngine(), input, output, interactive: false });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return out;
}

describe("terminal adapter", () => {
  it("numbers choices and takes a number, several numbers for a checklist, or free text", async () => {
    const out = await converse(["check my knee", "12", "4", "1", "none", "1", "none"]);
    expect(out).toMatch(/ 1\) Short of breath/);
    expect(out).toMatch(/type the numbers that apply/);
    expect(out).toMatch(/How did it start\?/);
    expect(out).toMatch(/Patellofemoral pain/);
  });

  it("prints a check-in that falls due while it runs, and takes a number for its choices", async () => {
    const input = new PassThrough();
    const output = new PassThrough();
    let out = "";
    output.on("data", (d) => (out += d));
    const seen: string[] = [];
    const engine = {
      handle: async (turn: Parameters<ReturnType<typeof testEngine>["handle"]>[0]) => {
        seen.push(turn.type === "choice" ? `${turn.setId}=${turn.values.join(",")}` : turn.type);
        return [{ kind: "info" as const, text: "noted", visibility: "private" as const }];
      },
    };
    const chat = createTerminalChat({ engine, input, output, interactive: false });
    const running = chat.run();
    const result = await chat.sendDirect("terminal", "local", [
      {
        kind: "followup",
        text: "How's your knee today?",
        visibility: "private",
        choices: {
          mode: "single",
          id: "u.job1",
          options: [
            { value: "better", label: "Better" },
            { value: "worse", label: "Worse" },
          ],
        },
      },
    ]);
    expect(result).toEqual({ type: "sent" });
    expect(await chat.sendDirect("discord", "local", [])).toEqual({
      type: "undeliverable",
      reason: "wrong-platform",
    });
    input.end("2\n");
    await running;
    expect(out).toMatch(/How's your knee today\?\n {2}1\) Better/);
    expect(seen).toEqual(["u.job1=worse"]);
  });

  it("understands /commands", async () => {
    const out = await converse(["/help", "/privacy"]);
    expect(out).toMatch(/Here's what I can do/);
    expect(out).toMatch(/What I keep/);
  });

  it("renders bold only on a colour terminal", () => {
    expect(renderText("**Go** now", { color: false })).toBe("Go now");
    expect(renderText("**Go** now", { color: true })).toBe("\u001b[1mGo\u001b[22m now");
  });

  it("maps numbers onto the options on screen and rejects ones that aren't there", () => {
    const set = {
      mode: "multi" as const,
      id: "x",
      options: [
        { value: "a", label: "A" },
        { value: "b", label: "B" },
      ],
    };
    expect(parsePick("1 2", set)).toEqual(["a", "b"]);
    expect(parsePick("3", set)).toBeUndefined();
    expect(parsePick("one", set)).toBeUndefined();
    expect(parsePick("1 2", { ...set, mode: "single" })).toBeUndefined();
  });
});
