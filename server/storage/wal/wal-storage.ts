import { closeSync, fsyncSync, ftruncateSync, mkdirSync, openSync, readFileSync, readSync, rmSync } from 'node:fs';
import { type FileHandle, open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import type { LogRecord, LogStore, SnapshotStore, StableStore, SyncCallback } from '../../../core/ports/storage.ts';
import { collectRange } from '../../../core/raft/log-range.ts';
import { FileSnapshotStore } from '../file-snapshot-store.ts';
import { fsyncDir, fsyncDirSync } from '../fsync-dir.ts';
import { appendDataOffset, appendRecordSize, decodeRecords, encodeRecord, OP_APPEND, OP_COMPACT, OP_SET, OP_TRUNCATE, type WalOp } from './wal-record.ts';

/** Options for {@link WalStorage}. */
export interface WalStorageOptions {
  /** File size from which a rewrite (dropping compacted and truncated records) is considered. */
  rewriteThreshold?: number;
  /** Snapshots kept per snapshot store (default 2). */
  retainSnapshots?: number;
}

/**
 * One log entry in memory. `data` is kept only until the record is written; after that the entry
 * holds where its data lies in the file and reads fetch it from there (the OS page cache in
 * practice, and Raft's log cache in front of the store serves the recent entries).
 */
interface Slot {
  index: number;
  term: number;
  type: number;
  data: Uint8Array | undefined;
  dataPos: number;
  dataLen: number;
}

interface LogState {
  first: number;
  entries: Slot[];
}

/** A record waiting for the next flush; `slot` is set for appends, to learn their file position. */
interface PendingRecord {
  buf: Buffer;
  slot?: Slot;
  dataOffset?: number;
}

/**
 * A hand-made alternative to the LMDB stores: every log and stable store of a data dir in one
 * append-only file, `<data-dir>/raft/raft.wal`, of CRC-framed records (wal-record.ts). Memory
 * holds the stable values and, per log entry, its index, term, type and file position; entry data
 * stays in memory only until it is written, then reads fetch it from the file.
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
 * Against LMDB: faster (one fdatasync per group commit instead of LMDB's page writes, data sync
 * and meta sync; see scripts/bench-storage.ts), with about 60 bytes of memory per live entry
 * (Raft's compaction bounds the entries: trailing logs plus the snapshot threshold).
 */
export class WalStorage {
  private readonly path: string;
  private readonly logStates = new Map<string, LogState>();
  private readonly stableStates = new Map<string, Map<string, Uint8Array>>();
  private readonly logs = new Map<string, WalLogStore>();
  private readonly stables = new Map<string, WalStableStore>();
  private readonly snapshots = new Map<string, FileSnapshotStore>();
  private fh: FileHandle | undefined;
  /** A read-only descriptor for entry data, reopened after a rewrite replaces the file. */
  private readFd: number | undefined;
  private pending: PendingRecord[] = [];
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
    this.pending.push({ buf: encodeRecord(op) });
  }

  /** Queues an append's record; once written, the slot's data is dropped for its file position. */
  recordAppend(store: string, slot: Slot & { data: Uint8Array }): void {
    if (this.failure) return;
    const buf = encodeRecord({ op: OP_APPEND, store, index: slot.index, term: slot.term, type: slot.type, data: slot.data });
    this.pending.push({ buf, slot, dataOffset: appendDataOffset(store) });
  }

  /** The data of a written entry, read from the file. */
  readData(slot: Slot): Uint8Array {
    if (slot.data) return slot.data.slice();
    this.readFd ??= openSync(this.path, 'r');
    const out = new Uint8Array(slot.dataLen);
    const n = slot.dataLen === 0 ? 0 : readSync(this.readFd, out, 0, slot.dataLen, slot.dataPos);
    if (n !== slot.dataLen) throw new Error(`wal: short read of entry ${slot.index} (${n} of ${slot.dataLen} bytes at ${slot.dataPos})`);
    return out;
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
    this.closeReader();
  }

  private closeReader(): void {
    if (this.readFd !== undefined) closeSync(this.readFd);
    this.readFd = undefined;
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
    const batch = this.pending;
    this.pending = [];
    if (this.fileBytes >= this.nextRewriteCheck && this.mostlyDead()) {
      await this.rewrite(); // the live state already includes every pending record
      return;
    }
    if (batch.length === 0) return;
    this.fh ??= await open(this.path, 'a', 0o600);
    await this.fh.writev(batch.map((p) => p.buf));
    // Written (in the page cache at least): entry data can now be read back from the file.
    let pos = this.fileBytes;
    for (const p of batch) {
      if (p.slot) placeSlot(p.slot, pos + (p.dataOffset ?? 0));
      pos += p.buf.length;
    }
    this.fileBytes = pos;
    await this.fh.datasync();
    if (this.dirSyncNeeded) {
      await fsyncDir(join(this.dataDir, 'raft'));
      this.dirSyncNeeded = false;
    }
    this.fsyncCount++;
  }

  private mostlyDead(): boolean {
    if (this.liveBytes() * 2 < this.fileBytes) return true;
    this.nextRewriteCheck = Math.max(this.threshold(), this.fileBytes * 2);
    return false;
  }

  /** The size the live state's records would take in a rewritten file, without encoding them. */
  private liveBytes(): number {
    let n = 0;
    for (const [store, s] of this.logStates) {
      if (s.first > 1) n += encodeRecord({ op: OP_COMPACT, store, index: s.first - 1 }).length;
      for (const e of s.entries) n += appendRecordSize(store, e.dataLen);
    }
    for (const [store, m] of this.stableStates) {
      for (const [key, value] of m) n += encodeRecord({ op: OP_SET, store, key, value }).length;
    }
    return n;
  }

  /**
   * The current state as records: compaction point and entries of each log, then stable values.
   * `placed` gets each entry with the offset of its data in the new file.
   */
  private liveRecords(placed: Array<{ slot: Slot; dataPos: number }>): Buffer[] {
    const out: Buffer[] = [];
    let pos = 0;
    const push = (b: Buffer) => {
      out.push(b);
      pos += b.length;
    };
    for (const [store, s] of this.logStates) {
      if (s.first > 1) push(encodeRecord({ op: OP_COMPACT, store, index: s.first - 1 }));
      const dataOffset = appendDataOffset(store);
      for (const e of s.entries) {
        placed.push({ slot: e, dataPos: pos + dataOffset });
        push(encodeRecord({ op: OP_APPEND, store, index: e.index, term: e.term, type: e.type, data: this.readData(e) }));
      }
    }
    for (const [store, m] of this.stableStates) {
      for (const [key, value] of m) push(encodeRecord({ op: OP_SET, store, key, value }));
    }
    return out;
  }

  private async rewrite(): Promise<void> {
    const placed: Array<{ slot: Slot; dataPos: number }> = [];
    const records = this.liveRecords(placed);
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
    // The old file is gone: entry positions now refer to the new one (same synchronous step).
    this.closeReader();
    for (const p of placed) placeSlot(p.slot, p.dataPos);
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
    const { ops, offsets, validLength } = decodeRecords(buf);
    for (let i = 0; i < ops.length; i++) this.apply(ops[i] as (typeof ops)[number], offsets[i] ?? 0);
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

  /** Replays one record found at byte `at` of the file. */
  private apply(o: WalOp, at: number): void {
    if (o.op === OP_SET) {
      this.stableState(o.store).set(o.key, o.value);
      return;
    }
    const s = this.logState(o.store);
    if (o.op === OP_APPEND) {
      const slot: Slot = { index: o.index, term: o.term, type: o.type, data: undefined, dataPos: at + appendDataOffset(o.store), dataLen: o.data.length };
      applyAppend(s, slot);
    }
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

/** Records that a slot's data is written at `dataPos`, and lets go of the in-memory copy. */
function placeSlot(slot: Slot, dataPos: number): void {
  slot.dataPos = dataPos;
  slot.data = undefined;
}

function applyAppend(s: LogState, r: Slot): void {
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
    return r ? this.record(r) : undefined;
  }

  range(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): LogRecord[] {
    return collectRange(lo, hi, this.s.first, this.lastIndex(), maxBytes, (i) => this.record(this.s.entries[i - this.s.first]!));
  }

  private record(r: Slot): LogRecord {
    return { index: r.index, term: r.term, type: r.type, data: this.wal.readData(r) };
  }

  append(entries: LogRecord[]): void {
    const last = this.lastIndex();
    entries.forEach((e, i) => {
      if (e.index !== last + 1 + i) {
        throw new Error(`log append out of order: index ${e.index} where ${last + 1 + i} was expected (last index ${last})`);
      }
    });
    for (const e of entries) {
      const slot = { index: e.index, term: e.term, type: e.type, data: e.data, dataPos: -1, dataLen: e.data.length };
      applyAppend(this.s, slot);
      this.wal.recordAppend(this.name, slot);
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
