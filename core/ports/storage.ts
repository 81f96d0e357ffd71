/**
 * Durable storage as the core sees it: Raft's log, its stable state (term and vote) and snapshots.
 *
 * Shared contract of every store here:
 * - Reads are synchronous and see every write made before them, synced or not (a store serves
 *   reads from memory or a memory map; the browser keeps an in-memory mirror of IndexedDB).
 * - Writes are buffered. Nothing is durable until a later `sync` calls back without an error.
 *   A crash loses any suffix of the unsynced writes (possibly none, possibly all of them): the
 *   surviving writes are always a prefix, in the order they were made.
 * - `sync(callback)` calls back asynchronously, in the order the syncs were requested, never inside
 *   the call. An error means the store is unusable (disk full, I/O error): the caller must stop
 *   acknowledging anything that depends on it. Writes are never reported synced when they are not.
 * - Byte arrays passed in are owned by the store from then on; arrays returned are owned by the
 *   caller and may be retained.
 */

/** One Raft log entry as stored. `type` is the raft entry type; `data` is opaque to the store. */
export interface LogRecord {
  index: number;
  term: number;
  type: number;
  data: Uint8Array;
}

/** Completion of a sync: `undefined` on success. */
export type SyncCallback = (error: Error | undefined) => void;

/**
 * The Raft log: a contiguous run of entries from `firstIndex()` to `lastIndex()`.
 *
 * An empty log reports `firstIndex() === lastIndex() + 1` (both relative to the last compaction:
 * a fresh log gives first 1, last 0).
 */
export interface LogStore {
  firstIndex(): number;
  lastIndex(): number;
  /** The entry at `index`, or undefined outside [firstIndex, lastIndex]. */
  get(index: number): LogRecord | undefined;
  /**
   * Entries from `lo` to `hi` inclusive, stopping early once `maxBytes` of data is reached (at least
   * one entry is returned when `lo` is in range). Returns [] when `lo` is out of range.
   */
  range(lo: number, hi: number, maxBytes?: number): LogRecord[];
  /** Appends entries whose indexes continue the log (the first must be `lastIndex() + 1`). */
  append(entries: LogRecord[]): void;
  /** Removes every entry with index >= `index` (a conflicting suffix). */
  truncateFrom(index: number): void;
  /** Removes every entry with index <= `index` (compaction after a snapshot); first becomes index+1. */
  compactTo(index: number): void;
  sync(callback: SyncCallback): void;
}

/** Small named values that must survive a crash: Raft's current term, vote, and similar. */
export interface StableStore {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  sync(callback: SyncCallback): void;
}

/** What identifies a snapshot: the last log entry it covers and the membership at that point. */
export interface SnapshotMeta {
  /** Unique per store; assigned by the writer (e.g. `${term}-${index}-${sequence}`). */
  id: string;
  index: number;
  term: number;
  /** Opaque encoded cluster configuration at `index`. */
  configuration: Uint8Array;
  size: number;
}

/**
 * Snapshots of the state machine. A snapshot is written whole and becomes visible to `latest` only
 * when `save` calls back successfully; a crash before that leaves the previous one in place.
 */
export interface SnapshotStore {
  save(meta: SnapshotMeta, data: Uint8Array, callback: SyncCallback): void;
  /** The newest completely saved snapshot, or undefined. */
  latest(): { meta: SnapshotMeta; data: Uint8Array } | undefined;
  /** Metadata of retained snapshots, newest first. */
  list(): SnapshotMeta[];
}
