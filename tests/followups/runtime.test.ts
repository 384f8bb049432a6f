import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { isKneebotError } from "../../src/errors.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import type { Reply } from "../../src/types.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";
import { dm, runTriage } from "./helpers.ts";
import { waitFor } from "./wait.ts";

const KNOWLEDGE = fileURLToPath(new URL("../../knowledge", import.meta.url));
const DAY = 24 * 60 * 60 * 1000;

/** Books a check-in through the runtime's engine, moves the clock, and waits for the DM. */
async function roundTrip(runtime: Runtime, clock: { t: number }, userId: string) {
  const sent: Array<{ userId: string; replies: Reply[] }> = [];
  runtime.startDelivery(async (_platform, uid, replies) => {
    sent.push({ userId: uid, replies });
    return { type: "sent" };
  });
  const user = dm(userId);
  const outcome = await runTriage(runtime.engine, user);
  const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"));
  await runtime.engine.handle(user.pick(offer, "2d"));
  const [job] = await runtime.scheduler.list("slack", userId);
  clock.t += 3 * DAY;
  await runtime.scheduler.runDue();
  await waitFor(() => sent.length === 1, "the check-in DM");
  return { job: job!, sent };
}

describe("the runtime with the SQLite store", () => {
  const dir = mkdtempSync(join(tmpdir(), "kneebot-rt-"));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const config = loadConfig({
    KNEEBOT_DATA_DIR: dir,
    KNEEBOT_KNOWLEDGE_DIR: KNOWLEDGE,
    LOG_LEVEL: "silent",
    KNEEBOT_RATE_LIMIT: "1000/10000",
  });

  it("wires the scheduler into the engine, delivers, counts, and keeps jobs in the file", async () => {
    const clock = { t: Date.UTC(2026, 10, 2, 10) };
    const runtime = await createRuntime(config, { now: () => clock.t, followUpPollMs: 3_600_000 });
    const { job, sent } = await roundTrip(runtime, clock, "U1");
    expect(sent[0]!.replies[0]!.text).toBe(runtime.knowledge.wording.followup_checkin);
    expect(await runtime.metrics.render()).toContain("kneebot_followups_sent_total 1");
    await runtime.close();

    const again = await createRuntime(config, { now: () => clock.t });
    expect((await again.scheduler.get("slack", "U1", job.id))?.status).toBe("sent");
    // The session (same file) knows the check-in, so the answer is understood after a restart.
    const r = await again.engine.handle(dm("U1").text("better"));
    expect(r.map((x) => x.text)).toContain(again.knowledge.wording.followup_better_reply);
    await again.close();
  });
});

describe.skipIf(!redisUp)(`the runtime with KNEEBOT_STORE=redis${REDIS_NOTICE}`, () => {
  const prefix = uniquePrefix("runtime");
  afterAll(async () => {
    const admin = testClient();
    await deletePrefix(admin, prefix);
    await admin.quit();
  });

  it("runs sessions, insights and follow-ups on Redis", async () => {
    const config = loadConfig({
      KNEEBOT_STORE: "redis",
      REDIS_URL,
      KNEEBOT_KNOWLEDGE_DIR: KNOWLEDGE,
      LOG_LEVEL: "silent",
      KNEEBOT_RATE_LIMIT: "1000/10000",
    });
    const clock = { t: Date.now() };
    const runtime = await createRuntime(config, { now: () => clock.t, redisPrefix: prefix });
    const { sent } = await roundTrip(runtime, clock, "U1");
    expect(sent[0]!.userId).toBe("U1");
    const r = await runtime.engine.handle(dm("U1").text("worse"));
    expect(r[0]!.text).toBe(runtime.knowledge.wording.followup_worse_reply);
    await runtime.close();
  }, 120_000);
});

describe("the runtime with an unreachable Redis", () => {
  it("fails at start with a config error naming REDIS_URL", async () => {
    const config = loadConfig({
      KNEEBOT_STORE: "redis",
      REDIS_URL: "redis://127.0.0.1:1",
      KNEEBOT_KNOWLEDGE_DIR: KNOWLEDGE,
      LOG_LEVEL: "silent",
      KNEEBOT_RATE_LIMIT: "1000/10000",
    });
    const err = await createRuntime(config).catch((e: unknown) => e);
    expect(isKneebotError(err, "config")).toBe(true);
    expect((err as Error).message).toContain("REDIS_URL");
  });
});
