import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { ConsulFSM } from '../fsm/fsm.ts';
import { healthServiceNodes } from './catalog-read.ts';
import { kvGet, kvList } from './kv.ts';
import { SnapshotError } from './snapshot.ts';

function populated() {
  const h = new FsmHarness();
  h.apply({ type: 'register', req: { Node: 'n1', Address: '10.0.0.1', NodeMeta: { env: 'x' }, Service: { Service: 'web', Tags: ['a'] }, Check: { CheckID: 'serfHealth', Status: 'passing' } } });
  h.apply({ type: 'kvs', op: 'set', entry: { Key: 'lock', Value: new Uint8Array([1, 2, 3]), Flags: 3304740253564472344n } });
  h.apply({ type: 'kvs', op: 'set', entry: { Key: 'gone' } });
  h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'gone' } });
  h.apply({ type: 'session-create', session: { ID: 's', Node: 'n1', LockDelay: 1e9 } });
  h.apply({ type: 'kvs', op: 'lock', entry: { Key: 'held' }, session: 's' });
  h.apply({ type: 'acl-policy-set', policies: [{ ID: 'p', Name: 'pol', Description: '', Rules: '', Datacenters: null, Hash: '' }] });
  h.apply({ type: 'autopilot-set', config: { MaxTrailingLogs: 500 } });
  h.apply({ type: 'system-metadata-set', entries: [{ Key: 'k', Value: 'v' }] });
  return h;
}

describe('snapshot and restore', () => {
  it('round-trips the whole state byte-identically, with table indexes and last index', () => {
    const h = populated();
    const snap = h.fsm.snapshot();
    const other = new ConsulFSM();
    other.restore(snap);
    expect(other.snapshot()).toEqual(snap);
    expect(other.lastIndex).toBe(h.index);
    expect(kvGet(other.state, 'lock').value!.Flags).toBe(3304740253564472344n);
    expect(kvGet(other.state, 'lock').value!.Value).toEqual(new Uint8Array([1, 2, 3]));
    expect(kvList(other.state, 'gone').index).toBe(4); // tombstone survived
    expect(healthServiceNodes(other.state, 'web')).toEqual({ ...healthServiceNodes(h.state, 'web'), watch: expect.anything() });
    expect(other.state.counts()).toEqual(h.state.counts());
    for (const name of ['kvs', 'nodes', 'sessions', 'tombstones'] as const) {
      expect(other.state.t[name].maxIndex).toBe(h.state.t[name].maxIndex);
    }
  });

  it('chunked output concatenates to the single-buffer snapshot', () => {
    const h = populated();
    const chunks = [...h.fsm.snapshotChunks()];
    expect(chunks.length).toBeGreaterThan(3);
    const joined = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
    let off = 0;
    for (const c of chunks) {
      joined.set(c, off);
      off += c.length;
    }
    expect(joined).toEqual(h.fsm.snapshot());
    const other = new ConsulFSM();
    other.restore(h.fsm.snapshotChunks());
    expect(other.snapshot()).toEqual(h.fsm.snapshot());
  });

  const corruptions: Array<{ name: string; mutate: (b: Uint8Array) => Uint8Array; msg: RegExp }> = [
    { name: 'empty', mutate: () => new Uint8Array(0), msg: /too short/ },
    { name: 'bad magic', mutate: (b) => Uint8Array.from(b, (x, i) => (i === 0 ? 0 : x)), msg: /bad magic/ },
    { name: 'future version', mutate: (b) => Uint8Array.from(b, (x, i) => (i === 7 ? 57 : x)), msg: /unsupported snapshot version 9/ },
    { name: 'truncated', mutate: (b) => b.subarray(0, b.length - 10), msg: /truncated|corrupt|trailer/ },
    { name: 'trailing garbage', mutate: (b) => Uint8Array.from([...b, 0xc0]), msg: /trailing/ },
    { name: 'garbage body', mutate: (b) => Uint8Array.from(b, (x, i) => (i > 8 ? (x * 31 + i) & 0xff : x)), msg: /./ },
  ];
  for (const c of corruptions) {
    it(`rejects a ${c.name} snapshot and keeps the current state`, () => {
      const h = populated();
      const snap = h.fsm.snapshot();
      const target = new FsmHarness();
      target.apply({ type: 'kvs', op: 'set', entry: { Key: 'mine' } });
      const before = target.fsm.snapshot();
      expect(() => target.fsm.restore(c.mutate(snap))).toThrow(SnapshotError);
      expect(() => target.fsm.restore(c.mutate(snap))).toThrow(c.msg);
      expect(target.fsm.snapshot()).toEqual(before);
    });
  }

  it('restored state keeps working (writes, lock-delay, session invalidation)', () => {
    const h = populated();
    const other = new FsmHarness();
    other.fsm.restore(h.fsm.snapshot());
    other.index = h.index;
    other.apply({ type: 'session-destroy', id: 's' });
    h.apply({ type: 'session-destroy', id: 's' });
    expect(other.fsm.snapshot()).toEqual(h.fsm.snapshot());
    expect(kvGet(other.state, 'held').value!.Session).toBe('');
  });
});
