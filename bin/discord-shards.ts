/**
 * `npm run discord:shards`: runs the Discord bot as several shards, one child process each,
 * with discord.js's ShardingManager. Every child is a normal `npm start` that only serves its
 * shards; run it with KNEEBOT_STORE=redis so sessions, locks and check-ins are shared.
 *
 * DISCORD_TOTAL_SHARDS: how many shards in all ("auto" asks Discord; the default).
 * DISCORD_SHARD_LIST: which of them this machine runs, e.g. "0,1" ("auto": all).
 */
import { join, resolve } from "node:path";
import { ShardingManager } from "discord.js";
import { z } from "zod";

const root = resolve(import.meta.dirname, "..");

const envSchema = z.object({
  DISCORD_TOKEN: z
    .string({
      message:
        "DISCORD_TOKEN is required: the bot token from the Developer Portal (Bot → Reset Token).",
    })
    .min(1),
  DISCORD_TOTAL_SHARDS: z
    .string()
    .regex(
      /^(auto|[1-9]\d*)$/,
      'DISCORD_TOTAL_SHARDS must be "auto" or a whole number of shards, e.g. 4.',
    )
    .default("auto"),
  DISCORD_SHARD_LIST: z
    .string()
    .regex(
      /^(auto|\d+(,\d+)*)$/,
      'DISCORD_SHARD_LIST must be "auto" or shard numbers separated by commas, e.g. 0,1.',
    )
    .default("auto"),
});

const parsed = envSchema.safeParse(process.env);
if (!parsed.success) {
  process.stderr.write(
    `kneebot cannot start shards:\n${parsed.error.issues.map((i) => `  - ${i.message}`).join("\n")}\n`,
  );
  process.exit(1);
}
const env = parsed.data;
const manager = new ShardingManager(join(root, "bin/start.ts"), {
  token: env.DISCORD_TOKEN,
  totalShards: env.DISCORD_TOTAL_SHARDS === "auto" ? "auto" : Number(env.DISCORD_TOTAL_SHARDS),
  shardList:
    env.DISCORD_SHARD_LIST === "auto" ? "auto" : env.DISCORD_SHARD_LIST.split(",").map(Number),
  // The children run TypeScript through tsx, like npm start.
  execArgv: ["--import", "tsx"],
  respawn: true,
});
manager.on("shardCreate", (shard) => process.stderr.write(`shard ${shard.id} starting\n`));
const stop = () => {
  for (const shard of manager.shards.values()) shard.kill();
  process.exit(0);
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
await manager.spawn({ timeout: 60_000 });
