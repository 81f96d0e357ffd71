import { coordinate } from './operator.ts';
import type { StateStore } from './store.ts';
import type { Coord } from './types.ts';

/**
 * `?near=` support: Vivaldi distance between two coordinates (serf/coordinate ComputeDistance) and
 * a stable sort of result rows by round-trip time from one node.
 */

/** Estimated RTT in seconds: |Va - Vb| + Ha + Hb, plus both adjustments when that stays positive. */
export function rttSeconds(a: Coord, b: Coord): number {
  let sum = 0;
  const n = Math.max(a.Vec.length, b.Vec.length);
  for (let i = 0; i < n; i++) {
    const d = (a.Vec[i] ?? 0) - (b.Vec[i] ?? 0);
    sum += d * d;
  }
  const dist = Math.sqrt(sum) + a.Height + b.Height;
  const adjusted = dist + a.Adjustment + b.Adjustment;
  return adjusted > 0 ? adjusted : dist;
}

/**
 * Sorts `rows` by RTT from node `origin` (stable; rows whose node has no coordinate keep their
 * order after those that have one). Without a coordinate for `origin` the rows are unchanged.
 */
export function sortByNear<T>(s: StateStore, origin: string, rows: readonly T[], nodeOf: (row: T) => string, segment = ''): T[] {
  const from = coordinate(s, origin, segment);
  if (!from) return [...rows];
  const keyed = rows.map((row, i) => {
    const c = coordinate(s, nodeOf(row), segment);
    return { row, i, d: c ? rttSeconds(from.Coord, c.Coord) : Number.POSITIVE_INFINITY };
  });
  keyed.sort((x, y) => x.d - y.d || x.i - y.i);
  return keyed.map((k) => k.row);
}
