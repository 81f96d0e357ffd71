import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import type { LogRecord, SyncCallback } from '../../core/ports/storage.ts';
import { IdbStorage } from './idb-storage.ts';

let dbSeq = 0;
const fresh = () => `test-db-${++dbSeq}`;
const rec = (index: number, term = 1): LogRecord => ({ index, term, type: 0, data: new Uint8Array([index & 0xff, term]) });
const synced = (sync: (cb: SyncCallback) => void) => new Promise<Error | undefined>((r) => sync(r));

describe('IdbStorage', () => {
  it('persists appends, truncation and compaction across a reopen', async () => {
    const name = fresh();
    const s1 = await IdbStorage.open(name);
    const log = s1.logStore('raft');
    expect([log.firstIndex(), log.lastIndex()]).toEqual([1, 0]);
    log.append([rec(1), rec(2), rec(3), rec(4)]);
    expect(await synced((cb) => log.sync(cb))).toBeUndefined();
    log.truncateFrom(3);
    log.append([rec(3, 2)]);
    log.compactTo(1);
    expect(await synced((cb) => log.sync(cb))).toBeUndefined();
    s1.close();

    const s2 = await IdbStorage.open(name);
    const log2 = s2.logStore('raft');
    expect([log2.firstIndex(), log2.lastIndex()]).toEqual([2, 3]);
    expect(log2.get(3)).toEqual(rec(3, 2));
    expect(log2.range(1, 10)).toEqual([]);
    expect(log2.range(2, 10)).toEqual([rec(2), rec(3, 2)]);
    s2.close();
  });

  it('loses unsynced writes on a crash but keeps every synced one (a prefix)', async () => {
    const name = fresh();
    const s1 = await IdbStorage.open(name);
    const log = s1.logStore('raft');
    const stable = s1.stableStore('raft');
    log.append([rec(1)]);
    stable.set('CurrentTerm', new Uint8Array([1]));
    await synced((cb) => log.sync(cb));
    await synced((cb) => stable.sync(cb));
    log.append([rec(2)]); // never synced
    stable.set('CurrentTerm', new Uint8Array([2]));
    expect(log.lastIndex()).toBe(2); // reads see unsynced writes
    s1.close();
    const s2 = await IdbStorage.open(name);
    expect(s2.logStore('raft').lastIndex()).toBe(1);
    expect(s2.stableStore('raft').get('CurrentTerm')).toEqual(new Uint8Array([1]));
    s2.close();
  });

  it('calls syncs back in order, and compacting the whole log keeps the first index', async () => {
    const name = fresh();
    const s = await IdbStorage.open(name);
    const log = s.logStore('raft');
    const order: number[] = [];
    log.append([rec(1), rec(2)]);
    const done = Promise.all([1, 2, 3].map((i) => new Promise<void>((r) => log.sync(() => {
            order.push(i);
            r();
          }))));
    let inside = true;
    log.sync(() => expect(inside).toBe(false));
    inside = false;
    await done;
    expect(order).toEqual([1, 2, 3]);
    log.compactTo(5);
    await synced((cb) => log.sync(cb));
    s.close();
    const s2 = await IdbStorage.open(name);
    expect([s2.logStore('raft').firstIndex(), s2.logStore('raft').lastIndex()]).toEqual([6, 5]);
    s2.logStore('raft').append([rec(6)]);
    expect(() => s2.logStore('raft').append([rec(9)])).toThrow(/does not continue/);
    expect(s2.logStore('raft').lastIndex()).toBe(6);
    s2.close();
  });

  it('keeps the two newest snapshots, visible only once saved', async () => {
    const name = fresh();
    const s = await IdbStorage.open(name);
    const snaps = s.snapshotStore('raft');
    const meta = (i: number) => ({ id: `1-${i}-${i}`, index: i, term: 1, configuration: new Uint8Array([i]), size: 1 });
    for (const i of [10, 20, 30]) {
      const p = new Promise<Error | undefined>((r) => snaps.save(meta(i), new Uint8Array([i]), r));
      if (i === 10) expect(snaps.latest()).toBeUndefined();
      expect(await p).toBeUndefined();
    }
    expect(snaps.list().map((m) => m.index)).toEqual([30, 20]);
    s.close();
    const s2 = await IdbStorage.open(name);
    expect(s2.snapshotStore('raft').latest()?.data).toEqual(new Uint8Array([30]));
    expect(s2.snapshotStore('raft').list().map((m) => m.index)).toEqual([30, 20]);
    s2.close();
    await IdbStorage.destroy(name);
    const s3 = await IdbStorage.open(name);
    expect(s3.snapshotStore('raft').latest()).toBeUndefined();
    s3.close();
  });
});
