import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import { runTerminal } from "../adapters/terminal/index.ts";
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
