/**
 * Child process for the crash test (crash.test.ts): appends to the Raft log of a data dir as fast as
 * it can, from several concurrent "writers", and prints `ack <index>` on stdout only after the sync
 * covering that index has called back. It never stops by itself: the test kills it with SIGKILL.
 *
 * Usage: tsx server/storage/crash-writer.ts <data-dir> [lmdb|wal|wal-small]
 * (`wal-small` is the WAL with a tiny rewrite threshold, so that rewrites happen under the kill.)
 */
import { writeSync } from 'node:fs';
import { BACKENDS } from './backends.ts';
import { SMALL_REWRITE } from './crash-fixtures.ts';
import { WalStorage } from './wal/wal-storage.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-writer.ts <data-dir>');
const backend = process.argv[3] ?? 'lmdb';
const storage =
  backend === 'wal-small' ? new WalStorage(dir, { rewriteThreshold: SMALL_REWRITE }) : BACKENDS[backend === 'wal' ? 'wal' : 'lmdb'](dir);
const log = storage.logStore('raft');
const stable = storage.stableStore('raft');
const enc = new TextEncoder();
writeSync(1, `start ${log.firstIndex()} ${log.lastIndex()}\n`);

let round = 0;
function writer(): void {
  round++;
  const n = 1 + (round % 17);
  const from = log.lastIndex() + 1;
  const entries = Array.from({ length: n }, (_, i) => ({
    index: from + i,
    term: 1,
    type: 0,
    data: enc.encode(`entry-${from + i}-${'x'.repeat((from + i) % 300)}`),
  }));
  log.append(entries);
  stable.set('LastWriter', enc.encode(String(from + n - 1)));
  if (round % 50 === 0 && log.lastIndex() > 500) log.compactTo(log.lastIndex() - 500);
  const last = from + n - 1;
  log.sync((err) => {
    if (err) {
      writeSync(2, `sync failed: ${err.message}\n`);
      process.exit(3);
    }
    writeSync(1, `ack ${last}\n`);
    setImmediate(writer);
  });
}
for (let w = 0; w < 8; w++) writer();
