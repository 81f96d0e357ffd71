/**
 * The LogStore `range` contract in one place, for stores that can fetch entries one by one.
 */
import type { LogRecord } from '../ports/storage.ts';

/**
 * Entries `lo`..`hi` read with `get`: empty when `lo` is outside `first`..`last`; otherwise in order
 * up to `min(hi, last)`, stopping at the first missing entry or before one that would take the
 * total data past `maxBytes` (the first entry is always returned, however large, as Raft needs
 * progress).
 */
export function collectRange(
  lo: number,
  hi: number,
  first: number,
  last: number,
  maxBytes: number,
  get: (index: number) => LogRecord | undefined,
): LogRecord[] {
  if (lo < first || lo > last) return [];
  const out: LogRecord[] = [];
  let bytes = 0;
  const end = Math.min(hi, last);
  for (let i = lo; i <= end; i++) {
    const r = get(i);
    if (!r) break;
    if (out.length > 0 && bytes + r.data.length > maxBytes) break;
    out.push(r);
    bytes += r.data.length;
  }
  return out;
}
