import fc from "fast-check";
import type { DestinationStream } from "pino";
import { describe, expect, it } from "vitest";
import { createLogger, hashUserId, silentLogger } from "../../src/logger.ts";

const SALT = "test-salt-0123456789";

function capture(logContent = false, level: "info" | "debug" = "info") {
  const lines: string[] = [];
  const destination: DestinationStream = { write: (line: string) => void lines.push(line) };
  const logger = createLogger({ level, logContent, salt: SALT, destination });
  return {
    logger,
    raw: () => lines.join(""),
    records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("hashUserId", () => {
  it("is 16 lowercase hex characters and deterministic", () => {
    const h = hashUserId(SALT, "discord", "123456789012345678");
    expect(h).toMatch(/^[0-9a-f]{16}$/);
    expect(hashUserId(SALT, "discord", "123456789012345678")).toBe(h);
  });

  it("changes with the salt, the platform and the id", () => {
    const h = hashUserId("a", "slack", "U1");
    expect(hashUserId("b", "slack", "U1")).not.toBe(h);
    expect(hashUserId("a", "discord", "U1")).not.toBe(h);
    expect(hashUserId("a", "slack", "U2")).not.toBe(h);
  });

  it("does not confuse where one part ends and the next begins", () => {
    expect(hashUserId("s", "ab", "c")).not.toBe(hashUserId("s", "a", "bc"));
    expect(hashUserId("sa", "b", "c")).not.toBe(hashUserId("s", "ab", "c"));
  });
});

describe("createLogger privacy", () => {
  const secret = "my left knee clicks when I run downhill";

  it("removes text and health fields at any depth and hashes user ids", () => {
    const { logger, raw, records } = capture();
    logger.info(
      {
        platform: "discord",
        userId: "1234567890",
        text: secret,
        turn: { platform: "discord", userId: "1234567890", type: "text", text: secret },
        reply: { kind: "outcome", meta: { level: "urgent", findings: { swelling: "sudden" } } },
        replies: [{ answer: "ANSWER-BODY", content: "CONTENT-BODY", message: "MESSAGE-BODY" }],
        command: { args: "ARGS-BODY", values: ["VALUE-BODY"], redFlags: ["locking"] },
      },
      "turn handled",
    );
    const out = raw();
    for (const hidden of [
      secret,
      "1234567890",
      "sudden",
      "swelling",
      "ANSWER-BODY",
      "CONTENT-BODY",
      "MESSAGE-BODY",
      "ARGS-BODY",
      "VALUE-BODY",
      "locking",
    ]) {
      expect(out).not.toContain(hidden);
    }
    const [record] = records();
    const hashed = hashUserId(SALT, "discord", "1234567890");
    expect(record).toMatchObject({
      level: "info",
      msg: "turn handled",
      platform: "discord",
      userId: hashed,
      turn: { platform: "discord", userId: hashed, type: "text" },
      reply: { kind: "outcome", meta: { level: "urgent" } },
    });
    expect(record).not.toHaveProperty("text");
  });

  it("hashes user ids in child bindings, remembering the platform for grandchildren", () => {
    const { logger, raw, records } = capture();
    const child = logger.child({ platform: "slack", userId: "W0123ABC", text: secret });
    child.child({ turnId: "t1" }).warn({ userId: "W0123ABC" }, "slow store");
    child.setBindings({ userId: "W0123ABC", content: secret });
    child.info("after setBindings");
    expect(raw()).not.toContain("W0123ABC");
    expect(raw()).not.toContain(secret);
    const hashed = hashUserId(SALT, "slack", "W0123ABC");
    const [first, second] = records();
    expect(first).toMatchObject({ platform: "slack", userId: hashed, turnId: "t1" });
    expect(second).toMatchObject({ userId: hashed });
  });

  it("hashes a user id logged without a platform using an empty platform", () => {
    const { logger, records } = capture();
    logger.info({ userId: 42 }, "no platform");
    expect(records()[0]?.userId).toBe(hashUserId(SALT, "", "42"));
  });

  it("keeps content when logContent is on, but still hashes user ids", () => {
    const { logger, raw, records } = capture(true);
    logger.info({ platform: "terminal", userId: "local", text: secret }, "debugging");
    expect(records()[0]).toMatchObject({
      text: secret,
      userId: hashUserId(SALT, "terminal", "local"),
    });
    expect(raw()).not.toContain('"local"');
  });

  it("keeps error messages and stacks for debugging", () => {
    const { logger, records } = capture();
    logger.error({ err: new Error("store unreachable"), userId: "u1" }, "turn failed");
    logger.error(new Error("bare error"));
    const [withObject, bare] = records();
    expect(withObject?.err).toMatchObject({ type: "Error", message: "store unreachable" });
    const err = withObject?.err as { stack?: string } | undefined;
    expect(err?.stack).toContain("store unreachable");
    expect(bare?.msg).toBe("bare error");
  });

  it("does not modify the caller's object", () => {
    const { logger } = capture();
    const turn = { platform: "discord", userId: "u1", text: secret, nested: { text: secret } };
    logger.info({ turn }, "x");
    expect(turn).toEqual({
      platform: "discord",
      userId: "u1",
      text: secret,
      nested: { text: secret },
    });
  });

  it("survives circular and very deep objects", () => {
    const { logger, raw } = capture();
    const loop: Record<string, unknown> = { name: "loop" };
    loop.self = loop;
    let deep: Record<string, unknown> = { text: secret };
    for (let i = 0; i < 20; i++) deep = { inner: deep };
    logger.info({ loop, deep }, "odd shapes");
    expect(raw()).toContain("[circular]");
    expect(raw()).not.toContain(secret);
  });

  it("respects the level", () => {
    const { logger, records } = capture(false, "info");
    logger.debug({ a: 1 }, "hidden");
    logger.info("shown");
    expect(records().map((r) => r.msg)).toEqual(["shown"]);
  });

  it("never lets any text field value through (property)", () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[A-Za-z0-9]{12,40}$/),
        fc.constantFrom("text", "message", "content", "findings", "answer"),
        fc.integer({ min: 0, max: 5 }),
        (value, field, depth) => {
          const { logger, raw } = capture();
          let obj: Record<string, unknown> = { [field]: value };
          for (let i = 0; i < depth; i++) obj = { [`k${i}`]: obj, list: [obj] };
          logger.info(obj, "p");
          logger.child(obj).info("c");
          return !raw().includes(value);
        },
      ),
    );
  });
});

describe("silentLogger", () => {
  it("accepts every call and writes nothing", () => {
    expect(() => {
      silentLogger.info({ text: "x" }, "m");
      silentLogger.error(new Error("e"));
    }).not.toThrow();
  });
});
