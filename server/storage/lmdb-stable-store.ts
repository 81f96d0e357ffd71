import type { Database } from 'lmdb';
import type { StableStore, SyncCallback } from '../../core/ports/storage.ts';
import type { WriteQueue } from './write-queue.ts';

/**
 * Raft's stable state (current term, vote, ...) in an LMDB database. Uncommitted values are served
 * from `pending` so reads see every earlier write; writes share the environment's WriteQueue (and
 * its group commit) with the log, so a crash keeps a prefix of log and stable writes together.
 */
export class LmdbStableStore implements StableStore {
  private readonly pending = new Map<string, Uint8Array>();

  constructor(
    private readonly db: Database<Uint8Array, string>,
    private readonly queue: WriteQueue,
  ) {}

  get(key: string): Uint8Array | undefined {
    const p = this.pending.get(key);
    if (p) return p.slice();
    const v = this.db.get(key);
    // lmdb hands out Buffers; callers get a plain Uint8Array they own.
    return v === undefined ? undefined : new Uint8Array(v);
  }

  set(key: string, value: Uint8Array): void {
    this.pending.set(key, value);
    this.queue.write(
      () => this.db.put(key, value),
      () => {
        if (this.pending.get(key) === value) this.pending.delete(key);
      },
    );
  }

  sync(callback: SyncCallback): void {
    this.queue.sync(callback);
  }
}
