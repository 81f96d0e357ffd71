/**
 * Consul's replicated state: tables with indexes, KV/catalog/session/txn semantics, watches for
 * blocking queries, and snapshots. Writes go through core/fsm; reads call these functions.
 */
export * from './acl.ts';
export * from './catalog.ts';
export * from './catalog-read.ts';
export * from './kv.ts';
export * from './operator.ts';
export * from './prepared-queries.ts';
export * from './schema.ts';
export * from './session-request.ts';
export * from './session-ttl.ts';
export * from './sessions.ts';
export * from './snapshot.ts';
export * from './store.ts';
export * from './txn.ts';
export * from './types.ts';
export { WatchRegistry, WatchSet } from './watch.ts';
export type { ChangeSet, WatchStats } from './watch.ts';
export * from './tombstone-gc.ts';
export * from './near.ts';
export * from './blocking.ts';
