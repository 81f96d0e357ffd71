import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { kvGet, kvList } from './kv.ts';

/**
 * Watch precision and completeness as a property: after random KV writes, exactly the waiters whose
 * key changed, or whose prefix covers a changed key, are woken.
 */
const key = fc.constantFrom('a', 'a/b', 'a/c', 'b', 'b/d', 'c');
const watcher = fc.record({ kind: fc.constantFrom('key', 'prefix'), target: fc.constantFrom('', 'a', 'a/', 'a/b', 'b', 'c', 'zz') });
const write = fc.record({ op: fc.constantFrom('set', 'delete', 'delete-tree'), key, value: fc.integer({ min: 0, max: 2 }) });

describe('watches against a model', () => {
  it('wake exactly the affected waiters (property)', () => {
    fc.assert(
      fc.property(fc.array(write, { maxLength: 8 }), fc.array(watcher, { minLength: 1, maxLength: 12 }), write, (setup, watchers, w) => {
        const h = new FsmHarness();
        const apply = (x: typeof w) =>
          h.apply(x.op === 'set' ? { type: 'kvs', op: 'set', entry: { Key: x.key, Value: Uint8Array.of(x.value) } } : { type: 'kvs', op: x.op as 'delete' | 'delete-tree', entry: { Key: x.key } });
        for (const x of setup) apply(x);
        const before = new Map([...h.state.t.kvs.all()].map((e) => [e.Key, e.ModifyIndex]));
        const woke = new Set<number>();
        watchers.forEach((wt, i) => {
          const ws = wt.kind === 'key' ? kvGet(h.state, wt.target).watch : kvList(h.state, wt.target).watch;
          h.state.watch(ws, () => woke.add(i));
        });
        apply(w);
        const after = new Map([...h.state.t.kvs.all()].map((e) => [e.Key, e.ModifyIndex]));
        const changed = [...new Set([...before.keys(), ...after.keys()])].filter((k) => before.get(k) !== after.get(k));
        const expected = new Set<number>();
        watchers.forEach((wt, i) => {
          const hit = wt.kind === 'key' ? changed.includes(wt.target) : changed.some((k) => k.startsWith(wt.target));
          if (hit) expected.add(i);
        });
        expect([...woke].sort()).toEqual([...expected].sort());
      }),
      { numRuns: 300 },
    );
  });
});
