import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Logger } from '../../core/ports/logger.ts';
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
 * The durable backends by name, interchangeable behind the ports: `lmdb` (DataDirStorage:
 * `raft/raft.db`, the embedded B-tree store in the place of Consul's BoltDB) and `wal`
 * (WalStorage: `raft/raft.wal`, an append-only log with one fdatasync per group commit, measured
 * faster in scripts/bench-storage.ts and passing the same crash and property tests).
 */
export const BACKENDS: Record<'lmdb' | 'wal', (dataDir: string) => RaftStorageBackend> = {
  lmdb: (dir) => new DataDirStorage(dir),
  wal: (dir) => new WalStorage(dir),
};

/**
 * Which backend a server's data dir uses, given `raft_logstore.backend` ("boltdb", "wal", or ""
 * when unset). The data already on disk wins, as in Consul (agent/consul/server.go): a `raft.db`
 * keeps LMDB even when "wal" is configured, with Consul's warning, and a `raft.wal` without a
 * `raft.db` keeps the WAL even when "boltdb" is configured (switching would start from an empty
 * log; Consul's documented switch is to remove the raft directory first). A new data dir gets the
 * configured backend, or the WAL when unset: it is the faster one (issue 6's write figures), and
 * newer Consul releases log Raft with a WAL too.
 */
export function chooseBackend(dataDir: string, configured: '' | 'boltdb' | 'wal', logger?: Logger): 'lmdb' | 'wal' {
  const hasBolt = existsSync(join(dataDir, 'raft', 'raft.db'));
  const hasWal = existsSync(join(dataDir, 'raft', 'raft.wal'));
  if (hasBolt) {
    if (configured === 'wal') logger?.log('warn', "BoltDB file raft.db found, IGNORING raft_logstore.backend which is set to 'wal'");
    return 'lmdb';
  }
  if (hasWal) {
    if (configured === 'boltdb') logger?.log('warn', "WAL file raft.wal found, IGNORING raft_logstore.backend which is set to 'boltdb'");
    return 'wal';
  }
  return configured === 'boltdb' ? 'lmdb' : 'wal';
}
