import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { ApplyError } from '../fsm/fsm.ts';
import { kvGet, kvKeys, kvList, kvLockDelay } from './kv.ts';

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array) => new TextDecoder().decode(b);

function setup() {
  const h = new FsmHarness();
  const set = (Key: string, v = Key, Flags?: bigint) => h.apply({ type: 'kvs', op: 'set', entry: { Key, Value: enc(v), Flags } });
  return { h, set, s: h.state };
}

function withSession(h: FsmHarness, id = 's1', extra: Record<string, unknown> = {}) {
  h.apply({ type: 'register', req: { Node: 'n1', Address: '10.0.0.1' } });
  expect(h.apply({ type: 'session-create', session: { ID: id, Node: 'n1', LockDelay: 15e9, ...extra } })).toBe(id);
}

describe('KV set/get', () => {
  it('set creates with CreateIndex = ModifyIndex and get reports the entry index', () => {
    const { h, set, s } = setup();
    expect(set('a', 'x')).toBe(true);
    const r = kvGet(s, 'a');
    expect(r.value).toMatchObject({ Key: 'a', CreateIndex: 1, ModifyIndex: 1, LockIndex: 0, Session: '', Flags: 0n });
    expect(dec(r.value!.Value)).toBe('x');
    expect(r.index).toBe(1);
    set('b');
    set('a', 'y');
    expect(kvGet(s, 'a').value).toMatchObject({ CreateIndex: 1, ModifyIndex: 3 });
    expect(kvGet(s, 'a').index).toBe(3);
    expect(h.index).toBe(3);
  });

  it('a missing key reports the KV table index (kvs + tombstones)', () => {
    const { h, set, s } = setup();
    set('a');
    set('b');
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'b' } });
    expect(kvGet(s, 'zzz')).toMatchObject({ value: null, index: 3 });
  });

  it('flags are full uint64 values (consul lock flag round-trips exactly)', () => {
    const { set, s, h } = setup();
    set('lock', '', 3304740253564472344n);
    set('max', '', 0xffffffffffffffffn);
    expect(kvGet(s, 'lock').value!.Flags).toBe(3304740253564472344n);
    expect(kvGet(s, 'max').value!.Flags).toBe(18446744073709551615n);
    const bad = h.apply({ type: 'kvs', op: 'set', entry: { Key: 'x', Flags: 1n << 64n } });
    expect(bad).toBeInstanceOf(ApplyError);
    expect(kvGet(s, 'x').value).toBeNull();
  });

  it('setting an identical entry writes nothing (no index moves, no wakeups)', () => {
    const { set, s } = setup();
    set('a', 'x', 5n);
    set('b');
    set('a', 'x', 5n);
    expect(kvGet(s, 'a').value!.ModifyIndex).toBe(1);
    expect(s.t.kvs.maxIndex).toBe(2);
    set('a', 'x', 6n);
    expect(kvGet(s, 'a').value!.ModifyIndex).toBe(4);
  });

  it('an empty key is rejected', () => {
    const { h } = setup();
    expect((h.apply({ type: 'kvs', op: 'set', entry: { Key: '' } }) as ApplyError).message).toBe('Must provide key');
  });
});

describe('KV CAS and deletes', () => {
  const cases: Array<{ name: string; exists: boolean; cas: number | 'current'; want: boolean }> = [
    { name: 'cas=0 on a missing key creates', exists: false, cas: 0, want: true },
    { name: 'cas=0 on an existing key fails', exists: true, cas: 0, want: false },
    { name: 'cas=current ModifyIndex succeeds', exists: true, cas: 'current', want: true },
    { name: 'cas=stale index fails', exists: true, cas: 99, want: false },
    { name: 'cas=N on a missing key fails', exists: false, cas: 5, want: false },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const { h, set, s } = setup();
      if (c.exists) set('k', 'old');
      const index = c.cas === 'current' ? kvGet(s, 'k').value!.ModifyIndex : c.cas;
      expect(h.apply({ type: 'kvs', op: 'cas', entry: { Key: 'k', Value: enc('new') }, index })).toBe(c.want);
      const v = kvGet(s, 'k').value;
      if (c.want) expect(dec(v!.Value)).toBe('new');
      else if (c.exists) expect(dec(v!.Value)).toBe('old');
      else expect(v).toBeNull();
    });
  }

  const delCases: Array<{ name: string; exists: boolean; cas: number | 'current'; want: boolean; gone: boolean }> = [
    { name: 'delete-cas with the current index deletes', exists: true, cas: 'current', want: true, gone: true },
    { name: 'delete-cas with a stale index keeps the key', exists: true, cas: 42, want: false, gone: false },
    { name: 'delete-cas with cas=0 never deletes', exists: true, cas: 0, want: false, gone: false },
    { name: 'delete-cas of a missing key returns true', exists: false, cas: 3, want: true, gone: true },
  ];
  for (const c of delCases) {
    it(c.name, () => {
      const { h, set, s } = setup();
      if (c.exists) set('k');
      const index = c.cas === 'current' ? kvGet(s, 'k').value!.ModifyIndex : c.cas;
      expect(h.apply({ type: 'kvs', op: 'delete-cas', entry: { Key: 'k' }, index })).toBe(c.want);
      expect(kvGet(s, 'k').value === null).toBe(c.gone);
    });
  }

  it('delete leaves a tombstone so prefix indexes advance; reaping removes it', () => {
    const { h, set, s } = setup();
    set('app/a');
    set('app/b');
    set('other');
    expect(kvList(s, 'app/').index).toBe(2);
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'app/b' } }); // index 4
    expect(kvList(s, 'app/')).toMatchObject({ index: 4 });
    expect(kvList(s, 'app/').value.map((e) => e.Key)).toEqual(['app/a']);
    expect(s.t.tombstones.get('app/b')).toEqual({ Key: 'app/b', Index: 4 });
    expect(h.apply({ type: 'tombstone-reap', index: 4 })).toBe(1);
    expect(s.t.tombstones.size).toBe(0);
    // Only app/a (index 1) is left: the reaped tombstone no longer raises the prefix index.
    expect(kvList(s, 'app/').index).toBe(1);
  });

  it('deleting a missing key writes nothing', () => {
    const { h, s } = setup();
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'nope' } });
    expect(s.t.tombstones.size).toBe(0);
    expect(s.t.kvs.maxIndex).toBe(0);
  });

  it('delete-tree removes the prefix only, each key tombstoned', () => {
    const { h, set, s } = setup();
    for (const k of ['a/1', 'a/2', 'a/b/3', 'ab', 'b']) set(k);
    h.apply({ type: 'kvs', op: 'delete-tree', entry: { Key: 'a/' } });
    expect([...s.t.kvs.all()].map((e) => e.Key)).toEqual(['ab', 'b']);
    expect([...s.t.tombstones.all()].map((t) => t.Key)).toEqual(['a/1', 'a/2', 'a/b/3']);
    expect(kvList(s, 'a/')).toMatchObject({ index: 6, value: [] });
  });
});

describe('KV listing', () => {
  it('recurse lists in key order; an empty prefix lists all', () => {
    const { set, s } = setup();
    for (const k of ['b', 'a/2', 'a/1', 'c']) set(k);
    expect(kvList(s, 'a/').value.map((e) => e.Key)).toEqual(['a/1', 'a/2']);
    expect(kvList(s, '').value.map((e) => e.Key)).toEqual(['a/1', 'a/2', 'b', 'c']);
    expect(kvList(s, 'a/').index).toBe(3);
  });

  const keyCases: Array<{ prefix: string; sep: string; want: string[] }> = [
    { prefix: '', sep: '', want: ['a', 'a/b', 'a/b/c', 'a/d', 'e/f', 'e/g/h'] },
    { prefix: '', sep: '/', want: ['a', 'a/', 'e/'] },
    { prefix: 'a/', sep: '/', want: ['a/b', 'a/b/', 'a/d'] },
    { prefix: 'e/', sep: '/', want: ['e/f', 'e/g/'] },
    { prefix: 'x', sep: '/', want: [] },
  ];
  for (const c of keyCases) {
    it(`keys prefix=${JSON.stringify(c.prefix)} separator=${JSON.stringify(c.sep)}`, () => {
      const { set, s } = setup();
      for (const k of ['a', 'a/b', 'a/b/c', 'a/d', 'e/f', 'e/g/h']) set(k);
      expect(kvKeys(s, c.prefix, c.sep).value).toEqual(c.want);
    });
  }
});

describe('KV locks', () => {
  it('acquire locks a free key, LockIndex+1; re-acquire by the holder keeps LockIndex', () => {
    const { h, s } = setup();
    withSession(h);
    expect(h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l', Value: enc('1') }, session: 's1' })).toBe(true);
    expect(kvGet(s, 'l').value).toMatchObject({ Session: 's1', LockIndex: 1 });
    expect(h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l', Value: enc('2') }, session: 's1' })).toBe(true);
    expect(kvGet(s, 'l').value).toMatchObject({ Session: 's1', LockIndex: 1 });
    expect(dec(kvGet(s, 'l').value!.Value)).toBe('2');
  });

  it('acquire by another session fails; unknown session is an error', () => {
    const { h } = setup();
    withSession(h, 's1');
    h.apply({ type: 'session-create', session: { ID: 's2', Node: 'n1' } });
    h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's1' });
    expect(h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's2' })).toBe(false);
    const r = h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 'nope' });
    expect((r as ApplyError).message).toBe('invalid session "nope"');
  });

  it('release only by the holder; clears Session and keeps LockIndex; next acquire increments', () => {
    const { h, s } = setup();
    withSession(h, 's1');
    h.apply({ type: 'session-create', session: { ID: 's2', Node: 'n1', LockDelay: 0 } });
    h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's1' });
    expect(h.apply({ type: 'kvs', op: 'unlock', entry: { Key: 'l' }, session: 's2' })).toBe(false);
    expect(h.apply({ type: 'kvs', op: 'unlock', entry: { Key: 'l' }, session: 's1' })).toBe(true);
    expect(kvGet(s, 'l').value).toMatchObject({ Session: '', LockIndex: 1 });
    expect(h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's2' })).toBe(true);
    expect(kvGet(s, 'l').value).toMatchObject({ Session: 's2', LockIndex: 2 });
  });

  it('a plain set ignores locks: Session kept, LockIndex from the request (0), as kvsSetTxn does', () => {
    const { h, s, set } = setup();
    withSession(h);
    h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's1' });
    set('l', 'over');
    expect(kvGet(s, 'l').value).toMatchObject({ Session: 's1', LockIndex: 0 });
  });

  it('lock-delay blocks re-acquire after invalidation until leader time passes it', () => {
    const { h, s } = setup();
    withSession(h, 's1'); // LockDelay 15s
    h.apply({ type: 'session-create', session: { ID: 's2', Node: 'n1' } });
    h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's1' });
    h.apply({ type: 'session-destroy', id: 's1' });
    expect(kvLockDelay(s, 'l')).toBe(h.now + 15_000);
    h.now += 14_999;
    expect(h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's2' })).toBe(false);
    h.now += 2;
    expect(h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'l' }, session: 's2' })).toBe(true);
    expect(kvGet(s, 'l').value).toMatchObject({ Session: 's2', LockIndex: 2 });
  });
});
