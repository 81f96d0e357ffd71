/** Shared by the crash-test children and crash.test.ts. */

/** Snapshot body for an index: deterministic, so the reader can check every byte. */
export function snapshotBody(i: number): Uint8Array {
  const size = 50_000 + (i % 7) * 40_000;
  const out = new Uint8Array(size);
  for (let k = 0; k < size; k++) out[k] = (i * 31 + k) & 0xff;
  return out;
}

/** WAL rewrite threshold for the `wal-small` crash runs, so that rewrites happen under kill -9. */
export const SMALL_REWRITE = 256 * 1024;
