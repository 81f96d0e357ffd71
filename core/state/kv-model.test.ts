import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KVSOp } from '../fsm/commands.ts';
import { FsmHarness } from '../fsm/harness.ts';
import { kvList } from './kv.ts';

/**
 * Model-based test: random KV command sequences against a plain-Map model of Consul's KV rules
 * (kvsSetTxn, CAS, delete-CAS, delete-tree, lock/unlock with LockIndex). Results and the whole
 * table must agree after every step.
 */
interface ModelEntry {
  value: number;
  createIndex: number;
  modifyIndex: number;
  lockIndex: number;
  session: string;
}

const KEYS = ['a', 'a/b', 'a/c', 'b', 'b/d'];
const SESSIONS = ['s1', 's2'];

const op = fc.record({
  op: fc.constantFrom<KVSOp>('set', 'cas', 'delete', 'delete-cas', 'delete-tree', 'lock', 'unlock'),
  key: fc.constantFrom(...KEYS, 'a/'),
  value: fc.integer({ min: 0, max: 3 }),
  index: fc.integer({ min: 0, max: 40 }),
  session: fc.constantFrom(...SESSIONS),
});

interface ModelOp {
  op: KVSOp;
  key: string;
  value: number;
  index: number;
  session: string;
}

/** Applies one op to the model at raft index `idx`; returns the API's true/false. */
function applyModel(m: Map<string, ModelEntry>, o: ModelOp, idx: number): boolean {
  const e = m.get(o.key);
  const write = (lockIndex: number, session: string) => {
    if (e && e.value === o.value && e.lockIndex === lockIndex && e.session === session) return;
    m.set(o.key, { value: o.value, createIndex: e?.createIndex ?? idx, modifyIndex: idx, lockIndex, session });
  };
  switch (o.op) {
    case 'set':
      write(0, e?.session ?? '');
      return true;
    case 'cas':
      if (o.index === 0 ? e !== undefined : e?.modifyIndex !== o.index) return false;
      write(0, e?.session ?? '');
      return true;
    case 'delete':
      m.delete(o.key);
      return true;
    case 'delete-cas':
      if (!e) return true;
      if (e.modifyIndex !== o.index) return false;
      m.delete(o.key);
      return true;
    case 'delete-tree':
      for (const k of [...m.keys()]) if (k.startsWith(o.key)) m.delete(k);
      return true;
    case 'lock':
      if (e?.session && e.session !== o.session) return false;
      write(e?.session === o.session ? e.lockIndex : (e?.lockIndex ?? 0) + 1, o.session);
      return true;
    case 'unlock':
      if (!e || e.session !== o.session) return false;
      write(e.lockIndex, '');
      return true;
  }
}

describe('KV against a model', () => {
  it('agrees with the model on results and contents (property)', () => {
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 60 }), (ops) => {
        const h = new FsmHarness();
        h.apply({ type: 'register', req: { Node: 'n', Address: 'a' } });
        for (const id of SESSIONS) h.apply({ type: 'session-create', session: { ID: id, Node: 'n', LockDelay: 0 } });
        const model = new Map<string, ModelEntry>();
        for (const o of ops) {
          const got = h.apply({ type: 'kvs', op: o.op, entry: { Key: o.key, Value: Uint8Array.of(o.value) }, index: o.index, session: o.session });
          const want = applyModel(model, o, h.index);
          expect(got).toBe(want);
          const rows = kvList(h.state, '').value.map((r) => [r.Key, r.Value[0], r.CreateIndex, r.ModifyIndex, r.LockIndex, r.Session]);
          const expected = [...model.entries()]
            .sort(([a], [b]) => (a < b ? -1 : 1))
            .map(([k, v]) => [k, v.value, v.createIndex, v.modifyIndex, v.lockIndex, v.session]);
          expect(rows).toEqual(expected);
        }
      }),
      { numRuns: 200 },
    );
  });
});
