/**
 * End to end with the real engine and the shipped knowledge: a runner does the whole triage
 * in a DM over Socket Mode, ticking and clicking the Block Kit controls the adapter rendered.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createEngine, type Engine, loadKnowledge, type Reply } from "../../src/index.ts";
import { clickOn, controlsOf } from "../helpers/fake-slack/clicks.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import {
  dmEvent,
  eventCallback,
  mentionEvent,
  nextId,
  slashCommand,
} from "../helpers/fake-slack/payloads.ts";
import type { ApiCall, Record_, ResponseCall } from "../helpers/fake-slack/server.ts";

const HANDLED = "slack turn handled";

describe("slack adapter with the real engine", () => {
  let h: Harness;
  const turns: Reply[][] = [];

  beforeEach(async () => {
    turns.length = 0;
    const real = createEngine({ knowledge: await loadKnowledge("knowledge") });
    const engine: Engine = {
      async handle(turn) {
        const replies = await real.handle(turn);
        turns.push(replies);
        return replies;
      },
      apology: () => real.apology(),
    };
    h = await startHarness("socket", engine);
    h.fake.users.set("U1", { tz: "Europe/London" });
  });
  afterEach(async () => {
    await h.close();
  });

  it("runs a full triage in a DM to an outcome", async () => {
    const dmPosts = () => h.fake.calls("chat.postMessage").filter((c) => c.args.channel === "DU1");
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload: eventCallback(dmEvent("U1", "triage")),
    });
    await h.logged(HANDLED, 1);

    // The red-flag screen comes first: 13 options as two stacked checkbox groups and a Done.
    const first = dmPosts()
      .filter((c) => controlsOf(c.args.blocks).length > 0)
      .at(-1)!;
    const firstControls = controlsOf(first.args.blocks);
    expect(firstControls.map((c) => c.type)).toEqual(["checkboxes", "checkboxes", "button"]);

    const clicked: ApiCall[] = [];
    for (let step = 1; step < 20 && !turns.at(-1)!.some((r) => r.kind === "outcome"); step++) {
      const message = dmPosts()
        .filter((c) => controlsOf(c.args.blocks).length > 0)
        .at(-1)!;
      expect(clicked).not.toContain(message);
      clicked.push(message);
      const payload = clickOn(
        { blocks: message.args.blocks, ts: message.result.ts as string },
        {
          tick: (labels) => labels.filter((l) => /^(None of these|Neither)$/.test(l)),
          pick: (labels) =>
            labels.find((l) => /^(No|It built up over time)$/.test(l)) ?? labels[0]!,
        },
        { user: "U1", channel: "DU1", responseUrl: h.fake.responseUrl(`click${step}`) },
      );
      await h.fake.sendEnvelope({ envelope_id: nextId("env-"), type: "interactive", payload });
      await h.logged(HANDLED, step + 1);
    }

    const outcome = turns.at(-1)!.find((r) => r.kind === "outcome");
    expect(outcome?.meta?.level).toEqual(expect.any(String));
    const opening = outcome!.text.replace(/\*\*/g, "*").slice(0, 30);
    expect(
      dmPosts().some((c) =>
        JSON.stringify(c.args.blocks).includes(JSON.stringify(opening).slice(1, -1)),
      ),
    ).toBe(true);
    // Every clicked question was updated in place: controls gone, the choice shown.
    const updates = h.fake.calls("chat.update");
    expect(updates.map((u) => u.args.ts)).toEqual(clicked.map((c) => c.result.ts));
    for (const u of updates) {
      expect(controlsOf(u.args.blocks)).toEqual([]);
      expect(JSON.stringify(u.args.blocks)).toContain("✓ ");
    }
    expect(h.fake.calls().filter((c) => !c.ok)).toEqual([]);
    expect(clicked.length).toBeGreaterThanOrEqual(3);
  });

  it("keeps a mention's public thread reply generic; symptoms go to the user only", async () => {
    const event = mentionEvent("U1", "C1", "<@UBOT> my knee hurts when I run");
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "events_api",
      payload: eventCallback(event),
    });
    await h.logged(HANDLED, 1);
    const replies = turns[0]!;
    const personal = replies.filter((r) => r.personal || r.visibility === "private");
    expect(personal.length).toBeGreaterThan(0);
    const publicPosts = h.fake.calls("chat.postMessage").filter((c) => c.args.channel === "C1");
    const ephemerals = h.fake.calls("chat.postEphemeral");
    expect(ephemerals.length).toBeGreaterThanOrEqual(personal.length);
    expect(ephemerals.every((c) => c.args.user === "U1" && c.args.thread_ts === event.ts)).toBe(
      true,
    );
    expect(publicPosts.length).toBeGreaterThan(0);
    for (const post of publicPosts) {
      expect(post.args.thread_ts).toBe(event.ts);
      for (const r of personal) {
        expect(JSON.stringify(post.args)).not.toContain(
          JSON.stringify(r.text.slice(0, 40)).slice(1, -1),
        );
      }
    }
  });

  it("answers /knee <question> from the FAQ with a Share button", async () => {
    await h.fake.sendEnvelope({
      envelope_id: nextId("env-"),
      type: "slash_commands",
      payload: slashCommand("U1", "C1", "should I ice my knee?", h.fake.responseUrl("faq")),
    });
    await h.logged(HANDLED, 1);
    const isFaq = (r: Record_): r is ResponseCall => r.kind === "response" && r.id === "faq";
    const posts = h.fake.timeline.filter(isFaq);
    expect(posts.length).toBeGreaterThan(0);
    expect(posts.every((p) => p.ok && p.body.response_type === "ephemeral")).toBe(true);
    const answer = turns[0]!.find((r) => r.kind === "answer");
    expect(answer?.meta?.faqId).toBe("icing");
    expect(answer?.personal).not.toBe(true);
    const withShare = posts.find((p) =>
      controlsOf(p.body.blocks).some((c) => c.action_id === "kneebot-share"),
    )!;
    expect(withShare).toBeDefined();

    const payload = clickOn(
      { blocks: withShare.body.blocks },
      { tick: () => [], pick: (labels) => labels.find((l) => l === "Share in channel")! },
      { user: "U1", channel: "C1", responseUrl: h.fake.responseUrl("shared"), ephemeral: true },
    );
    await h.fake.sendEnvelope({ envelope_id: nextId("env-"), type: "interactive", payload });
    const isShared = (r: Record_): r is ResponseCall => r.kind === "response" && r.id === "shared";
    await h.fake.waitFor((r) => isShared(r) && r.body.replace_original === true);
    const [pub] = h.fake.timeline.filter(isShared);
    expect(pub!.body.response_type).toBe("in_channel");
    const opening = answer!.text.slice(0, 30).replace(/\*\*/g, "*");
    expect(JSON.stringify(pub!.body.blocks)).toContain(JSON.stringify(opening).slice(1, -1));
  });
});
