/**
 * Follow-up check-ins by DM (`sendDirect`), through the real discord.js client against the fake
 * Discord: delivery with buttons, closed DMs, unknown users, outages, and the click coming back
 * to the real engine.
 */
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, test } from "vitest";
import { classifySendError, createDiscordSender } from "../../adapters/discord/index.ts";
import { encodeButtonId } from "../../src/choice-id.ts";
import { loadConfig } from "../../src/config.ts";
import { createRuntime, type Runtime } from "../../src/runtime.ts";
import type { Reply } from "../../src/types.ts";
import { dm, runTriage } from "../followups/helpers.ts";
import { ScriptedEngine } from "../helpers/scripted-engine.ts";
import { customIds, type Harness, startHarness } from "./harness.ts";

const KNOWLEDGE = fileURLToPath(new URL("../../knowledge", import.meta.url));
const DAY = 24 * 60 * 60 * 1000;
const MESSAGES = /^POST \/channels\/\d+\/messages$/;
const OPEN_DM = /^POST \/users\/@me\/channels$/;

/** A check-in shaped like the follow-up module's: kind "followup", one single-choice set. */
function checkIn(jobId: string): Reply[] {
  return [
    {
      kind: "followup",
      text: "How's your knee today?",
      visibility: "private",
      personal: true,
      choices: {
        mode: "single",
        id: `u.${jobId}`,
        options: [
          { value: "better", label: "Better" },
          { value: "same", label: "Same" },
          { value: "worse", label: "Worse" },
        ],
      },
    },
  ];
}

const idle = () => new ScriptedEngine(() => []);

/** The fake's messages in `userId`'s DMs. */
const dmsTo = (h: Harness, userId: string) => h.fake.sent.filter((s) => s.dmUserId === userId);

describe("sendDirect", () => {
  test("delivers a check-in DM with Better / Same / Worse buttons, pinging nobody", async () => {
    const h = await startHarness(idle());
    const ann = h.fake.addUser("ann");
    const result = await h.bot.sendDirect("discord", ann.id, checkIn("f0123456789abcdef"));
    expect(result).toEqual({ type: "sent" });
    const [msg, ...rest] = dmsTo(h, ann.id);
    expect(rest).toEqual([]);
    expect(msg).toMatchObject({
      via: "channel",
      channelId: h.fake.dmChannelFor(ann.id).id,
      content: "How's your knee today?",
      ephemeral: false,
      allowedMentions: { parse: [] },
      pings: [],
    });
    expect(customIds(msg!.components)).toEqual(
      ["better", "same", "worse"].map((v) => encodeButtonId("u.f0123456789abcdef", v)),
    );

    // The next check-in reuses the DM channel discord.js already knows.
    expect(await h.bot.sendDirect("discord", ann.id, checkIn("f1"))).toEqual({ type: "sent" });
    expect(h.fake.requests.filter((r) => OPEN_DM.test(r))).toHaveLength(1);
    expect(dmsTo(h, ann.id)).toHaveLength(2);
  });

  test("a long check-in is split, the buttons coming with the last part", async () => {
    const h = await startHarness(idle());
    const ann = h.fake.addUser("ann");
    const [reply] = checkIn("f2");
    const long = { ...reply!, text: `${"Knees like steady mileage. ".repeat(100)}How's it today?` };
    expect(await h.bot.sendDirect("discord", ann.id, [long])).toEqual({ type: "sent" });
    const sent = dmsTo(h, ann.id);
    expect(sent.length).toBeGreaterThan(1);
    expect(sent.slice(0, -1).every((s) => s.components.length === 0)).toBe(true);
    expect(customIds(sent.at(-1)!.components)).toHaveLength(3);
  });

  test("ignores other platforms' check-ins without calling Discord", async () => {
    const h = await startHarness(idle());
    const before = h.fake.requests.length;
    expect(await h.bot.sendDirect("slack", "U123", checkIn("f3"))).toEqual({
      type: "undeliverable",
      reason: "wrong-platform",
    });
    expect(h.fake.requests.length).toBe(before);
  });

  test("closed DMs: undeliverable dm-closed, and the bot carries on", async () => {
    const h = await startHarness(idle());
    const shy = h.fake.addUser("shy", { closedDms: true });
    const bob = h.fake.addUser("bob");
    expect(await h.bot.sendDirect("discord", shy.id, checkIn("f4"))).toEqual({
      type: "undeliverable",
      reason: "dm-closed",
    });
    expect(dmsTo(h, shy.id)).toEqual([]);
    expect(await h.bot.sendDirect("discord", bob.id, checkIn("f5"))).toEqual({ type: "sent" });
    // Logged with ids and a reason only: never the text or the user id.
    const logged = JSON.stringify(h.logs);
    expect(logged).toContain("dm-closed");
    expect(logged).not.toContain("knee today");
    expect(logged).not.toContain(shy.id);
  });

  test("unknown or deleted users: undeliverable user-gone", async () => {
    const h = await startHarness(idle());
    // Discord answers 50033 (Invalid Recipient(s)) when opening a DM with nobody.
    expect(await h.bot.sendDirect("discord", "123456789012345678", checkIn("f6"))).toEqual({
      type: "undeliverable",
      reason: "user-gone",
    });
    const gone = h.fake.addUser("gone");
    h.fake.addFault({ route: OPEN_DM, status: 404, code: 10013, times: 1 });
    expect(await h.bot.sendDirect("discord", gone.id, checkIn("f7"))).toEqual({
      type: "undeliverable",
      reason: "user-gone",
    });
    expect(await h.bot.sendDirect("discord", "not-a-snowflake", checkIn("f8"))).toEqual({
      type: "undeliverable",
      reason: "bad-user-id",
    });
    expect(h.fake.sent).toEqual([]);
  });

  test("a 500 from Discord: retry, nothing sent, and the next attempt goes through", async () => {
    const h = await startHarness(idle());
    const ann = h.fake.addUser("ann");
    h.fake.addFault({ route: MESSAGES, status: 500 });
    expect(await h.bot.sendDirect("discord", ann.id, checkIn("f9"))).toEqual({
      type: "retry",
      error: "http-500",
    });
    expect(h.fake.faulted.length).toBeGreaterThan(0);
    expect(h.fake.sent).toEqual([]);
    h.fake.clearFaults();
    expect(await h.bot.sendDirect("discord", ann.id, checkIn("f9"))).toEqual({ type: "sent" });
  });

  test("a send that hangs gives up in time and returns retry", async () => {
    const h = await startHarness(idle());
    const ann = h.fake.addUser("ann");
    const send = createDiscordSender(h.bot.client, undefined, { timeoutMs: 300 });
    h.fake.addFault({ route: MESSAGES, hang: true, times: 1 });
    const started = Date.now();
    expect(await send("discord", ann.id, checkIn("f10"))).toEqual({
      type: "retry",
      error: "timeout",
    });
    expect(Date.now() - started).toBeLessThan(2000);
    expect(await send("discord", ann.id, checkIn("f11"))).toEqual({ type: "sent" });
  });

  test("a long rate limit: retry, and the queued send never goes out late", async () => {
    const h = await startHarness(idle());
    const ann = h.fake.addUser("ann");
    const send = createDiscordSender(h.bot.client, undefined, { timeoutMs: 200 });
    h.fake.addFault({ route: MESSAGES, status: 429, retryAfter: 1, times: 1 });
    expect(await send("discord", ann.id, checkIn("f12"))).toEqual({
      type: "retry",
      error: "timeout",
    });
    // discord.js waits out the 429 and would resend; the abort must stop that.
    await new Promise((r) => setTimeout(r, 1500));
    expect(h.fake.sent).toEqual([]);
    expect(await send("discord", ann.id, checkIn("f13"))).toEqual({ type: "sent" });
  });

  test("errors map to short codes", () => {
    const refused = new TypeError("fetch failed", {
      cause: Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }),
    });
    expect(classifySendError(refused)).toEqual({ type: "retry", error: "network" });
    expect(classifySendError(new DOMException("late", "TimeoutError"))).toEqual({
      type: "retry",
      error: "timeout",
    });
    expect(classifySendError("odd")).toEqual({ type: "retry", error: "error" });
  });
});

describe("check-ins with the real engine and scheduler", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.close();
    runtime = undefined;
  });

  async function setUp() {
    const clock = { t: Date.UTC(2026, 10, 2, 10) };
    const config = loadConfig({
      KNEEBOT_STORE: "memory",
      KNEEBOT_KNOWLEDGE_DIR: KNOWLEDGE,
      LOG_LEVEL: "silent",
      KNEEBOT_RATE_LIMIT: "1000/10000",
    });
    const rt = await createRuntime(config, { now: () => clock.t, followUpPollMs: 3_600_000 });
    runtime = rt;
    // The real engine, with what each Discord turn got back kept for the assertions.
    const answers: Reply[][] = [];
    const engine = new ScriptedEngine(async (turn) => {
      const replies = await rt.engine.handle(turn);
      answers.push(replies);
      return replies;
    });
    const h = await startHarness(engine);
    rt.startDelivery(h.bot.sendDirect);
    return { rt, clock, h, engine, answers };
  }

  /** Books a check-in in 2 days for `userId` (a triage in DMs), then lets it fall due. */
  async function bookAndRunDue(rt: Runtime, clock: { t: number }, userId: string) {
    const user = dm(userId, { platform: "discord" });
    const outcome = await runTriage(rt.engine, user);
    const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"));
    await rt.engine.handle(user.pick(offer, "2d"));
    const [job] = await rt.scheduler.list("discord", userId);
    clock.t += 3 * DAY;
    await rt.scheduler.runDue();
    return job!;
  }

  test("the check-in arrives by DM and a click on Better reaches the engine", async () => {
    const { rt, clock, h, engine, answers } = await setUp();
    const ann = h.fake.addUser("ann");
    const job = await bookAndRunDue(rt, clock, ann.id);
    const w = rt.knowledge.wording;

    const checkin = await h.fake.waitFor("the check-in DM", () =>
      dmsTo(h, ann.id).find((s) => s.content === w.followup_checkin),
    );
    const better = encodeButtonId(`u.${job.id}`, "better");
    expect(customIds(checkin.components)).toEqual([
      better,
      encodeButtonId(`u.${job.id}`, "same"),
      encodeButtonId(`u.${job.id}`, "worse"),
    ]);
    expect((await rt.scheduler.get("discord", ann.id, job.id))?.status).toBe("sent");

    h.fake.click(ann, checkin.messageId, better);
    await h.fake.waitFor("the engine's answer in the DM", () =>
      dmsTo(h, ann.id).find((s) => s.via === "followup"),
    );
    expect(engine.turns).toEqual([
      {
        platform: "discord",
        userId: ann.id,
        place: { kind: "dm" },
        type: "choice",
        setId: `u.${job.id}`,
        values: ["better"],
      },
    ]);
    expect(answers[0]!.map((r) => r.text)).toContain(w.followup_better_reply);
    // The check-in itself now shows the answer and has lost its buttons.
    const update = h.fake.sent.find((s) => s.via === "update" && s.messageId === checkin.messageId);
    expect(update?.components).toEqual([]);
    expect(update?.content).toContain("Better");
  });

  test("closed DMs: the check-in is recorded as undeliverable, nothing crashes", async () => {
    const { rt, clock, h } = await setUp();
    const shy = h.fake.addUser("shy", { closedDms: true });
    const job = await bookAndRunDue(rt, clock, shy.id);
    const stored = await rt.scheduler.get("discord", shy.id, job.id);
    expect(stored).toMatchObject({ status: "undeliverable", lastError: "dm-closed" });
    expect(await rt.metrics.render()).toMatch(/kneebot_followups_failed_total\{[^}]*dm-closed/);
    expect(dmsTo(h, shy.id)).toEqual([]);
  });
});
