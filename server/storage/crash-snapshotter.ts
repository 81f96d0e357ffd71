/**
 * Child process for the snapshot crash test (crash.test.ts): saves snapshots of growing index
 * back to back into `<dir>/raft/snapshots/raft` and prints `saved <index>` once each save has
 * called back. Never stops by itself: the test kills it with SIGKILL.
 *
 * Usage: tsx server/storage/crash-snapshotter.ts <data-dir>
 */
import { writeSync } from 'node:fs';
import { snapshotBody } from './crash-fixtures.ts';
import { DataDirStorage } from './data-dir-storage.ts';

const dir = process.argv[2];
if (!dir) throw new Error('usage: crash-snapshotter.ts <data-dir>');
const store = new DataDirStorage(dir).snapshotStore('raft');
let index = store.list()[0]?.index ?? 0;

function next(): void {
  index += 10;
  const i = index;
  store.save({ id: `1-${i}`, index: i, term: 1, configuration: new Uint8Array([1]), size: 0 }, snapshotBody(i), (err) => {
    if (err) {
      writeSync(2, `save failed: ${err.message}\n`);
      process.exit(3);
    }
    writeSync(1, `saved ${i}\n`);
    setImmediate(next);
  });
}
next();
