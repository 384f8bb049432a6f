import { createInterface } from "node:readline";
import {
  type ChoiceSet,
  COMMANDS,
  type CommandName,
  type DirectSender,
  decodeSet,
  type Engine,
  type Reply,
  type Turn,
} from "../../src/index.ts";
import { CHECK_IN_NOTE, parsePick, renderReply } from "./render.ts";

/** Options for the terminal chat. */
export interface TerminalOptions {
  engine: Engine;
  input?: NodeJS.ReadableStream;
  output?: NodeJS.WritableStream;
  /** Interactive prompt and colours; defaults to whether stdin is a TTY. */
  interactive?: boolean;
  userId?: string;
  /**
   * IANA time zone for times the bot shows ("Saturday 5 December, 18:00 GMT") and for timing
   * check-ins; defaults to the computer's own.
   */
  timeZone?: string;
  /**
   * Whether booked check-ins outlive this run (true for the SQLite and Redis stores): then one
   * that falls due while kneebot isn't running is shown at the next start. Default true.
   */
  keepsCheckIns?: boolean;
}

/**
 * A terminal chat: `run` reads until the end of input; `sendDirect` prints due check-ins, which
 * is how the terminal delivers them: on screen while it runs, or at the next `npm start` when
 * one fell due while it wasn't running (the scheduler sends overdue ones at start).
 */
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
  const timeZone = options.timeZone ?? localTimeZone();
  const note = CHECK_IN_NOTE[options.keepsCheckIns === false ? "this-run" : "kept"];
  const base = {
    platform: TERMINAL_PLATFORM,
    userId,
    place: { kind: "dm" as const },
    ...(timeZone ? { timeZone } : {}),
  };
  let lastChoices: ChoiceSet | undefined;

  const show = (replies: Reply[]) => {
    for (const r of replies) {
      output.write(`${renderReply(r, style)}\n\n`);
      if (r.choices && isCheckInOffer(r.choices)) output.write(`${note}\n\n`);
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

/** True for the "shall I check in, and when?" choices, which the terminal explains. */
function isCheckInOffer(set: ChoiceSet): boolean {
  const ref = decodeSet(set.id);
  return ref?.type === "followup" && ref.jobId.startsWith("offer-");
}

/** The computer's IANA time zone, when Node knows it. */
function localTimeZone(): string | undefined {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || undefined;
  } catch {
    return undefined;
  }
}

/** Runs the terminal chat until the end of input. */
export async function runTerminal(options: TerminalOptions): Promise<void> {
  await createTerminalChat(options).run();
}
