/**
 * Starts the real Slack adapter (real Bolt App) against the fake Slack, in HTTP or Socket
 * Mode, with a recording logger; plus helpers to deliver signed HTTP requests.
 */
import { type SlackHandle, type SlackOptions, startSlack } from "../../../adapters/slack/index.ts";
import type { Engine } from "../../../src/engine-api.ts";
import { signedHeaders } from "./payloads.ts";
import { type FakeSlack, startFakeSlack } from "./server.ts";

/** Signing secret used by HTTP-mode tests. */
export const SIGNING_SECRET = "test-signing-secret-0123456789";

/** One line the adapter logged. */
export interface LogLine {
  level: "info" | "warn" | "error";
  obj: unknown;
  msg?: string;
}

/** A running adapter plus its fake Slack. */
export interface Harness {
  fake: FakeSlack;
  slack: SlackHandle;
  logs: LogLine[];
  /** Resolves when a log line with this message has been written (`times` times). */
  logged(msg: string, times?: number): Promise<LogLine>;
  /** POSTs a signed body to the adapter's /slack/events (HTTP mode). */
  post(
    body: string,
    contentType: string,
    options?: { ts?: number; retryNum?: number; secret?: string },
  ): Promise<Response>;
  postEvent(payload: unknown, options?: { retryNum?: number }): Promise<Response>;
  postCommand(fields: Record<string, string>): Promise<Response>;
  postAction(payload: unknown): Promise<Response>;
  close(): Promise<void>;
}

const FORM = "application/x-www-form-urlencoded";

/** Starts fake Slack and the adapter; `mode` picks the transport. */
export async function startHarness(
  mode: "http" | "socket",
  engine: Engine,
  extra: Partial<SlackOptions> = {},
): Promise<Harness> {
  const fake = await startFakeSlack();
  const logs: LogLine[] = [];
  const waiters: { msg: string; times: number; resolve: (l: LogLine) => void }[] = [];
  const count = (msg: string) => logs.filter((l) => l.msg === msg).length;
  const write = (level: LogLine["level"]) => (obj: unknown, msg?: string) => {
    const line: LogLine = { level, obj, ...(msg !== undefined ? { msg } : {}) };
    logs.push(line);
    for (const w of waiters.filter((w) => w.msg === msg && count(msg) >= w.times)) {
      waiters.splice(waiters.indexOf(w), 1);
      w.resolve(line);
    }
  };
  const slack = await startSlack({
    engine,
    botToken: "xoxb-test-token",
    apiUrl: fake.apiUrl,
    webApiRetries: 0,
    logger: { info: write("info"), warn: write("warn"), error: write("error") },
    transport:
      mode === "socket"
        ? { kind: "socket", appToken: "xapp-test-token", autoReconnect: false }
        : { kind: "http", signingSecret: SIGNING_SECRET, port: 0, host: "127.0.0.1" },
    ...extra,
  });
  const post: Harness["post"] = (body, contentType, options = {}) =>
    fetch(`http://127.0.0.1:${slack.port}/slack/events`, {
      method: "POST",
      headers: signedHeaders(options.secret ?? SIGNING_SECRET, body, { contentType, ...options }),
      body,
    });
  return {
    fake,
    slack,
    logs,
    logged(msg, times = 1) {
      const found = logs.filter((l) => l.msg === msg);
      if (found.length >= times) return Promise.resolve(found[times - 1]!);
      return new Promise((resolve) => waiters.push({ msg, times, resolve }));
    },
    post,
    postEvent: (payload, options) => post(JSON.stringify(payload), "application/json", options),
    postCommand: (fields) => post(new URLSearchParams(fields).toString(), FORM),
    postAction: (payload) =>
      post(new URLSearchParams({ payload: JSON.stringify(payload) }).toString(), FORM),
    async close() {
      await slack.stop();
      await fake.close();
    },
  };
}
