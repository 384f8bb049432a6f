/**
 * Letting work in flight finish on shutdown: every adapter keeps the promises of the turns it is
 * answering in a set, and waits for them (up to a deadline) before it disconnects, so a runner
 * whose message was accepted still gets the reply.
 */

/**
 * Waits for the turns in flight to be delivered, up to `deadlineMs`; resolves with how many
 * were still unfinished at the deadline.
 */
export async function drainTurns(
  inFlight: Set<Promise<unknown>>,
  deadlineMs: number,
): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<"late">((r) => {
    timer = setTimeout(() => r("late"), deadlineMs);
  });
  for (;;) {
    const pending = [...inFlight];
    if (pending.length === 0) break;
    const first = await Promise.race([
      Promise.allSettled(pending).then(() => "done" as const),
      deadline,
    ]);
    if (first === "late") break;
  }
  clearTimeout(timer);
  return inFlight.size;
}
