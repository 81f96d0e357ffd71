import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { blockingQuery } from '../lib/blocking.ts';
import { Prng } from '../lib/prng.ts';
import { storeResult } from './blocking.ts';
import type { QueryResult } from './types.ts';
import { kvGet, kvList } from './kv.ts';
import { TombstoneGC } from './tombstone-gc.ts';

let n = 0;
/** A set with a fresh value (identical sets are no-ops that wake nobody). */
const set = (h: FsmHarness, Key: string) => h.apply({ type: 'kvs', op: 'set', entry: { Key, Value: Uint8Array.of(++n & 255) } });

describe('blocking queries over the store', () => {
  /** Timers that only fire when the test says so. */
  const manualTimers = () => {
    const pending: Array<() => void> = [];
    return {
      timers: {
        setTimer: (_ms: number, fn: () => void) => {
          pending.push(fn);
          return { cancel: () => pending.splice(pending.indexOf(fn), 1) };
        },
      },
      expire: () => {
        for (const fn of pending.splice(0)) fn();
      },
    };
  };
  const block = (h: FsmHarness, minIndex: number, read: () => QueryResult<unknown>, got: number[]) => {
    const t = manualTimers();
    const cancel = blockingQuery({ minIndex, waitMs: 1000, timers: t.timers, random: new Prng(1) }, () => storeResult(h.state, read()), (r) => got.push(r.index));
    return { cancel, expire: t.expire };
  };

  it('answers at once for index 0 and reports at least 1', () => {
    const h = new FsmHarness();
    const got: number[] = [];
    block(h, 0, () => kvGet(h.state, 'k'), got);
    expect(got).toEqual([1]);
  });

  it('waits until what it read changes, ignoring unrelated writes', () => {
    const h = new FsmHarness();
    set(h, 'k');
    const got: number[] = [];
    block(h, 1, () => kvGet(h.state, 'k'), got);
    set(h, 'other');
    expect(got).toEqual([]);
    set(h, 'k');
    expect(got).toEqual([3]);
  });

  it('a blocking recurse wakes when a key under the prefix is deleted', () => {
    const h = new FsmHarness();
    set(h, 'p/a');
    const got: number[] = [];
    block(h, 1, () => kvList(h.state, 'p/'), got);
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'p/a' } });
    expect(got).toEqual([2]);
  });

  it('cancel stops waiting and releases the watch; expiry answers with the current result', () => {
    const h = new FsmHarness();
    set(h, 'k');
    const got: number[] = [];
    const q = block(h, 1, () => kvGet(h.state, 'k'), got);
    q.cancel();
    set(h, 'k');
    expect(got).toEqual([]);
    expect(h.state.watches.stats.active).toBe(0);
    const r = block(h, 2, () => kvGet(h.state, 'k'), got);
    r.expire();
    expect(got).toEqual([2]);
  });

  it('an index at or below minIndex keeps waiting until a change lifts it above', () => {
    const h = new FsmHarness();
    set(h, 'k');
    const got: number[] = [];
    block(h, 2, () => kvGet(h.state, 'k'), got);
    set(h, 'k'); // index 2: not above
    expect(got).toEqual([]);
    set(h, 'k');
    expect(got).toEqual([3]);
  });
});

describe('TombstoneGC', () => {
  it('is fed by commit listeners on writes that created tombstones, not on reaps or rollbacks', () => {
    const h = new FsmHarness();
    const gc = new TombstoneGC(1000, 100);
    let clock = 0;
    const hints: number[] = [];
    h.state.onCommit((c) => {
      if (!c.tombstoned) return;
      hints.push(c.index);
      gc.hint(c.index, clock);
    });
    set(h, 'a');
    set(h, 'b');
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'a' } }); // 3
    h.apply({ type: 'txn', ops: [{ KV: { Verb: 'delete', Key: 'b' } }, { KV: { Verb: 'get', Key: 'zz' } }] }); // rolled back
    h.apply({ type: 'kvs', op: 'delete-tree', entry: { Key: 'b' } }); // 5
    expect(hints).toEqual([3, 5]);
    clock = 2000;
    const reap = gc.expire(clock);
    expect(reap).toBe(5);
    h.apply({ type: 'tombstone-reap', index: reap! });
    expect(hints).toEqual([3, 5]);
    expect(h.state.t.tombstones.size).toBe(0);
  });

  it('bins hints by granularity and expires the highest index after the TTL', () => {
    const gc = new TombstoneGC(60_000, 10_000);
    gc.hint(5, 1_000);
    gc.hint(7, 4_000);
    gc.hint(9, 15_000);
    expect(gc.pending).toBe(2);
    expect(gc.nextExpiry()).toBe(70_000);
    expect(gc.expire(69_999)).toBeUndefined();
    expect(gc.expire(70_000)).toBe(7);
    expect(gc.expire(100_000)).toBe(9);
    expect(gc.pending).toBe(0);
  });
});
