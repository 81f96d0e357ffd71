import { closeSync, ftruncateSync, fsyncSync, mkdirSync, openSync, readFileSync, rmSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord, LogStore, SnapshotStore, StableStore, SyncCallback } from '../../../core/ports/storage.ts';
import { collectRange } from '../../../core/raft/log-range.ts';
import { FileSnapshotStore } from '../file-snapshot-store.ts';
import { fsyncDir, fsyncDirSync } from '../fsync-dir.ts';
import { decodeRecords, encodeRecord, OP_APPEND, OP_COMPACT, OP_SET, OP_TRUNCATE, type WalOp } from './wal-record.ts';

/** Options for {@link WalStorage}. */
export interface WalStorageOptions {
  /** File size from which a rewrite (dropping compacted and truncated records) is considered. */
  rewriteThreshold?: number;
  /** Snapshots kept per snapshot store (default 2). */
  retainSnapshots?: number;
}

interface LogState {
  first: number;
  entries: LogRecord[];
}

/**
 * A hand-made alternative to the LMDB stores: every log and stable store of a data dir in one
 * append-only file, `<data-dir>/raft/raft.wal`, of CRC-framed records (wal-record.ts), with the
 * whole live state in memory.
 *
 * - Writes encode a record into a pending buffer; `sync` writes every pending record with one
 *   `writev` and one `fdatasync`. Syncs requested while a flush is in flight share the next one
 *   (group commit), and call back in request order.
 * - Open replays the file; a torn or corrupt tail is cut off (only unsynced records can be there),
 *   so the state is always a prefix of the operations.
 * - When the file is large and mostly dead records, a flush rewrites the live state to a temp file,
 *   fsyncs it, renames it over the log and fsyncs the directory.
 * - After a failed write or fsync every later sync reports that error.
 *
 * Trade-off against LMDB: faster (one fdatasync per group commit instead of LMDB's data and meta
 * syncs, sequential writes; see scripts/bench-storage.ts), but the live log is held in memory, so
 * its footprint is bounded only by Raft's compaction (trailing logs) and entry sizes.
 */
export class WalStorage {
  private readonly path: string;
  private readonly logStates = new Map<string, LogState>();
  private readonly stableStates = new Map<string, Map<string, Uint8Array>>();
  private readonly logs = new Map<string, WalLogStore>();
  private readonly stables = new Map<string, WalStableStore>();
  private readonly snapshots = new Map<string, FileSnapshotStore>();
  private fh: FileHandle | undefined;
  private pending: Buffer[] = [];
  private waiting: SyncCallback[] = [];
  private flushing = false;
  private failure: Error | undefined;
  private fileBytes: number;
  private nextRewriteCheck: number;
  private fsyncCount = 0;
  /** A new file's directory entry must be fsynced once before anything in it counts as durable. */
  private dirSyncNeeded = false;

  constructor(
    readonly dataDir: string,
    private readonly options: WalStorageOptions = {},
  ) {
    const dir = join(dataDir, 'raft');
    mkdirSync(dir, { recursive: true });
    this.path = join(dir, 'raft.wal');
    rmSync(`${this.path}.tmp`, { force: true });
    this.fileBytes = this.recover();
    this.nextRewriteCheck = Math.max(this.threshold(), this.fileBytes * 2);
  }

  /** The Raft log called `name`. */
  logStore(name: string): LogStore {
    let s = this.logs.get(name);
    if (!s) {
      s = new WalLogStore(name, this.logState(name), this);
      this.logs.set(name, s);
    }
    return s;
  }

  /** The stable store called `name`. */
  stableStore(name: string): StableStore {
    let s = this.stables.get(name);
    if (!s) {
      s = new WalStableStore(name, this.stableState(name), this);
      this.stables.set(name, s);
    }
    return s;
  }

  /** The snapshot store called `name`: the same checksummed files as DataDirStorage uses. */
  snapshotStore(name: string): SnapshotStore {
    let s = this.snapshots.get(name);
    if (!s) {
      s = new FileSnapshotStore(join(this.dataDir, 'raft', 'snapshots', name), this.options.retainSnapshots ?? 2);
      this.snapshots.set(name, s);
    }
    return s;
  }

  /** fdatasyncs issued so far (group commit: far fewer than the syncs requested). */
  commits(): number {
    return this.fsyncCount;
  }

  /** Queues one operation's record. */
  record(op: WalOp): void {
    if (this.failure) return;
    this.pending.push(encodeRecord(op));
  }

  /** Calls back once every record queued so far is durable. */
  sync(callback: SyncCallback): void {
    this.waiting.push(callback);
    this.kick();
  }

  /** Flushes, then closes the file. */
  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.sync(() => resolve()));
    await this.fh?.close();
    this.fh = undefined;
  }

  private threshold(): number {
    return this.options.rewriteThreshold ?? 64 * 1024 * 1024;
  }

  private kick(): void {
    if (this.flushing || this.waiting.length === 0) return;
    this.flushing = true;
    const callbacks = this.waiting;
    this.waiting = [];
    const work = this.failure ? Promise.reject(this.failure) : this.flush();
    work.then(
      () => this.finish(callbacks, undefined),
      (e: unknown) => {
        this.failure ??= e instanceof Error ? e : new Error(String(e));
        this.finish(callbacks, this.failure);
      },
    );
  }

  private finish(callbacks: SyncCallback[], error: Error | undefined): void {
    this.flushing = false;
    for (const cb of callbacks) queueMicrotask(() => cb(error));
    this.kick();
  }

  private async flush(): Promise<void> {
    const bufs = this.pending;
    this.pending = [];
    if (this.fileBytes >= this.nextRewriteCheck && this.mostlyDead()) {
      await this.rewrite(); // the live state already includes every pending record
      return;
    }
    if (bufs.length === 0) return;
    this.fh ??= await open(this.path, 'a', 0o600);
    await this.fh.writev(bufs);
    await this.fh.datasync();
    if (this.dirSyncNeeded) {
      await fsyncDir(join(this.dataDir, 'raft'));
      this.dirSyncNeeded = false;
    }
    this.fsyncCount++;
    for (const b of bufs) this.fileBytes += b.length;
  }

  private mostlyDead(): boolean {
    const live = this.liveRecords().reduce((n, b) => n + b.length, 0);
    if (live * 2 < this.fileBytes) return true;
    this.nextRewriteCheck = Math.max(this.threshold(), this.fileBytes * 2);
    return false;
  }

  /** The current state as records: compaction point and entries of each log, then stable values. */
  private liveRecords(): Buffer[] {
    const out: Buffer[] = [];
    for (const [store, s] of this.logStates) {
      if (s.first > 1) out.push(encodeRecord({ op: OP_COMPACT, store, index: s.first - 1 }));
      for (const e of s.entries) out.push(encodeRecord({ op: OP_APPEND, store, index: e.index, term: e.term, type: e.type, data: e.data }));
    }
    for (const [store, m] of this.stableStates) {
      for (const [key, value] of m) out.push(encodeRecord({ op: OP_SET, store, key, value }));
    }
    return out;
  }

  private async rewrite(): Promise<void> {
    const records = this.liveRecords();
    const tmp = `${this.path}.tmp`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writev(records);
      await fh.datasync();
    } finally {
      await fh.close();
    }
    await this.fh?.close();
    this.fh = undefined;
    await rename(tmp, this.path);
    await fsyncDir(join(this.dataDir, 'raft'));
    this.fsyncCount += 2;
    this.fileBytes = records.reduce((n, b) => n + b.length, 0);
    this.nextRewriteCheck = Math.max(this.threshold(), this.fileBytes * 2);
  }

  /** Replays the file into memory and cuts a torn tail; returns the valid length. */
  private recover(): number {
    let buf: Buffer;
    try {
      buf = readFileSync(this.path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
        this.dirSyncNeeded = true;
        return 0;
      }
      throw e;
    }
    const { ops, validLength } = decodeRecords(buf);
    for (const o of ops) this.apply(o);
    if (validLength < buf.length) {
      const fd = openSync(this.path, 'r+');
      try {
        ftruncateSync(fd, validLength);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      fsyncDirSync(join(this.dataDir, 'raft'));
    }
    return validLength;
  }

  private apply(o: WalOp): void {
    if (o.op === OP_SET) {
      this.stableState(o.store).set(o.key, o.value);
      return;
    }
    const s = this.logState(o.store);
    if (o.op === OP_APPEND) applyAppend(s, { index: o.index, term: o.term, type: o.type, data: o.data });
    else if (o.op === OP_TRUNCATE) applyTruncate(s, o.index);
    else applyCompact(s, o.index);
  }

  private logState(name: string): LogState {
    let s = this.logStates.get(name);
    if (!s) this.logStates.set(name, (s = { first: 1, entries: [] }));
    return s;
  }

  private stableState(name: string): Map<string, Uint8Array> {
    let s = this.stableStates.get(name);
    if (!s) this.stableStates.set(name, (s = new Map()));
    return s;
  }
}

function lastOf(s: LogState): number {
  return s.first + s.entries.length - 1;
}

function applyAppend(s: LogState, r: LogRecord): void {
  if (r.index !== lastOf(s) + 1) throw new Error(`wal replay: append ${r.index} after ${lastOf(s)}`);
  s.entries.push(r);
}

function applyTruncate(s: LogState, index: number): void {
  if (index <= lastOf(s)) s.entries.length = Math.max(0, index - s.first);
}

function applyCompact(s: LogState, index: number): void {
  if (index < s.first) return;
  s.entries = index >= lastOf(s) ? [] : s.entries.slice(index + 1 - s.first);
  s.first = index + 1;
}

/** A Raft log inside a {@link WalStorage}. */
class WalLogStore implements LogStore {
  constructor(
    private readonly name: string,
    private readonly s: LogState,
    private readonly wal: WalStorage,
  ) {}

  firstIndex(): number {
    return this.s.first;
  }

  lastIndex(): number {
    return lastOf(this.s);
  }

  get(index: number): LogRecord | undefined {
    const r = this.s.entries[index - this.s.first];
    return r ? { ...r, data: r.data.slice() } : undefined;
  }

  range(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): LogRecord[] {
    return collectRange(lo, hi, this.s.first, this.lastIndex(), maxBytes, (i) => {
      const r = this.s.entries[i - this.s.first]!;
      return { ...r, data: r.data.slice() };
    });
  }

  append(entries: LogRecord[]): void {
    const last = this.lastIndex();
    entries.forEach((e, i) => {
      if (e.index !== last + 1 + i) {
        throw new Error(`log append out of order: index ${e.index} where ${last + 1 + i} was expected (last index ${last})`);
      }
    });
    for (const e of entries) {
      applyAppend(this.s, e);
      this.wal.record({ op: OP_APPEND, store: this.name, index: e.index, term: e.term, type: e.type, data: e.data });
    }
  }

  truncateFrom(index: number): void {
    applyTruncate(this.s, index);
    this.wal.record({ op: OP_TRUNCATE, store: this.name, index });
  }

  compactTo(index: number): void {
    if (index < this.s.first) return;
    applyCompact(this.s, index);
    this.wal.record({ op: OP_COMPACT, store: this.name, index });
  }

  sync(callback: SyncCallback): void {
    this.wal.sync(callback);
  }
}

/** A stable store inside a {@link WalStorage}. */
class WalStableStore implements StableStore {
  constructor(
    private readonly name: string,
    private readonly values: Map<string, Uint8Array>,
    private readonly wal: WalStorage,
  ) {}

  get(key: string): Uint8Array | undefined {
    return this.values.get(key)?.slice();
  }

  set(key: string, value: Uint8Array): void {
    this.values.set(key, value);
    this.wal.record({ op: OP_SET, store: this.name, key, value });
  }

  sync(callback: SyncCallback): void {
    this.wal.sync(callback);
  }
}
