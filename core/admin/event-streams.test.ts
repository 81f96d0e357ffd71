import { describe, expect, it } from 'vitest';
import type { AdminMember, KvEntry } from './admin-cluster.ts';
import { kvDiff, memberDiff } from './event-streams.ts';

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
