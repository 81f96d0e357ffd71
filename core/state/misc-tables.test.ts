import { describe, expect, it } from 'vitest';
import type { ApplyError } from '../fsm/fsm.ts';
import { FsmHarness } from '../fsm/harness.ts';
import { aclRead } from './acl.ts';
import { autopilotGet, coordinates, systemMetadata } from './operator.ts';
import { preparedQueryByName, preparedQueryList } from './prepared-queries.ts';
import type { ACLToken } from './types.ts';

const token = (AccessorID: string, SecretID: string): Omit<ACLToken, 'CreateIndex' | 'ModifyIndex'> => ({
  AccessorID, SecretID, Description: '', Policies: [{ ID: 'p1', Name: 'pol' }], Roles: [], Local: false, CreateTime: '2026-01-01T00:00:00Z', Hash: '',
});

describe('ACL tables', () => {
  it('tokens: set keeps CreateIndex, secrets are unique, lookups by secret', () => {
    const h = new FsmHarness();
    h.apply({ type: 'acl-token-set', tokens: [token('a1', 's1')] });
    h.apply({ type: 'acl-token-set', tokens: [{ ...token('a1', 's1'), Description: 'x' }] });
    expect(aclRead.tokenByAccessor(h.state, 'a1').value).toMatchObject({ Description: 'x', CreateIndex: 1, ModifyIndex: 2 });
    expect(aclRead.tokenBySecret(h.state, 's1').value!.AccessorID).toBe('a1');
    expect((h.apply({ type: 'acl-token-set', tokens: [token('a2', 's1')] }) as ApplyError).message).toBe('Invalid token: SecretID is already in use');
    h.apply({ type: 'acl-token-delete', ids: ['a1'] });
    expect(aclRead.tokens(h.state).value).toEqual([]);
  });

  it('bootstrap happens once', () => {
    const h = new FsmHarness();
    expect(h.apply({ type: 'acl-bootstrap', token: token('root', 'secret') })).toMatchObject({ AccessorID: 'root' });
    expect((h.apply({ type: 'acl-bootstrap', token: token('r2', 's2') }) as ApplyError).message).toBe('ACL bootstrap no longer allowed (reset index: 1)');
    expect(aclRead.bootstrapIndex(h.state)).toBe(1);
  });

  it('policy and role names are unique; a batch is all-or-nothing', () => {
    const h = new FsmHarness();
    const pol = (ID: string, Name: string) => ({ ID, Name, Description: '', Rules: 'key_prefix "" { policy = "read" }', Datacenters: null, Hash: '' });
    h.apply({ type: 'acl-policy-set', policies: [pol('p1', 'read')] });
    const r = h.apply({ type: 'acl-policy-set', policies: [pol('p2', 'other'), pol('p3', 'read')] });
    expect((r as ApplyError).message).toBe('Invalid Policy: A Policy with Name "read" already exists');
    expect(aclRead.policies(h.state).value.map((p) => p.ID)).toEqual(['p1']);
    expect(aclRead.policyByName(h.state, 'read').value!.ID).toBe('p1');
    h.apply({ type: 'acl-role-set', roles: [{ ID: 'r1', Name: 'ops', Description: '', Policies: [{ ID: 'p1', Name: 'read' }], Hash: '' }] });
    expect((h.apply({ type: 'acl-role-set', roles: [{ ID: 'r2', Name: 'ops', Description: '', Policies: [], Hash: '' }] }) as ApplyError).message).toMatch(/already exists/);
    expect(aclRead.roleByName(h.state, 'ops').value!.ID).toBe('r1');
  });
});

describe('prepared queries, coordinates, autopilot, system metadata', () => {
  it('prepared queries: unique names, session must exist, RaftIndex nested', () => {
    const h = new FsmHarness();
    const q = { ID: 'q1', Name: 'Web', Session: '', Token: '', Service: { Service: 'web' }, DNS: { TTL: '10s' } };
    expect(h.apply({ type: 'prepared-query-set', query: q })).toBe('q1');
    expect(preparedQueryByName(h.state, 'web')!.RaftIndex).toEqual({ CreateIndex: 1, ModifyIndex: 1 });
    expect((h.apply({ type: 'prepared-query-set', query: { ...q, ID: 'q2' } }) as ApplyError).message).toBe('name "Web" aliases an existing query name');
    expect((h.apply({ type: 'prepared-query-set', query: { ...q, ID: 'q3', Name: 'x', Session: 'nope' } }) as ApplyError).message).toBe('invalid session "nope"');
    h.apply({ type: 'prepared-query-delete', id: 'q1' });
    expect(preparedQueryList(h.state).value).toEqual([]);
  });

  it('coordinates for unknown nodes are dropped', () => {
    const h = new FsmHarness();
    h.apply({ type: 'register', req: { Node: 'n1', Address: 'a' } });
    const Coord = { Vec: [1, 2], Error: 1.5, Adjustment: 0, Height: 1e-5 };
    h.apply({ type: 'coordinate-batch', updates: [{ Node: 'n1', Segment: '', Coord }, { Node: 'ghost', Segment: '', Coord }] });
    expect(coordinates(h.state).value).toEqual([{ Node: 'n1', Segment: '', Coord }]);
  });

  it('autopilot config defaults and CAS', () => {
    const h = new FsmHarness();
    expect(autopilotGet(h.state).value).toBeNull();
    expect(h.apply({ type: 'autopilot-set', config: { MaxTrailingLogs: 10 } })).toBe(true);
    expect(autopilotGet(h.state).value).toMatchObject({ CleanupDeadServers: true, LastContactThreshold: '200ms', MaxTrailingLogs: 10, ServerStabilizationTime: '10s', ModifyIndex: 1 });
    expect(h.apply({ type: 'autopilot-set', config: { MinQuorum: 3 }, cas: 7 })).toBe(false);
    expect(h.apply({ type: 'autopilot-set', config: { MinQuorum: 3 }, cas: 1 })).toBe(true);
    expect(autopilotGet(h.state).value).toMatchObject({ MinQuorum: 3, CreateIndex: 1, ModifyIndex: 3 });
  });

  it('system metadata upsert and delete', () => {
    const h = new FsmHarness();
    h.apply({ type: 'system-metadata-set', entries: [{ Key: 'b', Value: '2' }, { Key: 'a', Value: '1' }] });
    expect(systemMetadata(h.state).value.map((e) => e.Key)).toEqual(['a', 'b']);
    h.apply({ type: 'system-metadata-delete', keys: ['a'] });
    expect(systemMetadata(h.state, 'a').value).toEqual([]);
    expect(systemMetadata(h.state, 'b').value[0]).toMatchObject({ Value: '2', CreateIndex: 1 });
  });
});
