/**
 * Polls `fn` every 200 ms until it returns something other than undefined (a thrown error counts
 * as "not yet"), and returns that; fails with `timed out waiting for <what>` after `ms`. For tests
 * that wait on real processes, where readiness is only visible by asking.
 */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const v = await fn().catch(() => undefined);
    if (v !== undefined) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}
