import { describe, expect, it } from 'vitest';
import type { AclPolicy, AclRole, AclToken } from './acl-types.ts';
import {
  addIdentity,
  ANONYMOUS_ACCESSOR_ID,
  canWriteAcls,
  filteredByAcls,
  GLOBAL_MANAGEMENT_ID,
  loginErrorText,
  maskSecret,
  datacenterChoices,
  policyBody,
  removeIdentity,
  roleBody,
  selectPolicies,
  selectRoles,
  selectTokens,
  togglePick,
  tokenBody,
} from './acl-view.ts';
import { ConsulError } from './errors.ts';

const token = (over: Partial<AclToken>): AclToken => ({
  AccessorID: 'a',
  SecretID: 's',
  Description: '',
  Local: false,
  CreateIndex: 1,
  ModifyIndex: 1,
  ...over,
});
const policy = (over: Partial<AclPolicy>): AclPolicy => ({ ID: 'p', Name: 'p', Description: '', CreateIndex: 1, ModifyIndex: 1, ...over });
const GM = { ID: GLOBAL_MANAGEMENT_ID, Name: 'global-management' };

describe('token rows', () => {
  const anon = token({ AccessorID: ANONYMOUS_ACCESSOR_ID, SecretID: 'anonymous', Description: 'Anonymous Token', CreateIndex: 5 });
  const root = token({ AccessorID: 'root', Description: 'Initial Management Token', Policies: [GM], CreateIndex: 6 });
  const web = token({
    AccessorID: 'web',
    Description: 'web reader',
    Policies: [{ ID: 'p1', Name: 'web-read' }],
    Roles: [{ ID: 'r1', Name: 'ops' }],
    ServiceIdentities: [{ ServiceName: 'api' }],
    NodeIdentities: [{ NodeName: 'n1', Datacenter: 'dc1' }],
    Local: true,
    CreateIndex: 9,
  });

  it('marks built-in tokens, your token and the scope, newest first', () => {
    const rows = selectTokens([anon, root, web], '', 'root');
    expect(rows.map((r) => r.accessor)).toEqual(['web', 'root', ANONYMOUS_ACCESSOR_ID]);
    expect(rows[0]).toMatchObject({ yours: false, scope: 'local', builtIn: null, deletable: true });
    expect(rows[1]).toMatchObject({ yours: true, scope: 'global', builtIn: 'management', deletable: true });
    expect(rows[1]?.badges).toEqual([{ kind: 'policy', name: 'global-management', id: GLOBAL_MANAGEMENT_ID, management: true }]);
    expect(rows[2]).toMatchObject({ builtIn: 'anonymous', deletable: false, badges: [] });
  });

  it('lists policies, roles and identities as badges and searches them', () => {
    const [row] = selectTokens([web], '', '');
    expect(row?.badges.map((b) => `${b.kind}:${b.name}`)).toEqual(['policy:web-read', 'role:ops', 'service-identity:api', 'node-identity:n1 (dc1)']);
    expect(selectTokens([anon, root, web], 'OPS', '').map((r) => r.accessor)).toEqual(['web']);
    expect(selectTokens([anon, root, web], 'anonymous', '').map((r) => r.accessor)).toEqual([ANONYMOUS_ACCESSOR_ID]);
    expect(selectTokens([anon], '', '')[0]?.yours).toBe(false);
  });

  it('reads acl:write from whether the list reveals secrets', () => {
    expect(canWriteAcls([token({ SecretID: '<hidden>' }), token({ SecretID: '<hidden>' })])).toBe(false);
    expect(canWriteAcls([token({ SecretID: 'anonymous' })])).toBe(true);
    expect(canWriteAcls(null)).toBe(false);
  });
});

describe('policy and role rows', () => {
  it('puts global-management first, then sorts by name and shows datacenters', () => {
    const rows = selectPolicies(
      [policy({ ID: 'b', Name: 'web-read', Datacenters: ['dc1', 'dc2'] }), policy({ ID: GLOBAL_MANAGEMENT_ID, Name: 'global-management', Datacenters: null }), policy({ ID: 'a', Name: 'db' })],
      '',
    );
    expect(rows.map((r) => [r.name, r.datacenters, r.builtIn])).toEqual([
      ['global-management', 'All', true],
      ['db', 'All', false],
      ['web-read', 'dc1, dc2', false],
    ]);
    expect(selectPolicies([policy({ Name: 'x', Description: 'Reads WEB' })], 'web')).toHaveLength(1);
  });

  it('lists roles by name with their policy badges', () => {
    const role = (ID: string, Name: string, over: Partial<AclRole> = {}): AclRole => ({ ID, Name, Description: '', CreateIndex: 1, ModifyIndex: 1, ...over });
    const rows = selectRoles([role('2', 'ops', { Policies: [GM] }), role('1', 'dev')], '');
    expect(rows.map((r) => r.name)).toEqual(['dev', 'ops']);
    expect(rows[1]?.badges[0]).toMatchObject({ name: 'global-management', management: true });
    expect(selectRoles([role('2', 'ops', { Policies: [GM] }), role('1', 'dev')], 'global').map((r) => r.name)).toEqual(['ops']);
  });
});

describe('form bodies', () => {
  it('validates policy names and offers every datacenter', () => {
    expect(policyBody({ name: ' web-read ', description: 'd', rules: 'service "web" { policy = "read" }', datacenters: ['dc1', 'dc2', 'dc1'] })).toEqual({
      Name: 'web-read',
      Description: 'd',
      Rules: 'service "web" { policy = "read" }',
      Datacenters: ['dc1', 'dc2'],
    });
    expect(policyBody({ name: 'bad name', description: '', rules: '', datacenters: [] })).toHaveProperty('error');
    expect(policyBody({ name: '', description: '', rules: '', datacenters: [] })).toHaveProperty('error');
    expect(datacenterChoices(['dc2', 'dc1'], ['old-dc', 'dc1'])).toEqual(['dc1', 'dc2', 'old-dc']);
  });

  it('builds role bodies with their identities', () => {
    expect(roleBody({ name: 'ops', description: '', policies: ['p1'] }, { ServiceIdentities: [{ ServiceName: 'api' }] })).toEqual({
      Name: 'ops',
      Description: '',
      Policies: [{ ID: 'p1' }],
      ServiceIdentities: [{ ServiceName: 'api' }],
      NodeIdentities: [],
    });
    expect(roleBody({ name: 'a b', description: '', policies: [] })).toHaveProperty('error');
  });

  it('sends Local only when creating a token, and both identity lists', () => {
    const form = { description: 'd', policies: ['p1'], roles: ['r1'], local: true };
    expect(tokenBody(form, null)).toEqual({ Description: 'd', Policies: [{ ID: 'p1' }], Roles: [{ ID: 'r1' }], ServiceIdentities: [], NodeIdentities: [], Local: true });
    const existing = token({ NodeIdentities: [{ NodeName: 'n', Datacenter: 'dc1' }] });
    expect(tokenBody(form, existing)).toEqual({
      Description: 'd',
      Policies: [{ ID: 'p1' }],
      Roles: [{ ID: 'r1' }],
      ServiceIdentities: [],
      NodeIdentities: [{ NodeName: 'n', Datacenter: 'dc1' }],
    });
  });

  it('adds and removes service and node identities, sent with the token', () => {
    const one = addIdentity({}, 'service', ' api ', 'dc1');
    expect(one).toEqual({ ServiceIdentities: [{ ServiceName: 'api' }] });
    if ('error' in one) throw new Error('unexpected');
    expect(addIdentity(one, 'service', 'api', 'dc1')).toHaveProperty('error');
    expect(addIdentity(one, 'service', 'Bad Name', 'dc1')).toHaveProperty('error');
    expect(addIdentity(one, 'service', '-x', 'dc1')).toHaveProperty('error');
    const two = addIdentity(one, 'node', 'n1', 'dc2');
    if ('error' in two) throw new Error('unexpected');
    expect(two.NodeIdentities).toEqual([{ NodeName: 'n1', Datacenter: 'dc2' }]);
    expect(removeIdentity(two, { kind: 'node-identity', name: 'n1 (dc2)' }).NodeIdentities).toEqual([]);
    expect(removeIdentity(two, { kind: 'service-identity', name: 'api' }).ServiceIdentities).toEqual([]);
    const body = tokenBody({ description: '', policies: [], roles: [], local: false, identities: two }, token({ ServiceIdentities: [{ ServiceName: 'old' }] }));
    expect(body.ServiceIdentities).toEqual([{ ServiceName: 'api' }]);
    expect(body.NodeIdentities).toEqual([{ NodeName: 'n1', Datacenter: 'dc2' }]);
  });

  it('toggles picks, masks secrets, reads the filtered header and words login errors', () => {
    expect(togglePick(['a', 'b'], 'a')).toEqual(['b']);
    expect(togglePick(['b'], 'a')).toEqual(['b', 'a']);
    expect(maskSecret('abc')).not.toContain('abc');
    expect(maskSecret('')).toBe('');
    expect(filteredByAcls(new Headers({ 'X-Consul-Results-Filtered-By-ACLs': 'true' }))).toBe(true);
    expect(filteredByAcls(new Headers())).toBe(false);
    expect(loginErrorText(new ConsulError('forbidden', 403, 'ACL not found'))).toContain('does not exist');
    expect(loginErrorText(new ConsulError('unreachable', 0, ''))).toContain('cannot be reached');
  });
});
