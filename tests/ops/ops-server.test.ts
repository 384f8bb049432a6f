import { createServer } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import { isKneebotError } from "../../src/errors.ts";
import { createMetrics } from "../../src/metrics.ts";
import { type HealthReport, type OpsServer, startOpsServer } from "../../src/ops-server.ts";

const running: OpsServer[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function start(
  health: () => Promise<HealthReport> = async () => ({ ok: true, checks: { store: true } }),
  healthTimeoutMs?: number,
) {
  const metrics = createMetrics({ processMetrics: false });
  const server = await startOpsServer({
    port: 0,
    host: "127.0.0.1",
    metrics,
    health,
    ...(healthTimeoutMs === undefined ? {} : { healthTimeoutMs }),
  });
  running.push(server);
  const url = (path: string) => `http://127.0.0.1:${server.port}${path}`;
  return { server, metrics, url };
}

describe("startOpsServer", () => {
  it("binds a free port when asked for port 0", async () => {
    const { server } = await start();
    expect(server.port).toBeGreaterThan(0);
  });

  it("answers /healthz with 200 and the checks when all pass", async () => {
    const { url } = await start(async () => ({
      ok: true,
      checks: { store: true, knowledge: true },
    }));
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(await res.json()).toEqual({ status: "ok", checks: { store: true, knowledge: true } });
  });

  it("answers 503 when a check fails", async () => {
    const { url } = await start(async () => ({ ok: false, checks: { store: false } }));
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "fail", checks: { store: false } });
  });

  it("answers 503 when a report claims ok but a check failed", async () => {
    const { url } = await start(async () => ({ ok: true, checks: { store: true, redis: false } }));
    expect((await fetch(url("/healthz"))).status).toBe(503);
  });

  it("answers 503 when the health function throws, without leaking the error", async () => {
    const { url } = await start(async () => {
      throw new Error("password=hunter2 refused");
    });
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(503);
    expect(await res.text()).not.toContain("hunter2");
  });

  it("answers 503 when the health function never settles", async () => {
    const { url } = await start(() => new Promise<HealthReport>(() => {}), 1);
    const res = await fetch(url("/healthz"));
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ status: "fail", checks: { timeout: false } });
  });

  it("ignores the query string", async () => {
    const { url } = await start();
    expect((await fetch(url("/healthz?verbose=1"))).status).toBe(200);
  });

  it("serves Prometheus text on /metrics", async () => {
    const { url, metrics } = await start();
    metrics.turn("discord", 0.002);
    const res = await fetch(url("/metrics"));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe(metrics.contentType);
    const body = await res.text();
    expect(body).toContain("# TYPE kneebot_turns_total counter");
    expect(body).toContain('kneebot_turns_total{platform="discord"} 1');
  });

  it.each([
    ["GET", "/"],
    ["GET", "/health"],
    ["GET", "/metrics/extra"],
    ["POST", "/metrics"],
    ["DELETE", "/healthz"],
  ])("answers 404 to %s %s", async (method, path) => {
    const { url } = await start();
    const res = await fetch(url(path), { method });
    expect(res.status).toBe(404);
  });

  it("stops accepting connections after close", async () => {
    const { server, url } = await start();
    expect((await fetch(url("/healthz"))).status).toBe(200); // leaves a keep-alive socket open
    await server.close();
    running.splice(running.indexOf(server), 1);
    await expect(fetch(url("/healthz"))).rejects.toThrow();
  });

  it("fails with a config error when the port is taken", async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const address = blocker.address();
    const port = typeof address === "object" && address ? address.port : 0;
    try {
      await startOpsServer({
        port,
        host: "127.0.0.1",
        metrics: createMetrics({ processMetrics: false }),
        health: async () => ({ ok: true, checks: {} }),
      });
      expect.unreachable("should not listen on a taken port");
    } catch (err) {
      expect(isKneebotError(err, "config")).toBe(true);
      expect((err as Error).message).toContain(String(port));
    } finally {
      await new Promise((resolve) => blocker.close(resolve));
    }
  });
});
