/**
 * The Slack HTTP receiver under signed junk: bodies Slack would never send, correctly signed,
 * through the real Bolt HTTPReceiver behind the adapter's body gate. Malformed shapes get a 400
 * before Bolt; nothing rejects unhandled (vitest fails the run if anything does); and a real DM
 * is still answered afterwards. Bounded by count (a fixed seed), not by time.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { malformedBody } from "../../adapters/slack/body-guard.ts";
import type { Reply } from "../../src/types.ts";
import { type Harness, startHarness } from "../helpers/fake-slack/harness.ts";
import { dmEvent, eventCallback } from "../helpers/fake-slack/payloads.ts";
import { ScriptedEngine, sample } from "../helpers/scripted-engine.ts";

const FORM = "application/x-www-form-urlencoded";
const JSON_TYPE = "application/json";
const form = (payload: string) => new URLSearchParams({ payload }).toString();
const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

/** Bodies with the wrong shape: each must get a 400 from the gate. */
const MALFORMED: Array<[string, string]> = [
  ["null", JSON_TYPE],
  ["0", JSON_TYPE],
  ["-1.5e308", JSON_TYPE],
  ['"a string"', JSON_TYPE],
  ["true", JSON_TYPE],
  ["[]", JSON_TYPE],
  ["[null]", JSON_TYPE],
  ["{", JSON_TYPE],
  ["", JSON_TYPE],
  [deep(100_000), JSON_TYPE],
  [deepObject(5_000), JSON_TYPE],
  ['{"type":5}', JSON_TYPE],
  ['{"type":"event_callback","event":null}', JSON_TYPE],
  ['{"type":"event_callback","event":"message"}', JSON_TYPE],
  ['{"type":"event_callback","event":[1]}', JSON_TYPE],
  ['{"type":"event_callback","event":{"type":7}}', JSON_TYPE],
  ['{"type":"event_callback","event":{"type":"message","item":"x"}}', JSON_TYPE],
  ['{"ssl_check":{"a":1}}', JSON_TYPE],
  ['{"command":["/knee"]}', JSON_TYPE],
  ['{"actions":"click"}', JSON_TYPE],
  ['{"view":"v"}', JSON_TYPE],
  ['{"user":5}', JSON_TYPE],
  [form("null"), FORM],
  [form("7"), FORM],
  [form("[1,2]"), FORM],
  [form("not json"), FORM],
  [form('{"type":"block_actions","actions":{"0":1}}'), FORM],
  [form('{"type":["block_actions"]}'), FORM],
  ["payload=1&payload=2", FORM],
];

describe("slack HTTP receiver: signed junk", () => {
  let h: Harness;
  const engine = new ScriptedEngine((): Reply[] => [sample.info("still here", "private")]);

  beforeAll(async () => {
    h = await startHarness("http", engine);
  });
  afterAll(async () => {
    await h.close();
  });

  it("refuses every malformed shape with a 400, before Bolt", async () => {
    for (const [body, type] of MALFORMED) {
      expect(malformedBody(body, type), body.slice(0, 60)).toBeDefined();
      const res = await h.post(body, type);
      expect(res.status, body.slice(0, 60)).toBe(400);
    }
    expect(h.logs.filter((l) => l.msg === "slack request refused").length).toBe(MALFORMED.length);
    // Nothing of the body is logged.
    expect(JSON.stringify(h.logs)).not.toContain("block_actions");
  });

  it("survives 300 random signed bodies, then still answers a DM", async () => {
    const json = fc.oneof(
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 200 }),
      fc
        .record({
          type: fc.oneof(
            fc.constantFrom("event_callback", "block_actions", "url_verification", "x"),
            fc.jsonValue({ maxDepth: 1 }),
          ),
          event: fc.jsonValue({ maxDepth: 2 }),
          actions: fc.jsonValue({ maxDepth: 2 }),
          user: fc.jsonValue({ maxDepth: 1 }),
          challenge: fc.jsonValue({ maxDepth: 1 }),
        })
        .map((v) => JSON.stringify(v)),
    );
    const bodies = fc.sample(fc.tuple(json, fc.constantFrom(JSON_TYPE, FORM, "text/plain")), {
      numRuns: 300,
      seed: 16,
    });
    // In batches: a body Bolt has no listener for waits out Bolt's 3-second ack timeout.
    for (let i = 0; i < bodies.length; i += 50) {
      await Promise.all(
        bodies.slice(i, i + 50).map(async ([raw, type]) => {
          const body = type === FORM ? form(raw) : raw;
          const res = await h.post(body, type);
          // Refused, or handled; never a hang. (A crash fails the run as an unhandled error.)
          expect([200, 400, 401, 404, 500]).toContain(res.status);
          await res.arrayBuffer();
        }),
      );
    }
    const before = h.fake.timeline.length;
    const ok = await h.postEvent(eventCallback(dmEvent("U9", "hello")));
    expect(ok.status).toBe(200);
    await h.fake.waitFor(
      (r) =>
        r.kind === "api" &&
        r.method === "chat.postMessage" &&
        JSON.stringify(r).includes("still here"),
    );
    expect(h.fake.timeline.length).toBeGreaterThan(before);
  }, 120_000);
});
