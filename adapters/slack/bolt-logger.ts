/**
 * Bridges the adapter's pino-style logger to the logger interface Bolt and the Slack SDK
 * expect. Debug output is dropped: at debug level Bolt prints whole payloads (message text).
 */
import { type Logger as BoltLogger, LogLevel } from "@slack/bolt";
import type { Logger } from "./types.ts";

/** Wraps `logger` for Bolt; every line is tagged `source: "slack-sdk"`. */
export function toBoltLogger(logger: Logger): BoltLogger {
  let level: LogLevel = LogLevel.INFO;
  const line = (msg: unknown[]) =>
    msg.map((m) => (m instanceof Error ? m.name : String(m))).join(" ");
  return {
    debug() {},
    info: (...msg: unknown[]) => logger.info({ source: "slack-sdk" }, line(msg)),
    warn: (...msg: unknown[]) => logger.warn({ source: "slack-sdk" }, line(msg)),
    error: (...msg: unknown[]) => logger.error({ source: "slack-sdk" }, line(msg)),
    setLevel(next: LogLevel) {
      level = next;
    },
    getLevel: () => level,
    setName() {},
  };
}
