import { appendFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { LogRecord, SyncCallback } from '../../../core/ports/storage.ts';
import { WalStorage } from './wal-storage.ts';

const dirs: string[] = [];
const opened: WalStorage[] = [];
afterEach(async () => {
  for (const s of opened.splice(0)) await s.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function open(dir?: string, rewriteThreshold?: number): WalStorage {
  const d = dir ?? mkdtempSync(join(tmpdir(), 'consul-wal-'));
  if (!dir) dirs.push(d);
  const s = new WalStorage(d, rewriteThreshold === undefined ? {} : { rewriteThreshold });
  opened.push(s);
  return s;
}

async function reopen(s: WalStorage, rewriteThreshold?: number): Promise<WalStorage> {
  await s.close();
  opened.splice(opened.indexOf(s), 1);
  return open(s.dataDir, rewriteThreshold);
}

const rec = (index: number, size = 10): LogRecord => ({ index, term: 1, type: 0, data: new TextEncoder().encode(`e${index}`.padEnd(size, '.')) });
const synced = (x: { sync(cb: SyncCallback): void }) => new Promise<void>((r, j) => x.sync((e) => (e ? j(e) : r())));
const file = (s: WalStorage) => join(s.dataDir, 'raft', 'raft.wal');

describe('WalStorage', () => {
  it('persists logs and stable values across a reopen', async () => {
    const s = open();
    s.logStore('raft').append([rec(1), rec(2), rec(3)]);
    s.stableStore('raft').set('CurrentTerm', new Uint8Array([7]));
    await synced(s.logStore('raft'));
    const s2 = await reopen(s);
    expect(s2.logStore('raft').range(1, 3).map((r) => r.index)).toEqual([1, 2, 3]);
    expect(s2.stableStore('raft').get('CurrentTerm')).toEqual(new Uint8Array([7]));
  });

  it('cuts a torn tail and a corrupt record on open, keeping the valid prefix', async () => {
    const s = open();
    const log = s.logStore('raft');
    log.append([rec(1), rec(2)]);
    await synced(log);
    log.append([rec(3)]);
    await synced(log);
    const path = file(s);
    const full = statSync(path).size;
    await s.close();
    opened.splice(opened.indexOf(s), 1);
    truncateSync(path, full - 3); // a crash mid-write of record 3
    appendFileSync(path, Buffer.from([1, 2, 3]));
    const s2 = open(s.dataDir);
    expect(s2.logStore('raft').lastIndex()).toBe(2);
    expect(statSync(path).size).toBeLessThan(full);
    s2.logStore('raft').append([rec(3)]);
    await synced(s2.logStore('raft'));
    const bytes = readFileSync(path);
    bytes[20] = (bytes[20] ?? 0) ^ 0xff; // corrupt the first record's payload: its CRC fails
    writeFileSync(path, bytes);
    const s3 = await reopen(s2);
    expect(s3.logStore('raft').lastIndex()).toBe(0);
  });

  it('shares one fdatasync among concurrent syncs (group commit)', async () => {
    const s = open();
    const log = s.logStore('raft');
    const before = s.commits();
    await Promise.all(
      Array.from({ length: 64 }, async () => {
        for (let r = 0; r < 5; r++) {
          log.append([rec(log.lastIndex() + 1)]);
          await synced(log);
        }
      }),
    );
    expect(log.lastIndex()).toBe(320);
    expect(s.commits() - before).toBeLessThan(320 / 4);
  });

  it('rewrites a mostly-dead file to its live state, and the rewrite survives reopen', async () => {
    const s = open(undefined, 4096);
    const log = s.logStore('raft');
    for (let round = 0; round < 20; round++) {
      const from = log.lastIndex() + 1;
      log.append(Array.from({ length: 20 }, (_, i) => rec(from + i, 40)));
      log.compactTo(log.lastIndex() - 5);
      await synced(log);
    }
    s.stableStore('raft').set('k', new Uint8Array([1]));
    await synced(log);
    expect(statSync(file(s)).size).toBeLessThan(20 * 20 * 60);
    const s2 = await reopen(s, 4096);
    const l2 = s2.logStore('raft');
    expect([l2.firstIndex(), l2.lastIndex()]).toEqual([396, 400]);
    expect(new TextDecoder().decode(l2.get(400)!.data)).toMatch(/^e400/);
    expect(s2.stableStore('raft').get('k')).toEqual(new Uint8Array([1]));
  });

  it('rejects a bad append batch without changing anything', () => {
    const log = open().logStore('raft');
    log.append([rec(1)]);
    expect(() => log.append([rec(2), rec(4)])).toThrow(/index 4 where 3 was expected/);
    expect(log.lastIndex()).toBe(1);
  });

  it('keeps entry data in memory only until it is written, then reads it from the file (also after a rewrite)', async () => {
    const s = open(undefined, 1);
    const log = s.logStore('raft');
    const batch = Array.from({ length: 20 }, (_, i) => rec(i + 1));
    log.append(batch);
    await synced(log);
    // The store no longer holds the caller's arrays: what it returns comes from the file.
    for (const r of batch) r.data.fill(0x21);
    expect(new TextDecoder().decode(log.get(19)?.data)).toBe('e19.......');
    const before = statSync(file(s)).size;
    log.compactTo(18); // most of the file is now dead: the next flush rewrites it
    log.append([rec(21)]);
    await synced(log);
    expect(statSync(file(s)).size).toBeLessThan(before);
    expect(log.range(19, 21).map((r) => new TextDecoder().decode(r.data))).toEqual(['e19.......', 'e20.......', 'e21.......']);
    const s2 = await reopen(s);
    expect(s2.logStore('raft').range(19, 21).map((r) => r.index)).toEqual([19, 20, 21]);
  });
});
