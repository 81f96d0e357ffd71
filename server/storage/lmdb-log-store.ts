import type { Database } from 'lmdb';
import type { LogRecord, LogStore, SyncCallback } from '../../core/ports/storage.ts';
import { collectRange } from '../../core/raft/log-range.ts';
import type { WriteQueue } from './write-queue.ts';

/** Key in the meta database holding the first index after the last compaction. */
const FIRST_KEY = 'first';
/** Bytes before the data in a stored record: term (float64) and type (uint8). */
const HEADER = 9;

/**
 * The Raft log in LMDB: one key per index (LMDB's ordered numeric keys), value = term, type, data.
 *
 * Reads are synchronous. Writes not yet committed are served from `pending` (LMDB reads only see
 * committed transactions); an entry leaves `pending` when the write that put it there commits,
 * unless a newer write for the same index replaced it. Bounds (`first`, `last`) are kept in memory
 * and are authoritative, so a truncated suffix is invisible at once even before the deletes commit.
 *
 * Every write is queued in call order on the environment's WriteQueue, so what survives a crash is
 * a prefix of the operations: appends extend the top, truncation removes from the top, compaction
 * removes from the bottom, and the log on disk is always contiguous.
 */
export class LmdbLogStore implements LogStore {
  private first: number;
  private last: number;
  private readonly pending = new Map<number, LogRecord>();

  constructor(
    private readonly log: Database<Uint8Array, number>,
    private readonly meta: Database<number, string>,
    private readonly queue: WriteQueue,
  ) {
    const firstKey = firstOf(log.getKeys({ limit: 1 }));
    const lastKey = firstOf(log.getKeys({ reverse: true, limit: 1 }));
    const compacted = meta.get(FIRST_KEY) ?? 1;
    this.first = firstKey === undefined ? compacted : Math.max(compacted, firstKey);
    this.last = lastKey === undefined ? this.first - 1 : lastKey;
  }

  firstIndex(): number {
    return this.first;
  }

  lastIndex(): number {
    return this.last;
  }

  get(index: number): LogRecord | undefined {
    if (index < this.first || index > this.last) return undefined;
    const p = this.pending.get(index);
    if (p) return copyRecord(p);
    const raw = this.log.get(index);
    return raw ? decode(index, raw) : undefined;
  }

  range(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): LogRecord[] {
    return collectRange(lo, hi, this.first, this.last, maxBytes, (i) => this.get(i));
  }

  append(entries: LogRecord[]): void {
    // Check the whole batch first, so that a bad batch changes nothing.
    entries.forEach((e, i) => {
      if (e.index !== this.last + 1 + i) {
        throw new Error(`log append out of order: index ${e.index} where ${this.last + 1 + i} was expected (last index ${this.last})`);
      }
    });
    for (const e of entries) {
      this.last = e.index;
      this.pending.set(e.index, e);
      const value = encode(e);
      this.queue.write(
        () => this.log.put(e.index, value),
        () => this.settle(e.index, e),
      );
    }
  }

  truncateFrom(index: number): void {
    const from = Math.max(index, this.first);
    for (let i = this.last; i >= from; i--) {
      this.pending.delete(i);
      this.queue.write(() => this.log.remove(i));
    }
    this.last = Math.min(this.last, from - 1);
  }

  compactTo(index: number): void {
    if (index < this.first) return;
    for (let i = this.first; i <= Math.min(index, this.last); i++) {
      this.pending.delete(i);
      this.queue.write(() => this.log.remove(i));
    }
    this.first = index + 1;
    this.last = Math.max(this.last, index);
    const first = this.first;
    this.queue.write(() => this.meta.put(FIRST_KEY, first));
  }

  sync(callback: SyncCallback): void {
    this.queue.sync(callback);
  }

  private settle(index: number, record: LogRecord): void {
    if (this.pending.get(index) === record) this.pending.delete(index);
  }
}

function firstOf<T>(it: Iterable<T>): T | undefined {
  for (const v of it) return v;
  return undefined;
}

function encode(r: LogRecord): Uint8Array {
  const out = new Uint8Array(HEADER + r.data.length);
  new DataView(out.buffer).setFloat64(0, r.term);
  out[8] = r.type;
  out.set(r.data, HEADER);
  return out;
}

function decode(index: number, raw: Uint8Array): LogRecord {
  const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
  return { index, term: view.getFloat64(0), type: raw[8] ?? 0, data: new Uint8Array(raw.subarray(HEADER)) };
}

/** Pending records are the caller's arrays (owned by the store): hand out copies. */
function copyRecord(r: LogRecord): LogRecord {
  return { index: r.index, term: r.term, type: r.type, data: r.data.slice() };
}
