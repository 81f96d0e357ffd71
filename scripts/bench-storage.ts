/**
 * Storage benchmark: Raft log appends with fsync through the LogStore contract (append, then sync,
 * then the next append once the sync calls back), with 1, 16 and 64 concurrent writers, for
 *   - lmdb: server/storage's LMDB log store (the one we ship),
 *   - lmdb-ovl: the same with lmdb-js's overlappingSync on (fsync after the commit, off the lock), and
 *   - wal: server/storage/wal, the complete hand-made store (CRC-framed records, recovery of a torn
 *     tail, rewrite of dead records, group commit), and
 *   - file-wal: the bare write path of such a file (length-prefixed writes, group-committed
 *     fdatasync, no CRC, no state), as a floor.
 * Prints appends/s, completed syncs/s, and the fsyncs actually issued (for LMDB: its committed
 * transactions, each one fsynced).
 *
 * The last case is how Raft writes: one writer appending a batch of 64 entries per sync.
 *
 * Usage: tsx scripts/bench-storage.ts [seconds-per-case]
 */
import { closeSync, fdatasync, mkdtempSync, openSync, rmSync, writev } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncCallback } from '../core/ports/storage.ts';
import { DataDirStorage } from '../server/storage/data-dir-storage.ts';
import { WalStorage } from '../server/storage/wal/wal-storage.ts';

const seconds = Number(process.argv[2] ?? 2);
const payload = new Uint8Array(256).fill(7);

interface Appender {
  append(index: number, data: Uint8Array): void;
  sync(cb: SyncCallback): void;
  close(): Promise<void>;
  fsyncs?: () => number;
}

/** server/storage/wal: the complete hand-made store (CRC records, recovery, rewrite, group commit). */
function walAppender(dir: string): Appender {
  const s = new WalStorage(dir);
  const log = s.logStore('raft');
  return {
    append: (index, data) => log.append([{ index, term: 1, type: 0, data }]),
    sync: (cb) => log.sync(cb),
    close: () => s.close(),
    fsyncs: () => s.commits(),
  };
}

function lmdbAppender(dir: string, overlappingSync = false): Appender {
  const s = new DataDirStorage(dir, { overlappingSync });
  const log = s.logStore('raft');
  const base = s.commits();
  return {
    append: (index, data) => log.append([{ index, term: 1, type: 0, data }]),
    sync: (cb) => log.sync(cb),
    close: () => s.close(),
    fsyncs: () => s.commits() - base,
  };
}

/** Append-only file, length-prefixed records, group commit. Write side only (no read index). */
function fileWalAppender(dir: string): Appender {
  const fd = openSync(join(dir, 'wal'), 'a');
  let pending: Uint8Array[] = [];
  let waiting: SyncCallback[] = [];
  let flushing = false;
  let fsyncs = 0;
  const flush = () => {
    if (flushing || waiting.length === 0) return;
    flushing = true;
    const bufs = pending;
    const cbs = waiting;
    pending = [];
    waiting = [];
    writev(fd, bufs, (err) => {
      if (err) return finish(cbs, err);
      fdatasync(fd, (err2) => {
        fsyncs++;
        finish(cbs, err2 ?? undefined);
      });
    });
  };
  const finish = (cbs: SyncCallback[], err: Error | undefined) => {
    flushing = false;
    for (const cb of cbs) cb(err);
    flush();
  };
  return {
    append(index, data) {
      const head = Buffer.alloc(16);
      head.writeUInt32BE(data.length, 0);
      head.writeDoubleBE(index, 4);
      pending.push(head, data);
    },
    sync(cb) {
      waiting.push(cb);
      flush();
    },
    async close() {
      while (flushing) await new Promise((r) => setTimeout(r, 5));
      closeSync(fd);
    },
    fsyncs: () => fsyncs,
  };
}

async function run(name: string, make: (dir: string) => Appender, writers: number, batch = 1): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-storage-'));
  const store = make(dir);
  let next = 1;
  let appends = 0;
  let syncs = 0;
  let stop = false;
  const startedAt = performance.now();
  await new Promise<void>((resolve) => {
    let live = writers;
    const writer = () => {
      if (stop) {
        if (--live === 0) resolve();
        return;
      }
      for (let b = 0; b < batch; b++) store.append(next++, payload);
      store.sync((err) => {
        if (err) throw err;
        appends += batch;
        syncs++;
        writer();
      });
    };
    for (let i = 0; i < writers; i++) writer();
    setTimeout(() => (stop = true), seconds * 1000);
  });
  const elapsed = (performance.now() - startedAt) / 1000;
  const fsyncs = store.fsyncs ? `  fsyncs/s ${(store.fsyncs() / elapsed).toFixed(0).padStart(7)}` : '';
  console.log(
    `${name.padEnd(9)} writers ${String(writers).padStart(2)} batch ${String(batch).padStart(2)}  appends/s ${(appends / elapsed).toFixed(0).padStart(7)}  syncs/s ${(syncs / elapsed).toFixed(0).padStart(7)}${fsyncs}`,
  );
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

console.log(`storage bench: 256-byte entries, append+sync per writer, ${seconds}s per case, dir ${tmpdir()}`);
for (const [writers, batch] of [
  [1, 1],
  [16, 1],
  [64, 1],
  [1, 64],
] as const) {
  await run('lmdb', lmdbAppender, writers, batch);
  await run('lmdb-ovl', (d) => lmdbAppender(d, true), writers, batch);
  await run('wal', walAppender, writers, batch);
  await run('file-wal', fileWalAppender, writers, batch);
}
