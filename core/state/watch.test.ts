import { describe, expect, it } from 'vitest';
import { FsmHarness } from '../fsm/harness.ts';
import { catalogNodes, healthServiceNodes, WATCH_LIMIT } from './catalog-read.ts';
import { kvGet, kvKeys, kvList } from './kv.ts';
import { sessionGet } from './sessions.ts';
import type { WatchSet } from './watch.ts';

function setup() {
  const h = new FsmHarness();
  let n = 0;
  // A different value each time: identical sets are no-ops that wake nobody.
  const set = (Key: string) => h.apply({ type: 'kvs', op: 'set', entry: { Key, Value: Uint8Array.of(++n & 255) } });
  const woke: string[] = [];
  const wait = (name: string, ws: WatchSet) => h.state.watch(ws, () => woke.push(name));
  return { h, set, woke, wait, s: h.state };
}

describe('blocking-query watches', () => {
  it('a key write wakes that key, its ancestor prefixes and table waiters only', () => {
    const { set, woke, wait, s } = setup();
    set('a/b/c');
    set('x');
    wait('key a/b/c', kvGet(s, 'a/b/c').watch);
    wait('key x', kvGet(s, 'x').watch);
    wait('prefix a/', kvList(s, 'a/').watch);
    wait('prefix a/b/c/d', kvList(s, 'a/b/c/d').watch);
    wait('prefix b', kvList(s, 'b').watch);
    wait('keys all', kvKeys(s, '', '/').watch);
    wait('nodes table', catalogNodes(s).watch);
    set('a/b/c');
    expect(woke.sort()).toEqual(['key a/b/c', 'keys all', 'prefix a/']);
  });

  it('each waiter fires once and is then gone; cancel removes it', () => {
    const { set, woke, wait, s, h } = setup();
    wait('w1', kvGet(s, 'k').watch);
    const cancel = wait('w2', kvGet(s, 'k').watch);
    cancel();
    cancel();
    set('k');
    set('k');
    expect(woke).toEqual(['w1']);
    expect(h.state.watches.stats.active).toBe(0);
  });

  it('deleting a key wakes its waiters (tombstone path)', () => {
    const { set, woke, wait, s, h } = setup();
    set('k');
    wait('k', kvGet(s, 'k').watch);
    h.apply({ type: 'kvs', op: 'delete', entry: { Key: 'k' } });
    expect(woke).toEqual(['k']);
  });

  it('a rolled-back write wakes nobody', () => {
    const { set, woke, wait, s, h } = setup();
    set('k');
    wait('k', kvGet(s, 'k').watch);
    h.apply({ type: 'txn', ops: [{ KV: { Verb: 'set', Key: 'k' } }, { KV: { Verb: 'get', Key: 'missing' } }] });
    expect(woke).toEqual([]);
  });

  it('10,000 waiters on distinct keys: one write wakes exactly one', () => {
    const { set, woke, wait, s, h } = setup();
    for (let i = 0; i < 10_000; i++) wait(`k${i}`, kvGet(s, `key/${i}`).watch);
    const before = h.state.watches.stats.wakeups;
    set('key/4242');
    expect(h.state.watches.stats.wakeups - before).toBe(1);
    expect(woke).toEqual(['k4242']);
    expect(h.state.watches.stats.active).toBe(9_999);
  });

  it('health watches wake on their service and its nodes, not on other services', () => {
    const { h, woke, wait, s } = setup();
    const reg = (Node: string, Service: string) =>
      h.apply({ type: 'register', req: { Node, Address: '1.1.1.1', Service: { Service }, Check: { CheckID: 'serfHealth', Status: 'passing' } } });
    reg('n1', 'web');
    reg('n2', 'db');
    wait('web', healthServiceNodes(s, 'web').watch);
    wait('db', healthServiceNodes(s, 'db').watch);
    h.apply({ type: 'register', req: { Node: 'n2', Address: '', SkipNodeUpdate: true, Service: { Service: 'db', Tags: ['x'] } } });
    expect(woke).toEqual(['db']);
    wait('db', healthServiceNodes(s, 'db').watch);
    h.apply({ type: 'register', req: { Node: 'n1', Address: '', SkipNodeUpdate: true, Check: { CheckID: 'serfHealth', Status: 'critical' } } });
    expect(woke).toEqual(['db', 'web']);
  });

  it('a service with more instances than WATCH_LIMIT watches tables instead of every node', () => {
    const { h, woke, wait, s } = setup();
    const reg = (Node: string) => h.apply({ type: 'register', req: { Node, Address: 'a', Service: { Service: 'big' } } });
    for (let i = 0; i <= WATCH_LIMIT; i++) reg(`n${i}`);
    const r = healthServiceNodes(s, 'big');
    expect(r.value).toHaveLength(WATCH_LIMIT + 1);
    expect(r.watch.topics.length).toBeLessThan(5);
    wait('big', r.watch);
    h.apply({ type: 'register', req: { Node: 'n7', Address: 'a', SkipNodeUpdate: true, Check: { CheckID: 'serfHealth', Status: 'critical' } } });
    expect(woke).toEqual(['big']);
  });

  it('session info wakes on that session', () => {
    const { h, woke, wait, s } = setup();
    h.apply({ type: 'register', req: { Node: 'n1', Address: '1.1.1.1' } });
    h.apply({ type: 'session-create', session: { ID: 'a', Node: 'n1' } });
    h.apply({ type: 'session-create', session: { ID: 'b', Node: 'n1' } });
    wait('a', sessionGet(s, 'a').watch);
    h.apply({ type: 'session-destroy', id: 'b' });
    expect(woke).toEqual([]);
    h.apply({ type: 'session-destroy', id: 'a' });
    expect(woke).toEqual(['a']);
  });

  it('a throwing callback neither fails the write nor starves other waiters', () => {
    const { set, woke, wait, s, h } = setup();
    const errors: unknown[] = [];
    s.watches.onCallbackError = (e) => errors.push(e);
    s.watch(kvGet(s, 'k').watch, () => {
      throw new Error('boom');
    });
    wait('other', kvGet(s, 'k').watch);
    expect(set('k')).toBe(true);
    expect(woke).toEqual(['other']);
    expect(errors).toHaveLength(1);
    expect(kvGet(h.state, 'k').value).not.toBeNull();
  });

  it('restore wakes every waiter', () => {
    const { h, woke, wait, s, set } = setup();
    set('k');
    const snap = h.fsm.snapshot();
    wait('k', kvGet(s, 'k').watch);
    wait('p', kvList(s, 'zz').watch);
    h.fsm.restore(snap);
    expect(woke.sort()).toEqual(['k', 'p']);
  });
});
