/** Drives the terminal chat as `echo … | npm start` would, for tests. */
import { PassThrough } from "node:stream";
import { runTerminal } from "../../adapters/terminal/index.ts";
import { testEngine } from "./knowledge.ts";

/** Pipes the lines into a terminal chat on a fresh test engine and returns what it printed. */
export async function converse(lines: string[]): Promise<string> {
  const input = new PassThrough();
  const output = new PassThrough();
  let out = "";
  output.on("data", (d) => (out += d));
  const done = runTerminal({ engine: testEngine(), input, output, interactive: false });
  input.end(`${lines.join("\n")}\n`);
  await done;
  return out;
}
