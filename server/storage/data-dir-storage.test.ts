import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord, SnapshotStore, SyncCallback } from '../../core/ports/storage.ts';
import { DataDirStorage } from './data-dir-storage.ts';

const dirs: string[] = [];
const open: DataDirStorage[] = [];

function fresh(): string {
  const d = mkdtempSync(join(tmpdir(), 'consul-store-'));
  dirs.push(d);
  return d;
}

function storage(dir: string): DataDirStorage {
  const s = new DataDirStorage(dir);
  open.push(s);
  return s;
}

async function reopen(s: DataDirStorage): Promise<DataDirStorage> {
  await s.close();
  open.splice(open.indexOf(s), 1);
  return storage(s.dataDir);
}

function rec(index: number, term = 1, text = `e${index}`): LogRecord {
  return { index, term, type: 0, data: new TextEncoder().encode(text) };
}

function synced(store: { sync(cb: SyncCallback): void }): Promise<void> {
  return new Promise((resolve, reject) => store.sync((e) => (e ? reject(e) : resolve())));
}

const text = (r: LogRecord | undefined) => (r ? new TextDecoder().decode(r.data) : undefined);

afterEach(async () => {
  for (const s of open.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('LmdbLogStore', () => {
  it('starts empty with first 1, last 0', () => {
    const log = storage(fresh()).logStore('raft');
    expect([log.firstIndex(), log.lastIndex()]).toEqual([1, 0]);
    expect(log.get(1)).toBeUndefined();
    expect(log.range(1, 10)).toEqual([]);
  });

  it('reads its own unsynced writes, and they survive a clean reopen after sync', async () => {
    const s = storage(fresh());
    const log = s.logStore('raft');
    log.append([rec(1), rec(2, 2), rec(3, 2)]);
    expect(text(log.get(2))).toBe('e2');
    expect(log.get(2)?.term).toBe(2);
    await synced(log);
    const log2 = (await reopen(s)).logStore('raft');
    expect([log2.firstIndex(), log2.lastIndex()]).toEqual([1, 3]);
    expect(log2.range(1, 3).map(text)).toEqual(['e1', 'e2', 'e3']);
    expect(log2.get(3)).toMatchObject({ index: 3, term: 2, type: 0 });
  });

  it('rejects an append that does not continue the log', () => {
    const log = storage(fresh()).logStore('raft');
    log.append([rec(1)]);
    expect(() => log.append([rec(3)])).toThrow(/out of order/);
    expect(log.lastIndex()).toBe(1);
    expect(() => log.append([rec(2), rec(4)])).toThrow(/index 4 where 3 was expected/);
    expect(log.lastIndex()).toBe(1);
    expect(log.get(2)).toBeUndefined();
  });

  it('range honours maxBytes but returns at least one entry', () => {
    const log = storage(fresh()).logStore('raft');
    log.append([rec(1, 1, 'aaaa'), rec(2, 1, 'bbbb'), rec(3, 1, 'cccc')]);
    expect(log.range(1, 3, 9).map(text)).toEqual(['aaaa', 'bbbb']);
    expect(log.range(1, 3, 1).map(text)).toEqual(['aaaa']);
    expect(log.range(2, 10).length).toBe(2);
    expect(log.range(4, 10)).toEqual([]);
  });

  it('truncates a conflicting suffix and re-appends, durably', async () => {
    const s = storage(fresh());
    const log = s.logStore('raft');
    log.append([rec(1), rec(2), rec(3), rec(4)]);
    await synced(log);
    log.truncateFrom(3);
    expect(log.lastIndex()).toBe(2);
    expect(log.get(3)).toBeUndefined();
    log.append([rec(3, 2, 'new3')]);
    expect(text(log.get(3))).toBe('new3');
    await synced(log);
    const log2 = (await reopen(s)).logStore('raft');
    expect(log2.lastIndex()).toBe(3);
    expect(text(log2.get(3))).toBe('new3');
    expect(log2.get(4)).toBeUndefined();
  });

  it('compacts a prefix and remembers the first index, even past the end of the log', async () => {
    const s = storage(fresh());
    const log = s.logStore('raft');
    log.append([1, 2, 3, 4, 5].map((i) => rec(i)));
    log.compactTo(3);
    expect([log.firstIndex(), log.lastIndex()]).toEqual([4, 5]);
    expect(log.get(3)).toBeUndefined();
    await synced(log);
    let log2 = (await reopen(s)).logStore('raft');
    expect([log2.firstIndex(), log2.lastIndex()]).toEqual([4, 5]);
    log2.compactTo(10);
    expect([log2.firstIndex(), log2.lastIndex()]).toEqual([11, 10]);
    await synced(log2);
    log2 = (await reopen(open[0]!)).logStore('raft');
    expect([log2.firstIndex(), log2.lastIndex()]).toEqual([11, 10]);
    log2.append([rec(11)]);
    expect(text(log2.get(11))).toBe('e11');
  });

  it('returns copies: mutating a returned record does not change the store', () => {
    const log = storage(fresh()).logStore('raft');
    log.append([rec(1)]);
    log.get(1)!.data[0] = 0;
    expect(text(log.get(1))).toBe('e1');
  });

  it('keeps separate logs apart and calls syncs back in request order, asynchronously', async () => {
    const s = storage(fresh());
    const a = s.logStore('a');
    const b = s.logStore('b');
    a.append([rec(1, 1, 'a1')]);
    b.append([rec(1, 1, 'b1'), rec(2)]);
    const order: number[] = [];
    let inside = true;
    const done = Promise.all(
      [0, 1, 2, 3].map(
        (i) =>
          new Promise<void>((resolve) => {
            (i % 2 ? a : b).sync((e) => {
              expect(e).toBeUndefined();
              expect(inside).toBe(false);
              order.push(i);
              resolve();
            });
            if (i === 1) a.append([rec(2)]);
          }),
      ),
    );
    inside = false;
    await done;
    expect(order).toEqual([0, 1, 2, 3]);
    expect(text(a.get(1))).toBe('a1');
    expect(b.lastIndex()).toBe(2);
  });
  it('always reads every entry in range while commits land underneath (read-your-writes)', async () => {
    const log = storage(fresh()).logStore('raft');
    let missing = 0;
    let reads = 0;
    for (let turn = 0; turn < 200; turn++) {
      const from = log.lastIndex() + 1;
      log.append([rec(from), rec(from + 1), rec(from + 2)]);
      for (let i = log.firstIndex(); i <= log.lastIndex(); i += 7) {
        reads++;
        if (text(log.get(i)) !== `e${i}`) missing++;
      }
      if (turn % 3 === 0) await synced(log);
      else await new Promise((r) => setImmediate(r));
    }
    expect(reads).toBeGreaterThan(1000);
    expect(missing).toBe(0);
    expect(log.range(1, log.lastIndex()).length).toBe(600);
  });
});

describe('group commit', () => {
  it('shares one fsynced LMDB commit among the syncs of concurrent writers', async () => {
    const s = storage(fresh());
    const log = s.logStore('raft');
    const before = s.commits();
    let syncs = 0;
    const writer = async (rounds: number) => {
      for (let r = 0; r < rounds; r++) {
        log.append([rec(log.lastIndex() + 1)]);
        await synced(log);
        syncs++;
      }
    };
    await Promise.all(Array.from({ length: 64 }, () => writer(10)));
    const commits = s.commits() - before;
    expect(syncs).toBe(640);
    expect(log.lastIndex()).toBe(640);
    // 64 writers each waiting for their own sync: about one commit per round, not one per sync.
    expect(commits).toBeLessThan(syncs / 4);
  });
});

describe('LmdbStableStore', () => {
  it('reads unsynced values and persists synced ones', async () => {
    const s = storage(fresh());
    const st = s.stableStore('raft');
    expect(st.get('CurrentTerm')).toBeUndefined();
    st.set('CurrentTerm', new Uint8Array([1]));
    st.set('CurrentTerm', new Uint8Array([2]));
    expect(st.get('CurrentTerm')).toEqual(new Uint8Array([2]));
    await synced(st);
    const st2 = (await reopen(s)).stableStore('raft');
    expect(st2.get('CurrentTerm')).toEqual(new Uint8Array([2]));
  });
});

describe('FileSnapshotStore', () => {
  const meta = (id: string, index: number, term = 1) => ({
    id,
    index,
    term,
    configuration: new Uint8Array([7, 7]),
    size: 0,
  });
  const save = (st: SnapshotStore, id: string, index: number, body: string) =>
    new Promise<void>((resolve, reject) =>
      st.save(meta(id, index), new TextEncoder().encode(body), (e) => (e ? reject(e) : resolve())),
    );

  it('saves, lists newest first, keeps the newest two and survives reopen', async () => {
    const s = storage(fresh());
    const st = s.snapshotStore('raft');
    expect(st.latest()).toBeUndefined();
    await save(st, '1-10', 10, 'ten');
    await save(st, '1-20', 20, 'twenty');
    await save(st, '1-30', 30, 'thirty');
    expect(st.list().map((m) => m.id)).toEqual(['1-30', '1-20']);
    const latest = st.latest()!;
    expect(new TextDecoder().decode(latest.data)).toBe('thirty');
    expect(latest.meta).toMatchObject({ id: '1-30', index: 30, term: 1, size: 6 });
    expect(latest.meta.configuration).toEqual(new Uint8Array([7, 7]));
    const st2 = (await reopen(s)).snapshotStore('raft');
    expect(st2.list().map((m) => m.id)).toEqual(['1-30', '1-20']);
    expect(readdirSync(join(s.dataDir, 'raft', 'snapshots', 'raft')).length).toBe(2);
  });

  it('refuses a corrupt snapshot and falls back to the older one; removes leftover temp files', async () => {
    const s = storage(fresh());
    const st = s.snapshotStore('raft');
    await save(st, 'a', 10, 'older');
    await save(st, 'b', 20, 'newer');
    const dir = join(s.dataDir, 'raft', 'snapshots', 'raft');
    const newest = readdirSync(dir).sort().at(-1)!;
    const { readFileSync } = await import('node:fs');
    const bytes = readFileSync(join(dir, newest));
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] ?? 0) ^ 0xff;
    writeFileSync(join(dir, newest), bytes);
    writeFileSync(join(dir, 'x.snap.tmp'), 'torn');
    const st2 = (await reopen(s)).snapshotStore('raft');
    expect(new TextDecoder().decode(st2.latest()!.data)).toBe('older');
    expect(readdirSync(dir).some((n) => n.endsWith('.tmp'))).toBe(false);
  });
});

describe('FileSnapshotStore failures', () => {
  it('reports a failed save and keeps the previous snapshot as latest', async () => {
    const s = storage(fresh());
    const st = s.snapshotStore('raft');
    const meta = (id: string, index: number) => ({ id, index, term: 1, configuration: new Uint8Array(), size: 0 });
    await new Promise<void>((r, j) => st.save(meta('a', 1), new Uint8Array([1]), (e) => (e ? j(e) : r())));
    const latestBytes = st.latest()!.data;
    // Swap the directory for a plain file (works even as root): the next save cannot create its temp file.
    const dir = join(s.dataDir, 'raft', 'snapshots', 'raft');
    const aside = `${dir}.aside`;
    const { renameSync } = await import('node:fs');
    renameSync(dir, aside);
    writeFileSync(dir, 'not a directory');
    const err = await new Promise<Error | undefined>((r) => st.save(meta('b', 2), new Uint8Array([2]), r));
    expect(err?.message).toMatch(/ENOTDIR|EEXIST|not a directory/);
    expect(st.list().map((m) => m.id)).toEqual(['a']);
    rmSync(dir);
    renameSync(aside, dir);
    expect(st.latest()!.data).toEqual(latestBytes);
  });
});
