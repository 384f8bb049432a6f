import { createInterface } from "node:readline";
import type { Engine } from "../../src/engine-api.ts";
import {
  type ChoiceSet,
  COMMANDS,
  type CommandName,
  type Reply,
  type Turn,
} from "../../src/types.ts";
import { parsePick, renderReply } from "./render.ts";

/** Options for the terminal chat. */
export interface TerminalOptions {
  engine: Engine;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Interactive prompt and colours; defaults to whether stdin is a TTY. */
  interactive?: boolean;
  userId?: string;
}

/** The platform name the terminal uses in session keys. */
export const TERMINAL_PLATFORM = "terminal";

/**
 * Runs the chat on stdin/stdout: numbered choices, a number or free text as the answer,
 * "/help"-style commands. Without a TTY it reads one message per line and resolves at the
 * end of input.
 */
export async function runTerminal(options: TerminalOptions): Promise<void> {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean((input as NodeJS.ReadStream).isTTY);
  const style = { color: interactive };
  const userId = options.userId ?? "local";
  const base = { platform: TERMINAL_PLATFORM, userId, place: { kind: "dm" as const } };
  let lastChoices: ChoiceSet | undefined;

  const show = (replies: Reply[]) => {
    for (const r of replies) {
      output.write(`${renderReply(r, style)}\n\n`);
      if (r.choices) lastChoices = r.choices;
    }
  };
  const toTurn = (line: string): Turn => {
    const slash = /^\/(\w+)\s*(.*)$/.exec(line.trim());
    if (slash && (COMMANDS as readonly string[]).includes(slash[1]!.toLowerCase())) {
      const command = slash[1]!.toLowerCase() as CommandName;
      return { ...base, type: "command", command, ...(slash[2] ? { args: slash[2] } : {}) };
    }
    const pick = parsePick(line, lastChoices);
    if (pick && lastChoices)
      return { ...base, type: "choice", setId: lastChoices.id, values: pick };
    return { ...base, type: "text", text: line };
  };

  if (interactive) {
    output.write(
      'kneebot: type a question, or "check my knee". /help for commands, Ctrl+D to quit.\n\n',
    );
    show(await options.engine.handle({ ...base, type: "command", command: "start" }));
  }
  const rl = createInterface({
    input,
    ...(interactive ? { output, prompt: "> " } : {}),
    terminal: interactive,
  });
  if (interactive) rl.prompt();
  for await (const line of rl) {
    if (line.trim()) {
      const turn = toTurn(line);
      // Choices apply once; a new reply brings new ones.
      if (turn.type === "choice") lastChoices = undefined;
      show(await options.engine.handle(turn));
    }
    if (interactive) rl.prompt();
  }
}
