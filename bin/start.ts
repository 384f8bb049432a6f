/**
 * `npm start`: runs kneebot. With Discord and/or Slack tokens set it connects to those
 * platforms; with none it opens the terminal chat. Every setting is validated first, and a
 * bad one stops the start with a message naming it (exit code 1). SIGTERM and SIGINT shut
 * down gracefully.
 */
import { startApp } from "./app.ts";
import { startFailure } from "./start-errors.ts";

async function main(): Promise<void> {
  const app = await startApp(process.env);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    app.runtime.logger.info({ signal }, "signal received");
    app.shutdown().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
  await app.done;
  if (app.mode === "terminal") {
    await app.shutdown();
    process.exit(0);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${startFailure(err, process.env)}\n`);
  process.exit(1);
});
