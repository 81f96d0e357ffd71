import { createTables, TABLE_ORDER, type Tables } from './schema.ts';
import type { WriteContext, WriteSlot } from './table.ts';
import { type WatchSet, WatchRegistry } from './watch.ts';

/** What a committed write reports to commit listeners. */
export interface CommitInfo {
  index: number;
  tombstoned: boolean;
}

/** An error a state-store operation reports to its caller (Consul returns these as RPC errors). */
export class StateError extends Error {
  override name = 'StateError';
}

/**
 * Consul's state store: all replicated tables, the watch registry for blocking queries, and
 * all-or-nothing writes. Operations live in kv.ts, catalog.ts, sessions.ts, txn.ts and friends as
 * functions over a store.
 *
 * Writes: `write(index, fn)` runs `fn` with every table write stamped with raft index `index`. If
 * `fn` throws, every change is undone (rows, secondary indexes, table indexes) and the error is
 * rethrown; otherwise the affected watchers fire once `fn` returns. Writes do not nest.
 *
 * The store never reads a clock: operations that need time take a leader-stamped `now`.
 */
export class StateStore {
  private slot: WriteSlot = { ctx: null };
  /** The tables. Read freely; write only through the operation modules inside `write`. */
  t: Tables = createTables(this.slot);
  readonly watches = new WatchRegistry();
  /** Raft index of the last write applied (also after restore). */
  lastIndex = 0;

  /** Runs one atomic write at raft `index`. */
  write<T>(index: number, fn: (ctx: WriteContext) => T): T {
    if (this.slot.ctx) throw new StateError('nested write transaction');
    const ctx: WriteContext = { index, undo: [], changes: { topics: new Set(), keys: new Map() }, tombstoned: false };
    this.slot.ctx = ctx;
    let result: T;
    try {
      result = fn(ctx);
    } catch (e) {
      for (let i = ctx.undo.length - 1; i >= 0; i--) ctx.undo[i]!();
      this.slot.ctx = null;
      throw e;
    }
    this.slot.ctx = null;
    if (index > this.lastIndex) this.lastIndex = index;
    this.watches.fire(ctx.changes);
    for (const l of this.commitListeners) {
      try {
        l({ index, tombstoned: ctx.tombstoned });
      } catch (e) {
        // The write is committed; a listener's failure must not turn it into an error.
        this.watches.onCallbackError(e);
      }
    }
    return result;
  }

  private readonly commitListeners: Array<(info: CommitInfo) => void> = [];

  /**
   * Calls `listener` after every committed write (not after rolled-back ones). The leader uses it to
   * feed its TombstoneGC: `store.onCommit(c => c.tombstoned && gc.hint(c.index, clock.now()))`.
   * Returns an unsubscribe function.
   */
  onCommit(listener: (info: CommitInfo) => void): () => void {
    this.commitListeners.push(listener);
    return () => {
      const i = this.commitListeners.indexOf(listener);
      if (i >= 0) this.commitListeners.splice(i, 1);
    };
  }

  /** Marks the write in progress as having created tombstones (kv.ts calls this). */
  markTombstoned(): void {
    const ctx = this.slot.ctx;
    if (ctx) ctx.tombstoned = true;
  }

  /** The raft index of the write in progress (throws outside a write). */
  index(): number {
    const ctx = this.slot.ctx;
    if (!ctx) throw new StateError('no write in progress');
    return ctx.index;
  }

  /** See WatchRegistry.watch: wake `callback` once when anything in `set` changes. */
  watch(set: WatchSet, callback: () => void): () => void {
    return this.watches.watch(set, callback);
  }

  /** Highest index among the given tables (Consul's maxIndexTxn). */
  maxIndex(...tables: Array<keyof Tables>): number {
    let m = 0;
    for (const n of tables) m = Math.max(m, this.t[n].maxIndex);
    return m;
  }

  /**
   * Atomically replaces this store's contents with `other`'s (restore: build new, then swap), then
   * wakes every waiter, since any result may have changed. `other` must not be used afterwards.
   */
  replaceWith(other: StateStore): void {
    if (this.slot.ctx) throw new StateError('restore during a write');
    this.slot = other.slot;
    this.t = other.t;
    this.lastIndex = other.lastIndex;
    this.watches.fireAll();
  }

  /** Row counts per table, for debugging and the lab. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const n of TABLE_ORDER) out[n] = this.t[n].size;
    return out;
  }
}
