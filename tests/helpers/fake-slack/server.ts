/**
 * A local fake of Slack for adapter tests, on 127.0.0.1 (port 0): the Web API methods the
 * adapter uses (under /api/), response_url endpoints (/response/<id>) and a Socket Mode
 * WebSocket (/socket). Everything it receives is recorded in one ordered timeline; messages
 * are checked against Block Kit limits and refused with `invalid_blocks` like the real API.
 * Tests can make a method fail: a Slack error code, an HTTP status, or a slow answer.
 */
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { type WebSocket, WebSocketServer } from "ws";
import { blockErrors } from "./blocks.ts";

/** One Web API call the fake received. */
export interface ApiCall {
  kind: "api";
  seq: number;
  method: string;
  args: Record<string, unknown>;
  token?: string;
  ok: boolean;
  error?: string;
  /** What the fake answered. */
  result: Record<string, unknown>;
}

/** One POST to a response_url. */
export interface ResponseCall {
  kind: "response";
  seq: number;
  id: string;
  body: Record<string, unknown>;
  ok: boolean;
}

/** One Socket Mode acknowledgement from the app. */
export interface SocketAck {
  kind: "ack";
  seq: number;
  envelope_id: string;
  payload: unknown;
}

/** A label a test put on the timeline (e.g. "engine finished"). */
export interface Mark {
  kind: "mark";
  seq: number;
  label: string;
}

export type Record_ = ApiCall | ResponseCall | SocketAck | Mark;

/** A Socket Mode envelope the fake sends to the app. */
export interface Envelope {
  envelope_id: string;
  type: "events_api" | "slash_commands" | "interactive";
  payload: unknown;
  retry_attempt?: number;
  retry_reason?: string;
  accepts_response_payload?: boolean;
}

/** A message kept in a channel's history. */
export interface HistoryMessage {
  ts: string;
  text?: unknown;
  blocks?: unknown;
  metadata?: unknown;
}

/** Bot identity the fake reports from auth.test. */
export const FAKE_BOT = { userId: "UBOT", botId: "BBOT", teamId: "T0CLUB" } as const;

/** A running fake Slack. */
export interface FakeSlack {
  /** Web API base URL, for `clientOptions.slackApiUrl`. */
  apiUrl: string;
  /** A fresh response_url on this fake. */
  responseUrl(id: string): string;
  /** Everything received, in order. */
  timeline: Record_[];
  calls(method?: string): ApiCall[];
  responses(id?: string): ResponseCall[];
  acks(): SocketAck[];
  /** Adds a label to the timeline. */
  mark(label: string): Mark;
  /**
   * What users.info reports per user: time zone, and whether a workspace admin or owner
   * (missing user: `user_not_found`).
   */
  users: Map<string, { tz?: string; is_admin?: boolean; is_owner?: boolean }>;
  /**
   * Messages posted with chat.postMessage, per channel, oldest first, with their metadata:
   * what conversations.history answers (newest first).
   */
  history: Map<string, HistoryMessage[]>;
  /** Makes a Web API method fail with this error code. */
  failures: Map<string, string>;
  /** Makes a Web API method answer with this HTTP status instead (429 carries Retry-After). */
  httpFailures: Map<string, { status: number; retryAfterSec?: number }>;
  /** Holds a Web API method's answer this many milliseconds (client timeouts). */
  delays: Map<string, number>;
  /**
   * Holds a method's answer this many milliseconds *after* it took effect (a client killed in
   * this gap never hears that its message was posted).
   */
  answerDelays: Map<string, () => number>;
  /** Answers being held back by `answerDelays` right now. */
  readonly heldAnswers: number;
  /** Resolves once a record satisfying `test` exists (checks past records first). */
  waitFor<T extends Record_>(test: (r: Record_) => r is T): Promise<T>;
  waitFor(test: (r: Record_) => boolean): Promise<Record_>;
  /** Resolves when the app has opened its Socket Mode connection. */
  socketConnected(): Promise<void>;
  /** Sends an envelope over Socket Mode; resolves with the app's ack. */
  sendEnvelope(envelope: Envelope): Promise<SocketAck>;
  close(): Promise<void>;
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

/** Parses a Web API body: JSON, or form-encoded with JSON-string `blocks`. */
function parseArgs(raw: string, contentType: string | undefined): Record<string, unknown> {
  if (contentType?.includes("application/json"))
    return raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
  const args: Record<string, unknown> = {};
  for (const [key, value] of new URLSearchParams(raw)) {
    args[key] =
      ((key === "blocks" || key === "attachments") && value.startsWith("[")) ||
      ((key === "metadata" || key === "view") && value.startsWith("{"))
        ? JSON.parse(value)
        : value;
  }
  return args;
}

/** Starts a fake Slack on 127.0.0.1 with a random port. */
export async function startFakeSlack(): Promise<FakeSlack> {
  const timeline: Record_[] = [];
  const waiters: { test: (r: Record_) => boolean; resolve: (r: Record_) => void }[] = [];
  const users: FakeSlack["users"] = new Map();
  const failures = new Map<string, string>();
  const httpFailures = new Map<string, { status: number; retryAfterSec?: number }>();
  const delays = new Map<string, number>();
  const history = new Map<string, HistoryMessage[]>();
  const answerDelays = new Map<string, () => number>();
  let held = 0;
  let seq = 0;
  let ts = 1_700_000_000;
  let base = "";
  let socket: WebSocket | undefined;
  const connectedWaiters: (() => void)[] = [];

  function record<T extends Record_>(r: Omit<T, "seq">): T {
    const full = { ...r, seq: ++seq } as T;
    timeline.push(full);
    for (const w of [...waiters]) {
      if (w.test(full)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(full);
      }
    }
    return full;
  }

  function messageError(args: Record<string, unknown>): string | undefined {
    if (args.blocks !== undefined && blockErrors(args.blocks).length > 0) return "invalid_blocks";
    if (args.blocks === undefined && !args.text) return "no_text";
    return undefined;
  }

  function api(method: string, args: Record<string, unknown>): Record<string, unknown> {
    const forced = failures.get(method);
    if (forced) return { ok: false, error: forced };
    switch (method) {
      case "auth.test":
        return {
          ok: true,
          team_id: FAKE_BOT.teamId,
          user_id: FAKE_BOT.userId,
          bot_id: FAKE_BOT.botId,
          team: "Club",
          user: "kneebot",
        };
      case "apps.connections.open":
        return { ok: true, url: `${base.replace("http", "ws")}/socket` };
      case "users.info": {
        const user = users.get(String(args.user));
        return user
          ? { ok: true, user: { id: args.user, ...user } }
          : { ok: false, error: "user_not_found" };
      }
      case "conversations.history": {
        // Newest first; metadata only when asked for, as Slack does.
        const all = [...(history.get(String(args.channel)) ?? [])].reverse();
        const limit = Math.min(Number(args.limit ?? 100) || 100, 999);
        const withMeta = args.include_all_metadata === true || args.include_all_metadata === "true";
        const messages = all.slice(0, limit).map(({ metadata, ...m }) => ({
          type: "message",
          ...m,
          ...(withMeta && metadata !== undefined ? { metadata } : {}),
        }));
        return { ok: true, messages, has_more: all.length > limit };
      }
      case "views.publish": {
        // The Home tab: a `home` view of at most 100 blocks, checked like a message's.
        const view = (args.view ?? {}) as { type?: unknown; blocks?: unknown };
        if (view.type !== "home") return { ok: false, error: "invalid_arguments" };
        const errors = blockErrors(view.blocks, { maxBlocks: 100 });
        if (errors.length > 0) return { ok: false, error: "invalid_blocks", errors };
        return { ok: true, view: { id: `VHOME${String(args.user_id)}`, ...view } };
      }
      case "conversations.open":
        return { ok: true, channel: { id: `D${String(args.users)}` } };
      case "chat.postMessage":
      case "chat.update":
      case "chat.postEphemeral": {
        const error = messageError(args);
        if (error) return { ok: false, error, errors: blockErrors(args.blocks) };
        ts += 1;
        if (method === "chat.postEphemeral") return { ok: true, message_ts: `${ts}.000100` };
        if (method === "chat.postMessage") {
          const channel = String(args.channel);
          const list = history.get(channel) ?? [];
          list.push({
            ts: `${ts}.000100`,
            text: args.text,
            blocks: args.blocks,
            ...(args.metadata !== undefined ? { metadata: args.metadata } : {}),
          });
          history.set(channel, list);
        }
        return {
          ok: true,
          channel: args.channel,
          ts: method === "chat.update" ? args.ts : `${ts}.000100`,
        };
      }
      default:
        return { ok: false, error: "unknown_method" };
    }
  }

  const server: Server = createServer(async (req, res) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const raw = await readBody(req);
    res.setHeader("content-type", "application/json");
    if (url.pathname.startsWith("/api/")) {
      const method = url.pathname.slice("/api/".length);
      const args = parseArgs(raw, req.headers["content-type"]);
      const token = req.headers.authorization?.replace(/^Bearer /, "");
      const delay = delays.get(method);
      if (delay !== undefined) await new Promise((resolve) => setTimeout(resolve, delay).unref());
      const http = httpFailures.get(method);
      if (http) {
        const error = http.status === 429 ? "ratelimited" : `http_${http.status}`;
        record<ApiCall>({
          kind: "api",
          method,
          args,
          ...(token ? { token } : {}),
          ok: false,
          error,
          result: { ok: false, error },
        });
        res.statusCode = http.status;
        if (http.retryAfterSec !== undefined)
          res.setHeader("retry-after", String(http.retryAfterSec));
        res.end(JSON.stringify({ ok: false, error }));
        return;
      }
      const result = api(method, args);
      record<ApiCall>({
        kind: "api",
        method,
        args,
        ...(token ? { token } : {}),
        ok: result.ok === true,
        ...(typeof result.error === "string" ? { error: result.error } : {}),
        result,
      });
      const after = answerDelays.get(method)?.() ?? 0;
      if (after > 0) {
        held++;
        await new Promise((resolve) => setTimeout(resolve, after).unref());
        held--;
      }
      if (res.destroyed) return;
      res.end(JSON.stringify(result));
      return;
    }
    if (url.pathname.startsWith("/response/")) {
      const body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
      const ok = body.blocks === undefined || blockErrors(body.blocks).length === 0;
      record<ResponseCall>({
        kind: "response",
        id: url.pathname.slice("/response/".length),
        body,
        ok,
      });
      res.statusCode = ok ? 200 : 400;
      res.end(ok ? "ok" : "invalid_blocks");
      return;
    }
    res.statusCode = 404;
    res.end("{}");
  });

  const wss = new WebSocketServer({ server, path: "/socket" });
  wss.on("connection", (ws) => {
    socket = ws;
    ws.on("message", (data) => {
      const msg = JSON.parse(String(data)) as { envelope_id?: string; payload?: unknown };
      if (msg.envelope_id)
        record<SocketAck>({ kind: "ack", envelope_id: msg.envelope_id, payload: msg.payload });
    });
    ws.send(JSON.stringify({ type: "hello", num_connections: 1 }));
    for (const resolve of connectedWaiters.splice(0)) resolve();
  });

  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  function waitFor(test: (r: Record_) => boolean): Promise<Record_> {
    const found = timeline.find(test);
    if (found) return Promise.resolve(found);
    return new Promise((resolve) => waiters.push({ test, resolve }));
  }

  return {
    apiUrl: `${base}/api/`,
    responseUrl: (id) => `${base}/response/${id}`,
    timeline,
    calls: (method) =>
      timeline.filter((r): r is ApiCall => r.kind === "api" && (!method || r.method === method)),
    responses: (id) =>
      timeline.filter((r): r is ResponseCall => r.kind === "response" && (!id || r.id === id)),
    acks: () => timeline.filter((r): r is SocketAck => r.kind === "ack"),
    mark: (label) => record<Mark>({ kind: "mark", label }),
    users,
    history,
    answerDelays,
    get heldAnswers() {
      return held;
    },
    failures,
    httpFailures,
    delays,
    waitFor: waitFor as FakeSlack["waitFor"],
    socketConnected: () =>
      socket ? Promise.resolve() : new Promise<void>((resolve) => connectedWaiters.push(resolve)),
    sendEnvelope(envelope) {
      if (!socket) throw new Error("no Socket Mode connection");
      const acked = waitFor((r) => r.kind === "ack" && r.envelope_id === envelope.envelope_id);
      socket.send(JSON.stringify(envelope));
      return acked as Promise<SocketAck>;
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
