/**
 * Round-trip times from Vivaldi network coordinates (reference §1.3 Coordinate; Consul's
 * lib/coordinate DistanceTo): the Euclidean distance of the vectors plus both heights, plus both
 * adjustments when that keeps it positive. Coordinates are in seconds.
 */
import { compareNames } from './compare.ts';
import type { Coord, NodeCoordinate } from './types.ts';

/** Estimated RTT between two coordinates in seconds; null when their dimensions differ. */
export function distanceSeconds(a: Coord, b: Coord): number | null {
  if (a.Vec.length !== b.Vec.length) return null;
  let sum = 0;
  for (let i = 0; i < a.Vec.length; i++) {
    const d = (a.Vec[i] ?? 0) - (b.Vec[i] ?? 0);
    sum += d * d;
  }
  const raw = Math.sqrt(sum) + a.Height + b.Height;
  const adjusted = raw + a.Adjustment + b.Adjustment;
  return adjusted > 0 ? adjusted : raw;
}

/** RTT from one node to each other node, fastest first, in milliseconds. */
export interface RttSummary {
  others: { node: string; ms: number }[];
  min: number;
  median: number;
  max: number;
}

/** The node's RTT to every other node with a coordinate; null when the node has none or is alone. */
export function rttSummary(node: string, coordinates: readonly NodeCoordinate[] | null): RttSummary | null {
  const all = coordinates ?? [];
  const own = all.find((c) => c.Node === node);
  if (own === undefined) return null;
  const others: { node: string; ms: number }[] = [];
  for (const c of all) {
    if (c.Node === node || c.Segment !== own.Segment) continue;
    const seconds = distanceSeconds(own.Coord, c.Coord);
    if (seconds !== null) others.push({ node: c.Node, ms: seconds * 1000 });
  }
  if (others.length === 0) return null;
  others.sort((a, b) => a.ms - b.ms || compareNames(a.node, b.node));
  const mid = Math.floor(others.length / 2);
  const median = others.length % 2 === 1 ? others[mid]!.ms : (others[mid - 1]!.ms + others[mid]!.ms) / 2;
  return { others, min: others[0]!.ms, median, max: others[others.length - 1]!.ms };
}

/** Formats milliseconds the way Consul's UI does (two decimals, `ms`). */
export function formatMs(ms: number): string {
  return `${ms.toFixed(2)}ms`;
}
