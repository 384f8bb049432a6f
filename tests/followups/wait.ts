/** Polls `check` until it returns true, failing after `timeoutMs`: a bounded wait, not a timing assertion. */
export async function waitFor(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 15_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Lets pending work run for `ms` (used only to give a duplicate the chance to show up). */
export const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));
