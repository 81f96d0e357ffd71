import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { blockingQuery } from './blocking.ts';
import { kvGet, kvList } from './kv.ts';
import { TombstoneGC } from './tombstone-gc.ts';

describe('blockingQuery', () => {
  it('answers at once for index 0 and reports at least 1', () => {
    const h = new FsmHarness();
    const got: number[] = [];
    blockingQuery(h.state, 0, () => kvGet(h.state, 'k'), (r) => got.push(r.index));
    expect(got).toEqual([1]);
  });

  it('waits until what it read changes, ignoring unrelated writes', () => {
    const h = new FsmHarness();
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } });
    const got: number[] = [];
    blockingQuery(h.state, 1, () => kvGet(h.state, 'k'), (r) => got.push(r.index));
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'other' } });
    expect(got).toEqual([]);
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } });
    expect(got).toEqual([3]);
  });

  it('a blocking recurse wakes when a key under the prefix is deleted', () => {
    const h = new FsmHarness();
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'p/a' } });
    const got: number[] = [];
    blockingQuery(h.state, 1, () => kvList(h.state, 'p/'), (r) => got.push(r.index));
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'p/a' } });
    expect(got).toEqual([2]);
  });

  it('cancel stops waiting; current() gives the timeout answer', () => {
    const h = new FsmHarness();
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } });
    const got: number[] = [];
    const q = blockingQuery(h.state, 1, () => kvGet(h.state, 'k'), (r) => got.push(r.index));
    q.cancel();
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } });
    expect(got).toEqual([]);
    expect(q.current().index).toBe(2);
    expect(h.state.watches.stats.active).toBe(0);
  });

  it('an index below minIndex keeps waiting (until a change lifts it above, or the timeout)', () => {
    const h = new FsmHarness();
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } });
    const got: number[] = [];
    blockingQuery(h.state, 2, () => kvGet(h.state, 'k'), (r) => got.push(r.index));
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } }); // index 2: not above
    expect(got).toEqual([]);
    h.apply({ type: 'kvs', op: 'set', entry: { Key: 'k' } });
    expect(got).toEqual([3]);
  });
});

describe('TombstoneGC', () => {
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
