import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { kvGet } from './kv.ts';
import { isReadOnlyTxn, txnApply, type TxnOp, type TxnResponse } from './txn.ts';

const enc = (s: string) => new TextEncoder().encode(s);

function setup() {
  const h = new FsmHarness();
  h.apply({ type: 'register', req: { Node: 'n1', Address: '10.0.0.1', Check: { CheckID: 'serfHealth', Status: 'passing' } } });
  h.apply({ type: 'session-create', session: { ID: 's1', Node: 'n1', NodeChecks: ['serfHealth'] } });
  h.apply({ type: 'kvs', op: 'set', entry: { Key: 'a', Value: enc('A') } }); // index 3
  h.apply({ type: 'kvs', op: 'set', entry: { Key: 'z', Value: enc('Z') } }); // index 4
  const txn = (ops: TxnOp[]) => h.apply({ type: 'txn', ops }) as TxnResponse;
  return { h, txn, s: h.state };
}

describe('txn KV verbs', () => {
  it('writes succeed together and return entries with Value null (get keeps it)', () => {
    const { txn, s } = setup();
    const r = txn([
      { KV: { Verb: 'set', Key: 'b', Value: enc('B'), Flags: 7n } },
      { KV: { Verb: 'cas', Key: 'a', Value: enc('A2'), Index: 3 } },
      { KV: { Verb: 'lock', Key: 'l', Session: 's1' } },
      { KV: { Verb: 'get', Key: 'b' } },
      { KV: { Verb: 'check-not-exists', Key: 'zz' } },
    ]);
    expect(r.Errors).toBeNull();
    expect(r.Results).toHaveLength(4);
    expect(r.Results![0]).toMatchObject({ KV: { Key: 'b', Value: null, Flags: 7n, ModifyIndex: 5 } });
    expect(r.Results![2]).toMatchObject({ KV: { Key: 'l', Session: 's1', LockIndex: 1 } });
    expect(r.Results![3]).toMatchObject({ KV: { Key: 'b', Value: enc('B') } });
    expect(kvGet(s, 'a').value!.ModifyIndex).toBe(5);
  });

  const failures: Array<{ name: string; op: TxnOp; what: string }> = [
    { name: 'cas stale', op: { KV: { Verb: 'cas', Key: 'a', Index: 99 } }, what: 'failed to set key "a", index is stale' },
    { name: 'get missing', op: { KV: { Verb: 'get', Key: 'zz' } }, what: 'key "zz" doesn\'t exist' },
    { name: 'check-index', op: { KV: { Verb: 'check-index', Key: 'a', Index: 1 } }, what: 'failed index check for key "a", current modify index 3 != 1' },
    { name: 'check-session', op: { KV: { Verb: 'check-session', Key: 'a', Session: 's1' } }, what: 'failed session check for key "a", current session "" != "s1"' },
    { name: 'check-not-exists', op: { KV: { Verb: 'check-not-exists', Key: 'a' } }, what: 'key "a" exists' },
    { name: 'unlock not held', op: { KV: { Verb: 'unlock', Key: 'a', Session: 's1' } }, what: 'failed to unlock key "a", lock isn\'t held, or is held by another session' },
    { name: 'delete-cas stale', op: { KV: { Verb: 'delete-cas', Key: 'a', Index: 1 } }, what: 'failed to delete key "a", index is stale' },
    { name: 'lock unknown session', op: { KV: { Verb: 'lock', Key: 'a', Session: 'zz' } }, what: 'invalid session "zz"' },
    { name: 'unknown verb', op: { KV: { Verb: 'frob', Key: 'a' } }, what: 'unknown KV verb "frob"' },
    { name: 'node get missing', op: { Node: { Verb: 'get', Node: { Node: 'zz', Address: '' } } }, what: 'node "zz" doesn\'t exist' },
    { name: 'service get missing', op: { Service: { Verb: 'get', Node: 'n1', Service: { ID: 'x', Service: 'x' } } }, what: 'service "x" on node "n1" doesn\'t exist' },
    { name: 'check cas stale', op: { Check: { Verb: 'cas', Check: { Node: 'n1', CheckID: 'serfHealth', ModifyIndex: 99 } } }, what: 'failed to set check "serfHealth" on node "n1", index is stale' },
  ];
  for (const f of failures) {
    it(`rolls back everything on ${f.name}, reporting the op index`, () => {
      const { txn, s, h } = setup();
      const before = s.maxIndex('kvs', 'tombstones', 'nodes', 'services', 'checks');
      const r = txn([{ KV: { Verb: 'set', Key: 'new', Value: enc('x') } }, { KV: { Verb: 'delete', Key: 'z' } }, f.op]);
      expect(r).toEqual({ Results: null, Errors: [{ OpIndex: 2, What: f.what }] });
      expect(kvGet(s, 'new').value).toBeNull();
      expect(kvGet(s, 'z').value).not.toBeNull();
      expect(s.t.tombstones.size).toBe(0);
      expect(s.maxIndex('kvs', 'tombstones', 'nodes', 'services', 'checks')).toBe(before);
      expect(h.state.lastIndex).toBe(h.index);
    });
  }

  it('get-or-empty answers a missing key with an empty entry', () => {
    const { txn } = setup();
    const r = txn([{ KV: { Verb: 'get-or-empty', Key: 'nope' } }, { KV: { Verb: 'get-or-empty', Key: 'a' } }]);
    expect(r.Results).toEqual([
      { KV: { LockIndex: 0, Key: 'nope', Flags: 0n, Value: null, Session: '', CreateIndex: 0, ModifyIndex: 0 } },
      { KV: expect.objectContaining({ Key: 'a', Value: enc('A') }) },
    ]);
  });

  it('check verbs on a missing key say which check failed', () => {
    const { txn } = setup();
    const r = txn([{ KV: { Verb: 'check-index', Key: 'x', Index: 1 } }, { KV: { Verb: 'check-session', Key: 'x', Session: 's1' } }, {} as TxnOp]);
    expect(r.Errors).toEqual([
      { OpIndex: 0, What: 'failed to check index, key "x" doesn\'t exist' },
      { OpIndex: 1, What: 'failed to check session, key "x" doesn\'t exist' },
      { OpIndex: 2, What: 'no operation specified' },
    ]);
  });

  it('reports every failing op', () => {
    const { txn } = setup();
    const r = txn([{ KV: { Verb: 'get', Key: 'x' } }, { KV: { Verb: 'set', Key: 'ok' } }, { KV: { Verb: 'get', Key: 'y' } }]);
    expect(r.Errors!.map((e) => e.OpIndex)).toEqual([0, 2]);
  });

  it('more than 64 operations is rejected', () => {
    const { txn, s } = setup();
    const ops: TxnOp[] = Array.from({ length: 65 }, (_, i) => ({ KV: { Verb: 'set', Key: `k${i}` } }));
    expect(txn(ops).Errors).toEqual([{ OpIndex: 0, What: 'Transaction contains too many operations (65 > 64)' }]);
    expect(s.t.kvs.size).toBe(2);
    expect(txn(ops.slice(0, 64)).Errors).toBeNull();
    expect(s.t.kvs.size).toBe(66);
  });

  it('get-tree, delete-tree, check-index and check-session success', () => {
    const { txn, s } = setup();
    txn([{ KV: { Verb: 'set', Key: 'd/1' } }, { KV: { Verb: 'set', Key: 'd/2' } }, { KV: { Verb: 'lock', Key: 'l', Session: 's1' } }]);
    const r = txn([
      { KV: { Verb: 'get-tree', Key: 'd/' } },
      { KV: { Verb: 'check-index', Key: 'a', Index: 3 } },
      { KV: { Verb: 'check-session', Key: 'l', Session: 's1' } },
      { KV: { Verb: 'delete-tree', Key: 'd/' } },
      { KV: { Verb: 'unlock', Key: 'l', Session: 's1' } },
    ]);
    expect(r.Errors).toBeNull();
    expect(r.Results!.slice(0, 2).map((x) => ('KV' in x ? x.KV.Key : ''))).toEqual(['d/1', 'd/2']);
    expect(s.t.kvs.prefix('d/')).toEqual([]);
    expect(kvGet(s, 'l').value!.Session).toBe('');
  });
});

describe('txn catalog verbs', () => {
  it('node, service and check set/get/cas/delete', () => {
    const { txn, s } = setup();
    const r = txn([
      { Node: { Verb: 'set', Node: { Node: 'n2', Address: '10.0.0.2' } } },
      { Service: { Verb: 'set', Node: 'n2', Service: { ID: 'w', Service: 'web', Port: 80 } } },
      { Check: { Verb: 'set', Check: { Node: 'n2', CheckID: 'c', ServiceID: 'w', Status: 'passing' } } },
      { Node: { Verb: 'get', Node: { Node: 'n2', Address: '' } } },
    ]);
    expect(r.Errors).toBeNull();
    expect(r.Results!.map((x) => Object.keys(x)[0])).toEqual(['Node', 'Service', 'Check', 'Node']);
    const idx = s.t.nodes.get('n2')!.ModifyIndex;
    expect(txn([{ Node: { Verb: 'cas', Node: { Node: 'n2', Address: '10.0.0.3', ModifyIndex: idx } } }]).Errors).toBeNull();
    expect(txn([{ Node: { Verb: 'delete-cas', Node: { Node: 'n2', Address: '', ModifyIndex: idx } } }]).Errors![0]!.What).toBe(
      'failed to delete node "n2", index is stale',
    );
    expect(txn([{ Service: { Verb: 'delete', Node: 'n2', Service: { ID: 'w', Service: 'web' } } }]).Errors).toBeNull();
    expect(s.t.checks.get('n2\u0000c')).toBeUndefined();
  });

  it('read-only detection and reads outside a write', () => {
    const { s } = setup();
    const ops: TxnOp[] = [{ KV: { Verb: 'get', Key: 'a' } }, { Node: { Verb: 'get', Node: { Node: 'n1', Address: '' } } }];
    expect(isReadOnlyTxn(ops)).toBe(true);
    expect(isReadOnlyTxn([{ KV: { Verb: 'set', Key: 'a' } }])).toBe(false);
    expect(txnApply(s, ops, 0).Results).toHaveLength(2);
  });
});
