import { createInterface } from "node:readline";
import type { Engine } from "../../src/engine-api.ts";
import type { DirectSender } from "../../src/followups/types.ts";
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

/** A terminal chat: `run` reads until the end of input; `sendDirect` prints due check-ins. */
export interface TerminalChat {
  run(): Promise<void>;
  sendDirect: DirectSender;
}

/** The platform name the terminal uses in session keys. */
export const TERMINAL_PLATFORM = "terminal";
/** The one local user of the terminal chat. */
export const TERMINAL_USER = "local";

/**
 * The chat on stdin/stdout: numbered choices, a number or free text as the answer,
 * "/help"-style commands. Without a TTY it reads one message per line and `run` resolves at
 * the end of input. Check-ins that fall due while it runs are printed as they arrive.
 */
export function createTerminalChat(options: TerminalOptions): TerminalChat {
  const input = options.input ?? process.stdin;
  const output = options.output ?? process.stdout;
  const interactive = options.interactive ?? Boolean((input as NodeJS.ReadStream).isTTY);
  const style = { color: interactive };
  const userId = options.userId ?? TERMINAL_USER;
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

  return {
    async sendDirect(platform, to, replies) {
      if (platform !== TERMINAL_PLATFORM || to !== userId) {
        return { type: "undeliverable", reason: "wrong-platform" };
      }
      output.write("\n");
      show(replies);
      return { type: "sent" };
    },
    async run() {
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
    },
  };
}

/** Runs the terminal chat until the end of input. */
export async function runTerminal(options: TerminalOptions): Promise<void> {
  await createTerminalChat(options).run();
}
