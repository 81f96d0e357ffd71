import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { blockingQuery } from '../http/blocking.ts';
import { kvGet, kvList } from './kv.ts';
import { TombstoneGC } from './tombstone-gc.ts';

let n = 0;
/** A set with a fresh value (identical sets are no-ops that wake nobody). */
const set = (h: FsmHarness, Key: string) => h.apply({ type: 'kvs', op: 'set', entry: { Key, Value: Uint8Array.of(++n & 255) } });

describe('blocking queries through core/http/blocking.ts', () => {
  const options = (minIndex: number) => ({
    minIndex,
    waitMs: 60_000,
    timers: { setTimer: () => ({ cancel: () => {} }) },
    random: { float: () => 0, uint32: () => 0 } as never,
  });

  it('waits until what it read changes, ignoring unrelated writes', () => {
    const h = new FsmHarness();
    set(h, 'k');
    const got: number[] = [];
    blockingQuery(options(1), () => h.state.blocking(kvGet(h.state, 'k')), (r) => got.push(r.index));
    set(h, 'other');
    expect(got).toEqual([]);
    set(h, 'k');
    expect(got).toEqual([3]);
    expect(h.state.watches.stats.active).toBe(0);
  });

  it('a blocking recurse wakes when a key under the prefix is deleted', () => {
    const h = new FsmHarness();
    set(h, 'p/a');
    const got: number[] = [];
    blockingQuery(options(1), () => h.state.blocking(kvList(h.state, 'p/')), (r) => got.push(r.index));
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'p/a' } });
    expect(got).toEqual([2]);
  });

  it('abandoning the wait removes the watch registration', () => {
    const h = new FsmHarness();
    set(h, 'k');
    const cancel = blockingQuery(options(1), () => h.state.blocking(kvGet(h.state, 'k')), () => {});
    expect(h.state.watches.stats.active).toBe(1);
    cancel();
    expect(h.state.watches.stats.active).toBe(0);
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
