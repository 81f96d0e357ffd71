import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { open, type RootDatabase } from 'lmdb';
import type { LogStore, SnapshotStore, StableStore } from '../../core/ports/storage.ts';
import { FileSnapshotStore } from './file-snapshot-store.ts';
import { fsyncDirSync } from './fsync-dir.ts';
import { LmdbLogStore } from './lmdb-log-store.ts';
import { LmdbStableStore } from './lmdb-stable-store.ts';
import { WriteQueue } from './write-queue.ts';

/** Options for {@link DataDirStorage}. */
export interface DataDirStorageOptions {
  /** Snapshots kept per snapshot store (hashicorp/raft's FileSnapshotStore retain, default 2). */
  retainSnapshots?: number;
  /**
   * lmdb-js's overlappingSync (commit now, fsync in the background). Off by default: a sync then
   * waits for one flush per commit, which measured faster here; on, `sync` waits for `flushed`.
   * Exposed for scripts/bench-storage.ts.
   */
  overlappingSync?: boolean;
}

/**
 * The durable stores of one agent's data dir, Consul's layout: `<data-dir>/raft/raft.db` (one LMDB
 * environment holding every log and stable store, so one fsync covers them all) and
 * `<data-dir>/raft/snapshots/<name>/`.
 *
 * LMDB gives crash safety (copy-on-write B-tree, atomic commits, checked on open) and group commit
 * (lmdb-js batches writes per event-loop turn on its write thread). Stores are created once per
 * name and reused.
 */
export class DataDirStorage {
  private readonly env: RootDatabase;
  private readonly queue: WriteQueue;
  private readonly logs = new Map<string, LmdbLogStore>();
  private readonly stables = new Map<string, LmdbStableStore>();
  private readonly snapshots = new Map<string, FileSnapshotStore>();

  constructor(
    readonly dataDir: string,
    private readonly options: DataDirStorageOptions = {},
  ) {
    const raftDir = join(dataDir, 'raft');
    mkdirSync(raftDir, { recursive: true });
    // overlappingSync off: a commit resolves only once it is fsynced, which measured faster here
    // (scripts/bench-storage.ts) and makes "committed" and "durable" the same event.
    this.env = open({ path: join(raftDir, 'raft.db'), maxDbs: 64, noSubdir: true, overlappingSync: options.overlappingSync ?? false });
    // Make the (possibly new) database files' directory entries durable before the first commit counts.
    fsyncDirSync(raftDir);
    this.queue = new WriteQueue(this.env);
  }

  /** The Raft log called `name` (e.g. `raft` for the LAN Raft of a server). */
  logStore(name: string): LogStore {
    let s = this.logs.get(name);
    if (!s) {
      const db = this.env.openDB<Uint8Array, number>({ name: `log:${name}`, encoding: 'binary' });
      const meta = this.env.openDB<number, string>({ name: `logmeta:${name}`, encoding: 'msgpack' });
      s = new LmdbLogStore(db, meta, this.queue);
      this.logs.set(name, s);
    }
    return s;
  }

  /** The stable store called `name`. */
  stableStore(name: string): StableStore {
    let s = this.stables.get(name);
    if (!s) {
      const db = this.env.openDB<Uint8Array, string>({ name: `stable:${name}`, encoding: 'binary' });
      s = new LmdbStableStore(db, this.queue);
      this.stables.set(name, s);
    }
    return s;
  }

  /** The snapshot store called `name`, in `<data-dir>/raft/snapshots/<name>`. */
  snapshotStore(name: string): SnapshotStore {
    let s = this.snapshots.get(name);
    if (!s) {
      s = new FileSnapshotStore(join(this.dataDir, 'raft', 'snapshots', name), this.options.retainSnapshots ?? 2);
      this.snapshots.set(name, s);
    }
    return s;
  }

  /**
   * LMDB's transaction counter. Every commit is one fsynced transaction, so this counts the
   * fsyncs behind all syncs (group commit: far fewer than the syncs requested).
   */
  commits(): number {
    return (this.env.getStats() as { lastTxnId: number }).lastTxnId;
  }

  /** Waits for queued writes to commit, then closes the environment. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.queue.sync(() => resolve()));
    await this.env.close();
  }
}
