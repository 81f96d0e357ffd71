import { distanceSeconds } from '../gossip/coordinate/coordinate.ts';
import type { Coord } from '../state/types.ts';

/**
 * Round-trip estimates between nodes from their Vivaldi coordinates (agent/consul/rtt.go), used by
 * `?near=` on catalog and health reads and by prepared-query execution.
 */

/** Go's coordinate.DistanceTo on Consul's JSON shape. */
export function rttSeconds(a: Coord, b: Coord): number {
  const lower = (c: Coord) => ({ vec: c.Vec, error: c.Error, adjustment: c.Adjustment, height: c.Height });
  return distanceSeconds(lower(a), lower(b));
}

/** Sorts `rows` by distance from `source` given each row's node name; returns a new array. */
export function sortByDistance<T>(rows: readonly T[], nodeOf: (row: T) => string, source: Coord, coords: ReadonlyMap<string, Coord>): T[] {
  const keyed = rows.map((row, i) => {
    const c = coords.get(nodeOf(row));
    let d = Number.POSITIVE_INFINITY;
    if (c && c.Vec.length === source.Vec.length) d = rttSeconds(source, c);
    return { row, i, d };
  });
  keyed.sort((x, y) => (x.d === y.d ? x.i - y.i : x.d < y.d ? -1 : 1));
  return keyed.map((k) => k.row);
}

