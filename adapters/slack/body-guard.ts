/**
 * HTTP mode: a gate in front of Bolt's HTTPReceiver. Bolt reads fields of the parsed body
 * outside its own error handling (`body.ssl_check` on a JSON `null` is an unhandled
 * rejection), so every POST body is read here first, with Bolt's size limit, and a body that is
 * not the shape Slack sends gets a 400 before Bolt sees it. The buffered body is handed on as
 * `rawBody`, which Bolt uses instead of reading the stream again; the signature is still
 * checked by Bolt.
 */
import type { IncomingMessage, Server, ServerResponse } from "node:http";
import { parse as parseQuery } from "node:querystring";
import type { Logger } from "./types.ts";

/** Largest body accepted (Bolt's own default limit). */
export const MAX_BODY_BYTES = 4 * 1024 * 1024;
/** Deepest JSON nesting accepted; Slack's payloads are far shallower. */
export const MAX_BODY_DEPTH = 64;

type Listener = (req: IncomingMessage, res: ServerResponse) => void;

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

function depthOf(value: unknown, limit: number): number {
  // Iterative, so a hostile nesting can't overflow the stack here either.
  let max = 0;
  const stack: Array<{ v: unknown; d: number }> = [{ v: value, d: 0 }];
  while (stack.length > 0) {
    const { v, d } = stack.pop()!;
    if (typeof v !== "object" || v === null) continue;
    max = Math.max(max, d + 1);
    if (max > limit) return max;
    for (const child of Object.values(v)) stack.push({ v: child, d: d + 1 });
  }
  return max;
}

const optional = (v: unknown, type: "string" | "array" | "object") =>
  v === undefined ||
  (type === "string" ? typeof v === "string" : type === "array" ? Array.isArray(v) : isRecord(v));

/**
 * Why a body Slack could have sent is unacceptable, or undefined when it is fine: a JSON
 * object (an Events API callback, a url_verification) or a form (a slash command, or a
 * `payload` field holding an interaction's JSON object), with the fields Bolt dispatches on of
 * the right type.
 */
export function malformedBody(raw: string, contentType: string | undefined): string | undefined {
  let body: unknown;
  try {
    if (contentType === "application/x-www-form-urlencoded") {
      const form = parseQuery(raw);
      const payload = form.payload;
      if (Array.isArray(payload)) return "repeated-payload";
      body = typeof payload === "string" ? JSON.parse(payload) : { ...form };
    } else {
      body = JSON.parse(raw);
    }
  } catch {
    return "not-json";
  }
  if (!isRecord(body)) return "not-an-object";
  if (depthOf(body, MAX_BODY_DEPTH) > MAX_BODY_DEPTH) return "too-deep";
  for (const field of ["type", "command", "ssl_check", "token", "team_id", "name"]) {
    if (!optional(body[field], "string")) return `bad-${field}`;
  }
  if (!optional(body.actions, "array")) return "bad-actions";
  if (!optional(body.view, "object")) return "bad-view";
  if (!optional(body.user, "object") && typeof body.user !== "string") return "bad-user";
  if (body.event !== undefined) {
    const event = body.event;
    if (!isRecord(event) || typeof event.type !== "string") return "bad-event";
    if (!optional(event.item, "object")) return "bad-event-item";
  }
  return undefined;
}

/** Reads the whole body up to `limit` bytes; undefined when it is larger. */
function readBody(req: IncomingMessage, limit: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) over = true;
      else chunks.push(chunk);
    });
    req.on("end", () => resolve(over ? undefined : Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

function refuse(res: ServerResponse, status: number): void {
  if (res.headersSent) return;
  res.writeHead(status, { "content-type": "text/plain" });
  res.end();
}

/**
 * Puts the gate in front of the request listeners Bolt registered on `server`, for POSTs to
 * `path`. Other requests go straight to Bolt.
 */
export function guardBodies(server: Server, path: string, logger: Logger): void {
  const bolt = server.listeners("request") as Listener[];
  server.removeAllListeners("request");
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const pass = () => {
      for (const l of bolt) l(req, res);
    };
    const url = new URL(req.url ?? "/", "http://localhost");
    if (req.method !== "POST" || url.pathname !== path) return pass();
    readBody(req, MAX_BODY_BYTES).then(
      (raw) => {
        if (!raw) {
          logger.warn({ platform: "slack", status: 413 }, "slack request refused");
          return refuse(res, 413);
        }
        const why = malformedBody(raw.toString("utf8"), req.headers["content-type"]);
        if (why) {
          logger.warn({ platform: "slack", status: 400, reason: why }, "slack request refused");
          return refuse(res, 400);
        }
        (req as IncomingMessage & { rawBody?: Buffer }).rawBody = raw;
        pass();
      },
      () => refuse(res, 400),
    );
  });
}
