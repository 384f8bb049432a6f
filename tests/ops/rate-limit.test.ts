import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isKneebotError } from "../../src/errors.ts";
import { createRateLimiter, type RateDecision } from "../../src/rate-limit.ts";

function fakeClock(start = 1_700_000_000_000) {
  let t = start;
  return {
    now: () => t,
    advance: (ms: number) => {
      t += ms;
    },
  };
}

const take = (limiter: { take(k: string): RateDecision }, key: string, n: number) =>
  Array.from({ length: n }, () => limiter.take(key));

describe("createRateLimiter", () => {
  it("allows a burst, then one limited-first, then silence", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 3, perMinute: 20, now: clock.now });
    expect(take(limiter, "u", 6)).toEqual([
      "ok",
      "ok",
      "ok",
      "limited-first",
      "limited",
      "limited",
    ]);
  });

  it("refills at perMinute, staying silent until the bucket is full again", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 3, perMinute: 20, now: clock.now });
    take(limiter, "u", 4); // drained and notified
    clock.advance(2999);
    expect(limiter.take("u")).toBe("limited");
    clock.advance(1); // 3 s at 20/min = exactly one token
    expect(limiter.take("u")).toBe("ok");
    // Not yet refilled to the full burst, so the notice is not repeated.
    expect(limiter.take("u")).toBe("limited");
  });

  it("resets the notice once the bucket has refilled completely", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 3, perMinute: 20, now: clock.now });
    take(limiter, "u", 5);
    clock.advance(9000); // 3 tokens at 20/min
    expect(take(limiter, "u", 5)).toEqual(["ok", "ok", "ok", "limited-first", "limited"]);
  });

  it("never stores more than burst tokens after a long idle", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 2, perMinute: 60, now: clock.now });
    limiter.take("u");
    clock.advance(24 * 3600 * 1000);
    expect(take(limiter, "u", 3)).toEqual(["ok", "ok", "limited-first"]);
  });

  it("keeps one key's flood from affecting another key", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 8, perMinute: 20, now: clock.now });
    const flood = take(limiter, "discord:attacker", 10_000);
    expect(flood.filter((d) => d === "ok")).toHaveLength(8);
    expect(flood.filter((d) => d === "limited-first")).toHaveLength(1);
    expect(take(limiter, "discord:runner", 8).every((d) => d === "ok")).toBe(true);
    expect(limiter.take("discord:runner")).toBe("limited-first");
  });

  it("treats a clock stepping backwards as no time passing", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 2, perMinute: 60, now: clock.now });
    take(limiter, "u", 2);
    clock.advance(-60_000);
    expect(limiter.take("u")).toBe("limited-first");
    clock.advance(1000); // 1 s after the backwards step: one token at 60/min
    expect(limiter.take("u")).toBe("ok");
  });

  it("forgets the least recently used keys beyond maxKeys", () => {
    const clock = fakeClock();
    const limiter = createRateLimiter({ burst: 1, perMinute: 1, now: clock.now, maxKeys: 3 });
    for (const key of ["a", "b", "c"]) expect(limiter.take(key)).toBe("ok");
    expect(limiter.take("a")).toBe("limited-first"); // touches "a": "b" is now the oldest
    expect(limiter.take("d")).toBe("ok");
    expect(limiter.size()).toBe(3);
    expect(limiter.take("a")).toBe("limited"); // kept
    expect(limiter.take("c")).toBe("limited-first"); // kept
    expect(limiter.take("b")).toBe("ok"); // forgotten, so a fresh bucket
    expect(limiter.size()).toBe(3);
  });

  it("stays within maxKeys under many distinct keys", () => {
    const limiter = createRateLimiter({ burst: 1, perMinute: 1, now: () => 0, maxKeys: 100 });
    for (let i = 0; i < 5000; i++) limiter.take(`k${i}`);
    expect(limiter.size()).toBe(100);
  });

  it.each([
    { burst: 0, perMinute: 20 },
    { burst: 8, perMinute: 0 },
    { burst: 1.5, perMinute: 20 },
    { burst: 8, perMinute: 20, maxKeys: 0 },
  ])("rejects bad options %o", (options) => {
    try {
      createRateLimiter(options);
      expect.unreachable("should throw");
    } catch (err) {
      expect(isKneebotError(err, "config")).toBe(true);
    }
  });

  it("never allows more than burst + refilled tokens, per key (property)", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 1, max: 120 }),
        fc.array(fc.tuple(fc.constantFrom("a", "b", "c"), fc.integer({ min: 0, max: 5000 })), {
          maxLength: 300,
        }),
        (burst, perMinute, steps) => {
          const clock = fakeClock(0);
          const limiter = createRateLimiter({ burst, perMinute, now: clock.now });
          const oks: Record<string, number> = {};
          const firsts: Record<string, number> = {};
          for (const [key, dt] of steps) {
            clock.advance(dt);
            const d = limiter.take(key);
            if (d === "ok") oks[key] = (oks[key] ?? 0) + 1;
            if (d === "limited-first") firsts[key] = (firsts[key] ?? 0) + 1;
          }
          const elapsed = clock.now();
          for (const key of Object.keys(oks)) {
            expect(oks[key]).toBeLessThanOrEqual(
              burst + Math.floor((elapsed * perMinute) / 60_000),
            );
          }
          // Each notice needs a full bucket drained first: burst oks per notice at least.
          for (const key of Object.keys(firsts)) {
            expect(firsts[key]! * burst).toBeLessThanOrEqual(oks[key] ?? 0);
          }
        },
      ),
    );
  });
});
