/**
 * A tiny HTTP server for operations, separate from any platform transport: GET /healthz for
 * liveness/readiness probes and GET /metrics for Prometheus. Plain node:http, nothing else.
 * It binds to 127.0.0.1 by default (KNEEBOT_HTTP_HOST) because /healthz names the checks.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { KneebotError } from "./errors.ts";
import type { Logger } from "./logger.ts";
import type { Metrics } from "./metrics.ts";

/** What a health probe reports: ok overall, and each named check's result. */
export interface HealthReport {
  ok: boolean;
  checks: Record<string, boolean>;
}

/** Options for startOpsServer. */
export interface OpsServerOptions {
  /** 0 picks a free port; the chosen one is returned. */
  port: number;
  host: string;
  metrics: Pick<Metrics, "render" | "contentType">;
  /** Runs the checks (store reachable, knowledge loaded…). A throw counts as unhealthy. */
  health: () => Promise<HealthReport>;
  /** A health check slower than this counts as failed. Default 5000 ms. */
  healthTimeoutMs?: number;
  logger?: Logger;
}

/** A running ops server. */
export interface OpsServer {
  /** The port actually bound (useful with port 0). */
  port: number;
  /** Stops listening and drops open keep-alive connections. */
  close(): Promise<void>;
}

/** Starts the ops server and resolves once it is listening. */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    handle(req, res, options).catch((err: unknown) => {
      options.logger?.error({ err }, "ops server request failed");
      if (!res.headersSent) send(res, 500, "text/plain; charset=utf-8", "internal error\n");
      else res.destroy();
    });
  });

  await new Promise<void>((resolve, reject) => {
    const onError = (err: Error) => {
      reject(
        new KneebotError(
          "config",
          `ops server cannot listen on ${options.host}:${options.port}: ${err.message}`,
          { cause: err },
        ),
      );
    };
    server.once("error", onError);
    server.listen(options.port, options.host, () => {
      server.off("error", onError);
      resolve();
    });
  });
  server.on("error", (err) => options.logger?.error({ err }, "ops server error"));

  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  options: OpsServerOptions,
): Promise<void> {
  const path = new URL(req.url ?? "/", "http://ops.invalid").pathname;
  if (req.method === "GET" && path === "/healthz") {
    const report = await runHealth(options);
    const body = { status: report.ok ? "ok" : "fail", checks: report.checks };
    send(res, report.ok ? 200 : 503, "application/json", JSON.stringify(body));
    return;
  }
  if (req.method === "GET" && path === "/metrics") {
    send(res, 200, options.metrics.contentType, await options.metrics.render());
    return;
  }
  send(res, 404, "text/plain; charset=utf-8", "not found\n");
}

async function runHealth(options: OpsServerOptions): Promise<HealthReport> {
  const timeoutMs = options.healthTimeoutMs ?? 5000;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<HealthReport>((resolve) => {
    timer = setTimeout(() => resolve({ ok: false, checks: { timeout: false } }), timeoutMs);
  });
  try {
    const report = await Promise.race([options.health(), timeout]);
    // A report that says ok while a check failed is not ok.
    return { ok: report.ok && Object.values(report.checks).every(Boolean), checks: report.checks };
  } catch (err) {
    options.logger?.warn({ err }, "health check threw");
    return { ok: false, checks: { health: false } };
  } finally {
    clearTimeout(timer);
  }
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, {
    "content-type": contentType,
    "content-length": Buffer.byteLength(body),
    "cache-control": "no-store",
  });
  res.end(body);
}
