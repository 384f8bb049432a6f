/**
 * `npm start`: runs kneebot. With Discord and/or Slack tokens set it connects to those
 * platforms; with none it opens the terminal chat. Every setting is validated first.
 */
import { runTerminal } from "../adapters/terminal/index.ts";
import { formatConfigError, loadConfig } from "../src/config.ts";
import { isKneebotError } from "../src/errors.ts";
import { createRuntime } from "../src/runtime.ts";

async function main(): Promise<void> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.env);
  } catch (err) {
    process.stderr.write(`${formatConfigError(err)}\n`);
    process.exit(1);
  }
  const platforms = Object.keys(config.platformEnv).some(
    (k) => k === "DISCORD_TOKEN" || k === "SLACK_BOT_TOKEN",
  );
  const runtime = await createRuntime(config, { logTo: platforms ? "stdout" : "stderr" });
  if (!platforms) {
    await runTerminal({ engine: runtime.engine });
    await runtime.close();
    return;
  }
  throw new Error("platform adapters are wired in bin/start.ts");
}

main().catch((err: unknown) => {
  process.stderr.write(
    isKneebotError(err)
      ? `kneebot cannot start:\n${err.message}\n`
      : `kneebot crashed: ${err instanceof Error ? err.stack : String(err)}\n`,
  );
  process.exit(1);
});
