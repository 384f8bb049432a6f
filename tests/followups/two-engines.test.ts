/**
 * Two bot processes on one Redis, simulated by two engines with their own Redis connections:
 * turns of the same user through both lose no update, and every check-in goes out once.
 */
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { FollowUpHooks } from "../../src/engine/context.ts";
import { createEngine, type KneebotEngine } from "../../src/engine.ts";
import { createBullmqScheduler } from "../../src/followups/bullmq-scheduler.ts";
import type { Scheduler } from "../../src/followups/types.ts";
import { createRedisSessionStore } from "../../src/store/redis.ts";
import type { SessionStore } from "../../src/store/types.ts";
import type { Reply } from "../../src/types.ts";
import {
  deletePrefix,
  REDIS_NOTICE,
  REDIS_URL,
  redisUp,
  testClient,
  uniquePrefix,
} from "../store/redis-env.ts";
import { dm, followUpEngine, knowledge, runTriage } from "./helpers.ts";
import { settle, waitFor } from "./wait.ts";

const DAY = 24 * 60 * 60 * 1000;
const USERS = 10;
const TURNS = 20;

describe.skipIf(!redisUp)(`two engines on one Redis${REDIS_NOTICE}`, () => {
  let admin: Redis;
  const prefixes: string[] = [];
  const clients: Redis[] = [];
  const client = () => {
    const c = new Redis(REDIS_URL);
    clients.push(c);
    return c;
  };
  beforeAll(() => {
    admin = testClient();
  });
  afterAll(async () => {
    for (const c of clients) await c.quit();
    for (const p of prefixes) await deletePrefix(admin, p);
    await admin.quit();
  });

  /** A hook that counts a user's turns in their session, slowly, to invite lost updates. */
  const counting: FollowUpHooks = {
    async text(scope) {
      const s = scope.session as unknown as { n?: number };
      const n = s.n ?? 0;
      await new Promise((r) => setTimeout(r, Math.random() * 3));
      s.n = n + 1;
      return [{ kind: "info", text: "counted", visibility: "private" }];
    },
  };

  async function hammer(a: KneebotEngine, b: KneebotEngine, store: SessionStore) {
    await Promise.all(
      Array.from({ length: USERS * TURNS }, (_, i) => {
        const user = dm(`U${i % USERS}`);
        // Consecutive turns of one user go to different engines.
        return (Math.floor(i / USERS) % 2 ? a : b).handle(user.text("ping"));
      }),
    );
    const counts: number[] = [];
    for (let u = 0; u < USERS; u++) {
      const s = (await store.get(`slack:U${u}`)) as unknown as { n?: number } | undefined;
      counts.push(s?.n ?? 0);
    }
    return counts;
  }

  it("concurrent turns of the same users through both engines lose no update", async () => {
    const prefix = uniquePrefix("two-engines");
    prefixes.push(prefix);
    const storeA = createRedisSessionStore(client(), { prefix });
    const storeB = createRedisSessionStore(client(), { prefix });
    const a = createEngine({ knowledge, sessions: storeA, followUps: counting });
    const b = createEngine({ knowledge, sessions: storeB, followUps: counting });
    expect(await hammer(a, b, storeA)).toEqual(Array(USERS).fill(TURNS));
  });

  it("(control) without the cross-process lock, the same load does lose updates", async () => {
    const prefix = uniquePrefix("two-engines-nolock");
    prefixes.push(prefix);
    const unlocked = (s: SessionStore): SessionStore => ({
      get: (k) => s.get(k),
      set: (k, v) => s.set(k, v),
      delete: (k) => s.delete(k),
      close: () => s.close(),
    });
    const storeA = unlocked(createRedisSessionStore(client(), { prefix }));
    const storeB = unlocked(createRedisSessionStore(client(), { prefix }));
    const a = createEngine({ knowledge, sessions: storeA, followUps: counting });
    const b = createEngine({ knowledge, sessions: storeB, followUps: counting });
    const counts = await hammer(a, b, storeA);
    expect(counts.reduce((x, y) => x + y, 0)).toBeLessThan(USERS * TURNS);
  });

  it("books, delivers once (two workers) and answers check-ins across both engines", async () => {
    const prefix = uniquePrefix("two-engines-fu");
    prefixes.push(prefix);
    const clock = { t: Date.now() };
    const now = () => clock.t;
    const schedulers: Scheduler[] = [0, 1].map(() =>
      createBullmqScheduler({ url: REDIS_URL, prefix, now, backoffBaseMs: 20 }),
    );
    const bots = schedulers.map((scheduler) =>
      followUpEngine(scheduler, { sessions: createRedisSessionStore(client(), { prefix }), now }),
    );
    for (const [i, s] of schedulers.entries()) s.start(bots[i]!.deliver);
    const engine = (i: number) => bots[i % 2]!.engine;

    // Every user's turns alternate between the two engines, all users at once.
    await Promise.all(
      Array.from({ length: USERS }, async (_, u) => {
        const user = dm(`U${u}`);
        let turn = u;
        const via = {
          handle: (t: Parameters<KneebotEngine["handle"]>[0]) => engine(turn++).handle(t),
        };
        const outcome = await runTriage(via as KneebotEngine, user);
        const offer = outcome.find((r) => r.choices?.id.startsWith("u.offer-"));
        await via.handle(user.pick(offer, "2d"));
      }),
    );
    for (let u = 0; u < USERS; u++)
      expect(await schedulers[0]!.list("slack", `U${u}`)).toHaveLength(1);

    clock.t += 3 * DAY;
    await schedulers[1]!.runDue();
    const sent = () => [...bots[0]!.sent, ...bots[1]!.sent];
    await waitFor(() => sent().length >= USERS, "every check-in");
    await settle(300);
    expect(
      sent()
        .map((d) => d.userId)
        .sort(),
    ).toEqual(Array.from({ length: USERS }, (_, u) => `U${u}`).sort());

    // Answers arrive through either engine; each user's session knows their check-in.
    const answers = await Promise.all(
      sent().map((d, i) => engine(i).handle(dm(d.userId).text("much better thanks"))),
    );
    for (const r of answers)
      expect(r.map((x: Reply) => x.text)).toContain(knowledge.wording.followup_better_reply);
    for (const s of schedulers) await s.close();
  }, 120_000);
});
