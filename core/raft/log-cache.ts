/**
 * CachedLogStore: the newest log entries kept in memory in front of a LogStore, as HashiCorp's
 * LogCache in front of Consul's raft.db (512 entries there too).
 *
 * Raft reads back what it just wrote: the leader looks up terms and entries to build appends and
 * to check the commit rule, and every server reads committed entries to apply them. Served from
 * the store, each of those is a database read (and a copy); under write load nearly all of them
 * hit the last few hundred entries, which this keeps. Writes go to the store first and the cache
 * follows, so a rejected write changes neither; the store's bounds stay authoritative.
 */
import type { LogRecord, LogStore, SyncCallback } from '../ports/storage.ts';
import { collectRange } from './log-range.ts';

/** Entries cached by default (HashiCorp's raftLogCacheSize in Consul). */
export const LOG_CACHE_ENTRIES = 512;

export class CachedLogStore implements LogStore {
  /** Slot `index % size` holds the entry at `index`, if it is cached. */
  private readonly ring: Array<LogRecord | undefined>;

  constructor(
    private readonly store: LogStore,
    private readonly size = LOG_CACHE_ENTRIES,
  ) {
    this.ring = new Array<LogRecord | undefined>(size);
  }

  firstIndex(): number {
    return this.store.firstIndex();
  }

  lastIndex(): number {
    return this.store.lastIndex();
  }

  get(index: number): LogRecord | undefined {
    if (index < this.store.firstIndex() || index > this.store.lastIndex()) return undefined;
    const cached = this.ring[index % this.size];
    if (cached !== undefined && cached.index === index) return cached;
    return this.store.get(index);
  }

  range(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): LogRecord[] {
    return collectRange(lo, hi, this.store.firstIndex(), this.store.lastIndex(), maxBytes, (i) => this.get(i));
  }

  append(entries: LogRecord[]): void {
    this.store.append(entries);
    for (const e of entries) {
      // A view into a larger buffer (an entry decoded from a network frame) would keep the whole
      // frame alive for as long as the entry stays cached: keep a copy of just the data instead.
      const data = e.data.byteLength === e.data.buffer.byteLength ? e.data : e.data.slice();
      this.ring[e.index % this.size] = { index: e.index, term: e.term, type: e.type, data };
    }
  }

  truncateFrom(index: number): void {
    this.store.truncateFrom(index);
    this.drop((r) => r.index >= index);
  }

  compactTo(index: number): void {
    this.store.compactTo(index);
    this.drop((r) => r.index <= index);
  }

  sync(callback: SyncCallback): void {
    this.store.sync(callback);
  }

  private drop(match: (r: LogRecord) => boolean): void {
    for (let i = 0; i < this.size; i++) {
      const r = this.ring[i];
      if (r !== undefined && match(r)) this.ring[i] = undefined;
    }
  }
}
