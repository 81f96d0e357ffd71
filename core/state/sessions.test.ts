import { describe, expect, it } from 'vitest';
import type { ApplyError } from '../fsm/fsm.ts';
import { FsmHarness } from '../fsm/harness.ts';
import { formatGoDuration as formatDuration, parseGoDuration as parseDuration } from '../lib/duration.ts';
import { kvGet } from './kv.ts';
import { preparedQueryGet } from './prepared-queries.ts';
import { normalizeSessionCreate } from './session-request.ts';
import { SessionTimers } from './session-ttl.ts';
import { sessionGet, sessionList, sessionNodeList } from './sessions.ts';

function node(h: FsmHarness, status = 'passing') {
  h.apply({
    type: 'register',
    req: {
      Node: 'n1',
      Address: '10.0.0.1',
      Service: { Service: 'web' },
      Checks: [
        { CheckID: 'serfHealth', Status: status },
        { CheckID: 'web-check', ServiceID: 'web', Status: 'passing' },
      ],
    },
  });
}

function lock(h: FsmHarness, key: string, session: string) {
  return h.apply({ type: 'kvs', op: 'lock', entry: { Key: key, Value: new TextEncoder().encode('v') }, session });
}

describe('session create', () => {
  it('stores Consul field names; Checks omitted when only serfHealth', () => {
    const h = new FsmHarness();
    node(h);
    h.apply({ type: 'session-create', session: { ID: 'a', Node: 'n1', NodeChecks: ['serfHealth'], LockDelay: 15e9, TTL: '30s', Name: 'x' } });
    expect(sessionGet(h.state, 'a').value).toEqual({
      ID: 'a', Name: 'x', Node: 'n1', NodeChecks: ['serfHealth'], ServiceChecks: null, LockDelay: 15e9,
      Behavior: 'release', TTL: '30s', CreateIndex: 2, ModifyIndex: 2,
    });
    h.apply({ type: 'session-create', session: { ID: 'b', Node: 'n1', Checks: ['serfHealth'], ServiceChecks: [{ ID: 'web-check', Namespace: '' }] } });
    expect(sessionGet(h.state, 'b').value).toMatchObject({ Checks: ['serfHealth', 'web-check'], NodeChecks: ['serfHealth'] });
  });

  const errors: Array<{ name: string; session: Record<string, unknown>; what: string; critical?: boolean }> = [
    { name: 'unknown node', session: { Node: 'ghost' }, what: 'Missing node registration' },
    { name: 'missing check', session: { Node: 'n1', NodeChecks: ['nope'] }, what: "Missing check 'nope' registration" },
    { name: 'critical check', session: { Node: 'n1', NodeChecks: ['serfHealth'] }, what: "Check 'serfHealth' is in critical state", critical: true },
    { name: 'bad behavior', session: { Node: 'n1', Behavior: 'explode' }, what: "Invalid session behavior setting 'explode'" },
  ];
  for (const c of errors) {
    it(`rejects ${c.name}`, () => {
      const h = new FsmHarness();
      node(h, c.critical ? 'critical' : 'passing');
      const r = h.apply({ type: 'session-create', session: { ID: 'x', ...c.session } as never });
      expect((r as ApplyError).message).toBe(c.what);
      expect(h.state.t.sessions.size).toBe(0);
    });
  }

  it('lists all and by node', () => {
    const h = new FsmHarness();
    node(h);
    h.apply({ type: 'session-create', session: { ID: 'b', Node: 'n1' } });
    h.apply({ type: 'session-create', session: { ID: 'a', Node: 'N1' } });
    expect(sessionList(h.state).value.map((s) => s.ID)).toEqual(['a', 'b']);
    expect(sessionNodeList(h.state, 'n1').value.map((s) => s.ID)).toEqual(['a', 'b']);
  });
});

describe('session invalidation', () => {
  const triggers: Array<{ name: string; run: (h: FsmHarness) => void }> = [
    { name: 'destroy', run: (h) => h.apply({ type: 'session-destroy', id: 's' }) },
    { name: 'node deregistered', run: (h) => h.apply({ type: 'deregister', req: { Node: 'n1' } }) },
    { name: 'bound node check deregistered', run: (h) => h.apply({ type: 'deregister', req: { Node: 'n1', CheckID: 'serfHealth' } }) },
    {
      name: 'bound node check goes critical',
      run: (h) => h.apply({ type: 'register', req: { Node: 'n1', Address: '10.0.0.1', SkipNodeUpdate: true, Check: { CheckID: 'serfHealth', Status: 'critical' } } }),
    },
    {
      name: 'bound service check goes critical',
      run: (h) => h.apply({ type: 'register', req: { Node: 'n1', Address: '', SkipNodeUpdate: true, Check: { CheckID: 'web-check', ServiceID: 'web', Status: 'critical' } } }),
    },
    { name: 'service with a bound check deregistered', run: (h) => h.apply({ type: 'deregister', req: { Node: 'n1', ServiceID: 'web' } }) },
  ];
  for (const behavior of ['release', 'delete'] as const) {
    for (const t of triggers) {
      it(`${t.name} -> ${behavior} held locks, lock-delay, prepared queries deleted`, () => {
        const h = new FsmHarness();
        node(h);
        h.apply({
          type: 'session-create',
          session: { ID: 's', Node: 'n1', NodeChecks: ['serfHealth'], ServiceChecks: [{ ID: 'web-check', Namespace: '' }], Behavior: behavior, LockDelay: 5e9 },
        });
        expect(lock(h, 'k', 's')).toBe(true);
        h.apply({ type: 'prepared-query-set', query: { ID: 'q', Name: 'q', Session: 's', Token: '', Service: { Service: 'web' }, DNS: { TTL: '' } } });
        t.run(h);
        expect(sessionGet(h.state, 's').value).toBeNull();
        const e = kvGet(h.state, 'k').value;
        if (behavior === 'release') expect(e).toMatchObject({ Session: '', LockIndex: 1, ModifyIndex: h.index });
        else expect(e).toBeNull();
        expect(h.state.t.lockDelays.get('k')).toEqual({ Key: 'k', Expires: h.now + 5000 });
        expect(preparedQueryGet(h.state, 'q').value).toBeNull();
      });
    }
  }

  it('a passing or warning check update keeps the session', () => {
    const h = new FsmHarness();
    node(h);
    h.apply({ type: 'session-create', session: { ID: 's', Node: 'n1', NodeChecks: ['serfHealth'] } });
    h.apply({ type: 'register', req: { Node: 'n1', Address: '', SkipNodeUpdate: true, Check: { CheckID: 'serfHealth', Status: 'warning' } } });
    expect(sessionGet(h.state, 's').value).not.toBeNull();
  });

  it('destroy is idempotent', () => {
    const h = new FsmHarness();
    expect(h.apply({ type: 'session-destroy', id: 'nope' })).toBe(true);
  });
});

describe('session request rules and TTL timers', () => {
  it('defaults: node, serfHealth, 15s lock delay, release', () => {
    expect(normalizeSessionCreate(undefined, 'agent')).toEqual({
      Name: '', Node: 'agent', LockDelay: 15e9, Behavior: 'release', TTL: '', NodeChecks: ['serfHealth'], ServiceChecks: null,
    });
  });
  it('a Checks key replaces the default even when empty', () => {
    expect(normalizeSessionCreate({ Checks: [] }, 'a').NodeChecks).toEqual([]);
  });
  it('lock delay accepts durations and seconds, capped at 60s', () => {
    expect(normalizeSessionCreate({ LockDelay: '5s' }, 'a').LockDelay).toBe(5e9);
    expect(normalizeSessionCreate({ LockDelay: 7 }, 'a').LockDelay).toBe(7e9);
    expect(normalizeSessionCreate({ LockDelay: 5e9 }, 'a').LockDelay).toBe(5e9);
    expect(normalizeSessionCreate({ LockDelay: '2m' }, 'a').LockDelay).toBe(60e9);
  });
  it('TTL must be 10s..24h, 0s means none', () => {
    expect(normalizeSessionCreate({ TTL: '0s' }, 'a').TTL).toBe('');
    expect(() => normalizeSessionCreate({ TTL: '5s' }, 'a')).toThrow(/Invalid Session TTL/);
    expect(() => normalizeSessionCreate({ TTL: '25h' }, 'a')).toThrow(/Invalid Session TTL/);
    expect(() => normalizeSessionCreate({ TTL: 'soon' }, 'a')).toThrow(/invalid duration/);
    expect(() => normalizeSessionCreate({ Behavior: 'x' }, 'a')).toThrow(/Invalid Behavior/);
  });
  it('timers expire after 2 x TTL and renew resets them', () => {
    const t = new SessionTimers();
    t.reset('a', '10s', 0);
    t.reset('b', '30s', 0);
    t.reset('c', '', 0);
    expect(t.size).toBe(2);
    expect(t.expired(20_000)).toEqual([]);
    expect(t.expired(20_001)).toEqual(['a']);
    t.reset('a', '10s', 15_000);
    expect(t.expired(20_001)).toEqual([]);
    expect(t.nextDeadline()).toBe(35_000);
    expect(t.expired(60_001)).toEqual(['a', 'b']);
  });
  it('Go durations parse and format', () => {
    expect(parseDuration('1m30s')).toBe(90e9);
    expect(parseDuration('1.5h')).toBe(5400e9);
    expect(parseDuration('250ms')).toBe(250e6);
    expect(() => parseDuration('10')).toThrow('time: missing unit in duration "10"');
    expect(formatDuration(15e9)).toBe('15s');
    expect(formatDuration(90e9)).toBe('1m30s');
    expect(formatDuration(3600e9)).toBe('1h0m0s');
    expect(formatDuration(200e6)).toBe('200ms');
  });
});
