import { StateError, type StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import type { ACLPolicy, ACLRole, ACLToken, QueryResult } from './types.ts';
import { WatchSet } from './watch.ts';

/**
 * ACL storage: tokens, policies and roles, with the uniqueness rules of Consul's state store
 * (AccessorID/SecretID of tokens, ID/Name of policies and roles) and the one-time bootstrap marker.
 * Resolution and enforcement live in the ACL layer.
 */

type NoIndex<T> = Omit<T, 'CreateIndex' | 'ModifyIndex'>;

const BOOTSTRAP_KEY = 'acl-bootstrap';

function str(v: unknown, what: string): string {
  if (typeof v !== 'string' || v === '') throw new StateError(`Missing ${what}`);
  return v;
}

/** Creates or updates a token; the SecretID must not belong to another token. */
export function aclTokenSet(s: StateStore, input: NoIndex<ACLToken>): ACLToken {
  const accessor = str(input.AccessorID, 'token AccessorID');
  const secret = str(input.SecretID, 'token SecretID');
  const other = s.t.aclTokens.byIndex('secret', secret)[0];
  if (other && other.AccessorID !== accessor) throw new StateError('Invalid token: SecretID is already in use');
  const existing = s.t.aclTokens.get(accessor);
  if (existing && existing.SecretID !== secret) throw new StateError('Cannot change the SecretID of a token');
  const idx = s.index();
  const row: ACLToken = {
    ...input,
    Policies: input.Policies ?? [],
    Roles: input.Roles ?? [],
    CreateIndex: existing?.CreateIndex ?? idx,
    ModifyIndex: idx,
  };
  s.t.aclTokens.put(row);
  return row;
}

export function aclTokenDelete(s: StateStore, accessorID: string): void {
  s.t.aclTokens.delete(accessorID);
}

/**
 * One-time bootstrap: stores the management token unless bootstrap already happened, in which case
 * the error names the reset index as Consul does. A `resetIndex` equal to that index (the operator
 * wrote it to the data dir's `acl-bootstrap-reset` file) allows one more bootstrap.
 */
export function aclBootstrap(s: StateStore, token: NoIndex<ACLToken>, resetIndex = 0): ACLToken {
  const done = s.t.meta.get(BOOTSTRAP_KEY);
  if (done && resetIndex === 0) throw new StateError(`ACL bootstrap no longer allowed (reset index: ${done.Value})`);
  if (done && resetIndex !== done.Value) throw new StateError(`Invalid bootstrap reset index (specified ${resetIndex}, reset index: ${done.Value})`);
  const row = aclTokenSet(s, token);
  s.t.meta.put({ Key: BOOTSTRAP_KEY, Value: s.index() });
  return row;
}

/** Creates or updates a policy; names are unique. */
export function aclPolicySet(s: StateStore, input: NoIndex<ACLPolicy>): ACLPolicy {
  const id = str(input.ID, 'policy ID');
  const name = str(input.Name, 'policy Name');
  const other = s.t.aclPolicies.byIndex('name', name)[0];
  if (other && other.ID !== id) throw new StateError(`Invalid Policy: A Policy with Name "${name}" already exists`);
  const existing = s.t.aclPolicies.get(id);
  const idx = s.index();
  const row: ACLPolicy = {
    ...input,
    Description: input.Description ?? '',
    Rules: input.Rules ?? '',
    Datacenters: input.Datacenters ?? null,
    Hash: input.Hash ?? '',
    CreateIndex: existing?.CreateIndex ?? idx,
    ModifyIndex: idx,
  };
  s.t.aclPolicies.put(row);
  return row;
}

export function aclPolicyDelete(s: StateStore, id: string): void {
  s.t.aclPolicies.delete(id);
}

/** Creates or updates a role; names are unique. */
export function aclRoleSet(s: StateStore, input: NoIndex<ACLRole>): ACLRole {
  const id = str(input.ID, 'role ID');
  const name = str(input.Name, 'role Name');
  const other = s.t.aclRoles.byIndex('name', name)[0];
  if (other && other.ID !== id) throw new StateError(`Invalid Role: A Role with Name "${name}" already exists`);
  const existing = s.t.aclRoles.get(id);
  const idx = s.index();
  const row: ACLRole = {
    ...input,
    Description: input.Description ?? '',
    Policies: input.Policies ?? [],
    Hash: input.Hash ?? '',
    CreateIndex: existing?.CreateIndex ?? idx,
    ModifyIndex: idx,
  };
  s.t.aclRoles.put(row);
  return row;
}

export function aclRoleDelete(s: StateStore, id: string): void {
  s.t.aclRoles.delete(id);
}

/** Reads: token by accessor or secret, policy/role by ID or name, and lists. */
export const aclRead = {
  tokenByAccessor: (s: StateStore, id: string) => one(s, 'aclTokens', s.t.aclTokens.get(id)),
  tokenBySecret: (s: StateStore, secret: string) => one(s, 'aclTokens', s.t.aclTokens.byIndex('secret', secret)[0]),
  tokens: (s: StateStore): QueryResult<ACLToken[]> => list(s, 'aclTokens', [...s.t.aclTokens.all()]),
  policy: (s: StateStore, id: string) => one(s, 'aclPolicies', s.t.aclPolicies.get(id)),
  policyByName: (s: StateStore, name: string) => one(s, 'aclPolicies', s.t.aclPolicies.byIndex('name', name)[0]),
  policies: (s: StateStore): QueryResult<ACLPolicy[]> => list(s, 'aclPolicies', [...s.t.aclPolicies.all()]),
  role: (s: StateStore, id: string) => one(s, 'aclRoles', s.t.aclRoles.get(id)),
  roleByName: (s: StateStore, name: string) => one(s, 'aclRoles', s.t.aclRoles.byIndex('name', name)[0]),
  roles: (s: StateStore): QueryResult<ACLRole[]> => list(s, 'aclRoles', [...s.t.aclRoles.all()]),
  /** The index at which bootstrap happened, or 0. */
  bootstrapIndex: (s: StateStore): number => s.t.meta.get(BOOTSTRAP_KEY)?.Value ?? 0,
};

function one<T>(s: StateStore, table: 'aclTokens' | 'aclPolicies' | 'aclRoles', row: T | undefined): QueryResult<T | null> {
  const t = s.t[table];
  return { index: t.maxIndex, value: row ?? null, watch: new WatchSet().addTopic(tableTopic(t.name)) };
}

function list<T>(s: StateStore, table: 'aclTokens' | 'aclPolicies' | 'aclRoles', rows: T[]): QueryResult<T[]> {
  const t = s.t[table];
  return { index: t.maxIndex, value: rows, watch: new WatchSet().addTopic(tableTopic(t.name)) };
}
