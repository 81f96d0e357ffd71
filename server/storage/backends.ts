import type { LogStore, SnapshotStore, StableStore } from '../../core/ports/storage.ts';
import { DataDirStorage } from './data-dir-storage.ts';
import { WalStorage } from './wal/wal-storage.ts';

/** What both durable backends offer for Raft's log and stable state. */
export interface RaftStorageBackend {
  readonly dataDir: string;
  logStore(name: string): LogStore;
  stableStore(name: string): StableStore;
  snapshotStore(name: string): SnapshotStore;
  /** fsynced commits so far. */
  commits(): number;
  close(): Promise<void>;
}

/**
 * The durable backends by name, interchangeable behind the ports: `lmdb` (DataDirStorage, the
 * default: the embedded store the issue prefers, log kept on disk) and `wal` (WalStorage: measured
 * faster in scripts/bench-storage.ts and passing the same crash and property tests, but holding
 * the live log in memory).
 */
export const BACKENDS: Record<'lmdb' | 'wal', (dataDir: string) => RaftStorageBackend> = {
  lmdb: (dir) => new DataDirStorage(dir),
  wal: (dir) => new WalStorage(dir),
};
