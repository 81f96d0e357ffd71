import { coordinatePK, lc } from './schema.ts';
import { StateError, type StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import {
  type AutopilotConfig,
  type Coordinate,
  DEFAULT_AUTOPILOT,
  type QueryResult,
  type SystemMetadataEntry,
} from './types.ts';
import { WatchSet } from './watch.ts';

/** Coordinates, autopilot configuration and system metadata: small tables of the operator APIs. */

/**
 * Batch coordinate update. Updates for nodes the catalog does not know are dropped silently, since
 * coordinates are cleaned up with their node (Consul's CoordinateBatchUpdate).
 */
export function coordinateBatchUpdate(s: StateStore, updates: Coordinate[]): void {
  for (const u of updates) {
    const node = s.t.nodes.get(lc(u.Node ?? ''));
    if (!node) continue;
    s.t.coordinates.put({ Node: node.Node, Segment: u.Segment ?? '', Coord: u.Coord });
  }
}

/** GET /v1/coordinate/nodes (optionally one node). */
export function coordinates(s: StateStore, node?: string): QueryResult<Coordinate[]> {
  const value = node === undefined ? [...s.t.coordinates.all()] : s.t.coordinates.byIndex('node', lc(node));
  return { index: s.t.coordinates.maxIndex, value, watch: new WatchSet().addTopic(tableTopic('coordinates')) };
}

/** One coordinate, or undefined. */
export function coordinate(s: StateStore, node: string, segment = ''): Coordinate | undefined {
  return s.t.coordinates.get(coordinatePK(node, segment));
}

/**
 * Sets the autopilot configuration. With `cas` (a ModifyIndex), only if it matches the stored one
 * (0 = only if none is stored). Returns whether it was written.
 */
export function autopilotSet(
  s: StateStore,
  input: Partial<Omit<AutopilotConfig, 'CreateIndex' | 'ModifyIndex'>>,
  cas?: number,
): boolean {
  const existing = s.t.autopilot.get('config');
  if (cas !== undefined && (existing?.ModifyIndex ?? 0) !== cas) return false;
  const idx = s.index();
  s.t.autopilot.put({ ...DEFAULT_AUTOPILOT, ...input, CreateIndex: existing?.CreateIndex ?? idx, ModifyIndex: idx });
  return true;
}

/** The stored autopilot configuration, or null when none was ever set (callers use defaults). */
export function autopilotGet(s: StateStore): QueryResult<AutopilotConfig | null> {
  return {
    index: s.t.autopilot.maxIndex,
    value: s.t.autopilot.get('config') ?? null,
    watch: new WatchSet().addTopic(tableTopic('autopilot-config')),
  };
}

/** Upserts system metadata entries. */
export function systemMetadataSet(s: StateStore, entries: Array<{ Key: string; Value: string }>): void {
  const idx = s.index();
  for (const e of entries) {
    if (typeof e.Key !== 'string' || e.Key === '') throw new StateError('Missing system metadata key');
    const existing = s.t.systemMetadata.get(e.Key);
    s.t.systemMetadata.put({ Key: e.Key, Value: e.Value ?? '', CreateIndex: existing?.CreateIndex ?? idx, ModifyIndex: idx });
  }
}

/** Deletes system metadata entries by key. */
export function systemMetadataDelete(s: StateStore, keys: string[]): void {
  for (const k of keys) s.t.systemMetadata.delete(k);
}

/** All system metadata, or one key. */
export function systemMetadata(s: StateStore, key?: string): QueryResult<SystemMetadataEntry[]> {
  const value =
    key === undefined ? [...s.t.systemMetadata.all()] : [s.t.systemMetadata.get(key)].filter((e) => e !== undefined);
  return { index: s.t.systemMetadata.maxIndex, value, watch: new WatchSet().addTopic(tableTopic('system-metadata')) };
}
