import { appendFileSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/** File the terminal chat writes its JSON log lines to, inside the data folder. */
export const TERMINAL_LOG_FILE = "kneebot.log";

/** pino's numeric levels for warn and error. */
const WARN = 40;
const ERROR = 50;

/** A pino destination: it receives one JSON log line per `write`. */
export interface LogSink {
  write(line: string): void;
}

/**
 * Where the terminal chat's logs go: every JSON line is appended to `<dataDir>/kneebot.log`,
 * and only warnings and errors reach the screen (stderr), as one plain sentence each, so the
 * chat stays a chat. Appends synchronously so nothing is lost when the chat exits.
 */
export function terminalLogSink(dataDir: string, screen: NodeJS.WritableStream): LogSink {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, TERMINAL_LOG_FILE);
  return {
    write(line) {
      try {
        appendFileSync(file, line.endsWith("\n") ? line : `${line}\n`);
      } catch {
        // A full disk or a read-only folder must not stop the chat; the screen still warns.
      }
      const words = screenLine(line, file);
      if (words) screen.write(`${words}\n`);
    },
  };
}

/**
 * One log line in words for the screen ("kneebot warning: …"), or undefined for anything
 * below a warning. Only the message and an error's message are shown, never the JSON; an
 * error also says which file holds the details.
 */
export function screenLine(line: string, logFile: string): string | undefined {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const level = levelNumber(entry.level);
  if (level < WARN) return undefined;
  const label = level >= ERROR ? "error" : "warning";
  const msg = typeof entry.msg === "string" ? entry.msg : "something went wrong";
  const err = entry.err as { message?: unknown } | undefined;
  const detail = typeof err?.message === "string" && err.message ? ` (${err.message})` : "";
  const where = level >= ERROR ? ` Details are in ${logFile}.` : "";
  return `kneebot ${label}: ${sentence(`${msg}${detail}`)}${where}`;
}

/** Ends a message with a full stop unless it already ends a sentence. */
function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function levelNumber(level: unknown): number {
  if (typeof level === "number") return level;
  const names: Record<string, number> = { warn: WARN, error: ERROR, fatal: 60 };
  return typeof level === "string" && Object.hasOwn(names, level) ? names[level]! : 0;
}
