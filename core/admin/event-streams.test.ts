import { describe, expect, it } from 'vitest';
import type { AdminMember, KvEntry } from './admin-cluster.ts';
import { kvDiff, kvEvents, leaderEvents, memberDiff } from './event-streams.ts';

const member = (name: string, status: AdminMember['status'], tags: Record<string, string> = {}): AdminMember => ({ name, address: `10.0.0.1:8301`, status, role: 'client', datacenter: 'dc1', tags });
const entry = (key: string, modifyIndex: number): KvEntry => ({ key, value: 'v', valueBase64: 'dg==', flags: 0, createIndex: 1, modifyIndex, lockIndex: 0 });

describe('memberDiff', () => {
  it('names serf events by the status change, and reaps members that disappear', () => {
    const prev = new Map([
      ['a', member('a', 'alive')],
      ['b', member('b', 'alive')],
      ['c', member('c', 'failed')],
      ['d', member('d', 'alive')],
      ['e', member('e', 'alive', { x: '1' })],
    ]);
    const next = [member('a', 'alive'), member('b', 'failed'), member('c', 'alive'), member('e', 'alive', { x: '2' }), member('f', 'alive'), member('g', 'left')];
    expect(memberDiff(prev, next, 'lan').map((e) => `${e.type}:${'member' in e ? e.member.name : ''}`)).toEqual(['fail:b', 'join:c', 'update:e', 'join:f', 'leave:g', 'reap:d']);
  });
});

describe('kvDiff', () => {
  it('reports new and modified keys as puts and missing ones as deletes, at the read index', () => {
    const prev = new Map([
      ['a', entry('a', 5)],
      ['b', entry('b', 6)],
      ['c', entry('c', 7)],
    ]);
    const events = kvDiff(prev, [entry('a', 5), entry('b', 9), entry('d', 9)], 9);
    expect(events).toEqual([
      { type: 'put', index: 9, entry: entry('b', 9) },
      { type: 'put', index: 9, entry: entry('d', 9) },
      { type: 'delete', index: 9, key: 'c' },
    ]);
  });
});

/** Timers that fire only when the test says so (in order), so a stream runs step by step. */
function manualTimers() {
  const pending: Array<{ ms: number; cb: () => void; live: boolean }> = [];
  return {
    timers: {
      setTimer(ms: number, cb: () => void) {
        const t = { ms, cb, live: true };
        pending.push(t);
        return { cancel: () => (t.live = false) };
      },
    },
    fire() {
      const t = pending.shift();
      if (t?.live) t.cb();
    },
    pending: () => pending.filter((t) => t.live).length,
  };
}

describe('leaderEvents', () => {
  it('yields the first leader, then only changes (a failed read is no leader), and ends on abort', async () => {
    const clock = manualTimers();
    const reads = ['s1', 's1', 'fail', 's2'];
    const abort = new AbortController();
    const stream = leaderEvents(
      async () => {
        const r = reads.shift() ?? 's2';
        if (r === 'fail') throw new Error('No cluster leader');
        return r;
      },
      clock.timers,
      100,
      abort.signal,
    );
    const it = stream[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ leader: 's1', previous: null });
    const next = it.next();
    // s1 again (nothing), then the failure: '' is a change.
    for (let i = 0; i < 2; i++) {
      await new Promise((r) => setImmediate(r));
      clock.fire();
    }
    expect((await next).value).toEqual({ leader: '', previous: 's1' });
    const after = it.next();
    await new Promise((r) => setImmediate(r));
    clock.fire();
    expect((await after).value).toEqual({ leader: 's2', previous: '' });
    const ended = it.next();
    abort.abort();
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(clock.pending()).toBe(0);
  });
});

describe('kvEvents', () => {
  it('starts with a snapshot, passes the last index to the next read, and resets it when the index goes backwards', async () => {
    const clock = manualTimers();
    const indexes: number[] = [];
    const lists = [
      { index: 10, entries: [entry('a', 10)] },
      { index: 12, entries: [entry('a', 10), entry('b', 12)] },
      { index: 3, entries: [entry('a', 3)] },
    ];
    const abort = new AbortController();
    const it = kvEvents(
      async (index) => {
        indexes.push(index);
        const next = lists.shift();
        if (!next) return new Promise<never>(() => undefined);
        return next;
      },
      clock.timers,
      100,
      abort.signal,
    )[Symbol.asyncIterator]();
    expect((await it.next()).value).toEqual({ type: 'snapshot', index: 10, entries: [entry('a', 10)] });
    expect((await it.next()).value).toEqual({ type: 'put', index: 12, entry: entry('b', 12) });
    // A restore took the index back to 3: a and b changed, b is gone.
    expect((await it.next()).value).toEqual({ type: 'put', index: 3, entry: entry('a', 3) });
    expect((await it.next()).value).toEqual({ type: 'delete', index: 3, key: 'b' });
    const ended = it.next();
    await new Promise((r) => setImmediate(r));
    abort.abort();
    expect(await ended).toEqual({ done: true, value: undefined });
    expect(indexes).toEqual([0, 10, 12, 0]);
  });
});
