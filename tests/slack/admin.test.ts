/**
 * `/knee admin` through the real Bolt App against the fake Slack: workspace admins and owners
 * (users.info) and listed user ids get the week's summary, everyone else a refusal, always
 * ephemeral on the command's response_url; the engine never sees the command.
 */
import { afterEach, describe, expect, it } from "vitest";
import { SLACK_ADMIN_TEXT } from "../../adapters/slack/admin.ts";
import { slackConfigFromEnv } from "../../adapters/slack/config.ts";
import { adminStatsSource } from "../../src/insights/admin-stats.ts";
import { createMemoryInsightStore } from "../../src/store/memory.ts";
import type { Turn } from "../../src/types.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import { slashCommand } from "../helpers/fake-slack/payloads.ts";
import type { Record_, ResponseCall } from "../helpers/fake-slack/server.ts";
import { shippedKnowledge } from "../helpers/knowledge.ts";
import { apology } from "../helpers/scripted-engine.ts";
import { fillEvents } from "../report/fixture-events.ts";
import { FIXTURE_TOPICS, fillStore } from "../review/fixture.ts";

const isResponse =
  (id: string) =>
  (r: Record_): r is ResponseCall =>
    r.kind === "response" && r.id === id;

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

async function start(extra: { adminUserIds?: string[]; stats?: boolean } = {}) {
  const turns: Turn[] = [];
  const engine = {
    handle: async (turn: Turn) => {
      turns.push(turn);
      return [];
    },
    apology,
  };
  const store = createMemoryInsightStore();
  const now = Date.now();
  await fillStore(store, now);
  await fillEvents(store, now);
  h = await startHarness("http", engine, {
    ...(extra.stats === false
      ? {}
      : { adminStats: adminStatsSource(store, shippedKnowledge().lexicon, () => now) }),
    ...(extra.adminUserIds ? { adminUserIds: extra.adminUserIds } : {}),
  });
  h.fake.users.set("UADMIN", { tz: "Europe/London", is_admin: true });
  h.fake.users.set("UOWNER", { is_owner: true });
  h.fake.users.set("URUNNER", { tz: "Europe/London" });
  return { h, turns };
}

/** Runs `/knee <text>` as `user`; resolves with the text of the response_url post. */
async function admin(harness: Harness, user: string, text = "admin"): Promise<ResponseCall> {
  const id = `${user}-${Math.random().toString(36).slice(2)}`;
  const res = await harness.postCommand(
    slashCommand(user, "C1", text, harness.fake.responseUrl(id)),
  );
  expect(res.status).toBe(200);
  return harness.fake.waitFor(isResponse(id));
}

const textOf = (r: ResponseCall) => JSON.stringify(r.body);

describe("/knee admin on Slack", () => {
  it("gives a workspace admin or owner the week's numbers, ephemeral", async () => {
    const { h, turns } = await start();
    for (const [user, text] of [
      ["UADMIN", "admin"],
      ["UOWNER", "Admin stats"],
    ] as const) {
      const reply = await admin(h, user, text);
      expect(reply.body.response_type).toBe("ephemeral");
      const shown = textOf(reply);
      expect(shown).toContain("last 7 days");
      expect(shown).toMatch(/Questions: \d+ \(\d+ answered, \d+ not\)/);
      expect(shown).toMatch(/Knee checks: [1-9]\d*/);
      expect(FIXTURE_TOPICS.epsom.some((q) => shown.includes(q))).toBe(true);
      for (const q of FIXTURE_TOPICS.sauna) expect(shown).not.toContain(q);
      expect(shown).toContain("npm run report");
    }
    expect(turns).toEqual([]);
    expect(h.fake.calls("chat.postMessage")).toEqual([]);
  });

  it("refuses anyone else, ephemeral, and shows no numbers", async () => {
    const { h, turns } = await start();
    for (const user of ["URUNNER", "UNKNOWN"]) {
      const reply = await admin(h, user);
      expect(reply.body.response_type).toBe("ephemeral");
      expect(textOf(reply)).toContain(SLACK_ADMIN_TEXT.refused);
      expect(textOf(reply)).not.toContain("last 7 days");
    }
    expect(turns).toEqual([]);
  });

  it("lets the user ids in SLACK_ADMIN_USER_IDS see it too", async () => {
    const config = slackConfigFromEnv({
      SLACK_BOT_TOKEN: "xoxb-1",
      SLACK_APP_TOKEN: "xapp-1",
      SLACK_ADMIN_USER_IDS: " URUNNER, W0CAPTAIN ",
    });
    expect(config?.adminUserIds).toEqual(["URUNNER", "W0CAPTAIN"]);
    const { h } = await start({ adminUserIds: config!.adminUserIds! });
    expect(textOf(await admin(h, "URUNNER"))).toContain("last 7 days");
  });

  it("says so when the bot was started without a summary", async () => {
    const { h } = await start({ stats: false });
    const reply = await admin(h, "UADMIN");
    expect(reply.body.response_type).toBe("ephemeral");
    expect(textOf(reply)).toContain(SLACK_ADMIN_TEXT.unavailable);
  });

  it("leaves other /knee text to the engine", async () => {
    const { h, turns } = await start();
    await h.postCommand(
      slashCommand("URUNNER", "C1", "admin of the club?", h.fake.responseUrl("q")),
    );
    await h.logged("slack turn handled");
    expect(turns[0]).toMatchObject({ type: "command", command: "ask", args: "admin of the club?" });
  });
});

describe("SLACK_ADMIN_USER_IDS", () => {
  it("refuses something that is not a list of user ids, naming the variable", () => {
    expect(() =>
      slackConfigFromEnv({
        SLACK_BOT_TOKEN: "xoxb-1",
        SLACK_APP_TOKEN: "xapp-1",
        SLACK_ADMIN_USER_IDS: "@alice, bob",
      }),
    ).toThrow(/SLACK_ADMIN_USER_IDS must be Slack user ids/);
  });
});
