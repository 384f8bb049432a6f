/**
 * A delivery process for the crash tests: the real runtime (SQLite file or Redis, from the
 * environment) delivering due check-ins through the real Discord and Slack senders to the
 * fakes, with a short claim lease. Prints WARM once loaded, waits for GO on stdin (so a spare
 * can load while another process delivers), then READY once delivering. The test kills it
 * with -9.
 */
import { loadConfig } from "../../src/config.ts";
import { createRuntime } from "../../src/runtime.ts";
import { realSenders } from "./senders.ts";

const env = process.env;
const runtime = await createRuntime(
  loadConfig({
    KNEEBOT_STORE: env.FAULT_STORE,
    KNEEBOT_DATA_DIR: env.FAULT_DATA_DIR,
    REDIS_URL: env.FAULT_REDIS_URL,
    LOG_LEVEL: "warn",
  }),
  {
    followUpPollMs: 100,
    followUpLeaseMs: Number(env.FAULT_LEASE_MS ?? 1500),
    ...(env.FAULT_REDIS_PREFIX ? { redisPrefix: env.FAULT_REDIS_PREFIX } : {}),
  },
);
const senders = await realSenders({
  discordApi: env.FAULT_DISCORD_API ?? "",
  discordToken: env.FAULT_DISCORD_TOKEN ?? "",
  slackApi: env.FAULT_SLACK_API ?? "",
});
// Warm: loaded and connected. The test says GO when this process should take over delivery.
process.stdout.write("WARM\n");
await new Promise<void>((resolve) => {
  process.stdin.on("data", (d) => {
    if (String(d).includes("GO")) resolve();
  });
});
runtime.startDelivery(senders.send);
process.stdout.write("READY\n");
process.on("SIGTERM", () => {
  void runtime.close().then(() => process.exit(0));
});
