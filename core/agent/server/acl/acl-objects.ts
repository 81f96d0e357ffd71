import { ANONYMOUS_ACCESSOR_ID, GLOBAL_MANAGEMENT_POLICY_ID } from '../../../acl/builtin.ts';
import { parseRules } from '../../../acl/parse.ts';
import { parseGoDuration } from '../../../lib/duration.ts';
import { Fnv64 } from '../../../lib/hash.ts';
import { formatRfc3339, parseRfc3339 } from '../../../lib/rfc3339.ts';
import { aclRead } from '../../../state/acl.ts';
import type { StateStore } from '../../../state/store.ts';
import type { ACLLink, ACLPolicy, ACLRole, ACLToken } from '../../../state/types.ts';

/**
 * Validation and normalisation of ACL tokens, policies and roles before they are committed
 * (Consul's agent/consul/acl_endpoint.go TokenSet/PolicySet/RoleSet rules), with Consul's error
 * texts. Pure functions of the state store and the request.
 */

type NoIndex<T> = Omit<T, 'CreateIndex' | 'ModifyIndex'>;

/** An error a client caused: the RPC fails with this text. */
export class AclRequestError extends Error {}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const NAME_RE = /^[A-Za-z0-9\-_]{1,128}$/;
/** Consul's acl.token_min_expiration_ttl / token_max_expiration_ttl defaults. */
const MIN_TTL_MS = 60_000;
const MAX_TTL_MS = 24 * 3_600_000;

export const isUUID = (s: string): boolean => UUID_RE.test(s);

function obj(v: unknown): Record<string, unknown> {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}
const text = (v: unknown): string => (typeof v === 'string' ? v : '');

/** A stable content hash, base64 like Consul's (which is blake2b; only change detection matters). */
export function contentHash(parts: unknown[]): string {
  const hex = new Fnv64().update(JSON.stringify(parts)).hex();
  let bin = '';
  for (let i = 0; i < hex.length; i += 2) bin += String.fromCharCode(Number.parseInt(hex.slice(i, i + 2), 16));
  return btoa(bin);
}

/** Resolves `[{ID}|{Name}]` links against the policy (or role) table, deduplicated by ID. */
function resolveLinks(raw: unknown, kind: 'policy' | 'role', s: StateStore): ACLLink[] {
  const out: ACLLink[] = [];
  for (const item of Array.isArray(raw) ? raw : []) {
    const link = obj(item);
    const id = text(link.ID);
    const name = text(link.Name);
    const row =
      kind === 'policy'
        ? id
          ? aclRead.policy(s, id).value
          : aclRead.policyByName(s, name).value
        : id
          ? aclRead.role(s, id).value
          : aclRead.roleByName(s, name).value;
    if (!row) {
      const label = kind === 'policy' ? 'policy' : 'role';
      throw new AclRequestError(id ? `No such ACL ${label} with ID "${id}"` : `No such ACL ${label} with name "${name}"`);
    }
    if (!out.some((l) => l.ID === row.ID)) out.push({ ID: row.ID, Name: row.Name });
  }
  return out;
}

function identities(body: Record<string, unknown>) {
  const services = Array.isArray(body.ServiceIdentities)
    ? (body.ServiceIdentities as unknown[]).map((x) => {
        const o = obj(x);
        const name = text(o.ServiceName);
        if (!name) throw new AclRequestError('Service identity is missing the service name field on this token');
        const dcs = Array.isArray(o.Datacenters) ? (o.Datacenters as unknown[]).filter((d): d is string => typeof d === 'string') : undefined;
        return dcs?.length ? { ServiceName: name, Datacenters: dcs } : { ServiceName: name };
      })
    : undefined;
  const nodes = Array.isArray(body.NodeIdentities)
    ? (body.NodeIdentities as unknown[]).map((x) => {
        const o = obj(x);
        if (!text(o.NodeName)) throw new AclRequestError('Node identity is missing the node name field on this token');
        if (!text(o.Datacenter)) throw new AclRequestError('Node identity is missing the datacenter field on this token');
        return { NodeName: text(o.NodeName), Datacenter: text(o.Datacenter) };
      })
    : undefined;
  return { services, nodes };
}

export interface TokenSetInput {
  body: Record<string, unknown>;
  create: boolean;
  newUUID: () => string;
  nowMs: number;
}

/** Validates a token create/update and returns the row to commit. */
export function prepareToken(s: StateStore, { body, create, newUUID, nowMs }: TokenSetInput): NoIndex<ACLToken> {
  let accessor = text(body.AccessorID);
  let secret = text(body.SecretID);
  let existing: ACLToken | null = null;
  if (create) {
    if (accessor) {
      if (!isUUID(accessor)) throw new AclRequestError('Invalid Token: AccessorID is not a valid UUID');
      if (aclRead.tokenByAccessor(s, accessor).value) throw new AclRequestError('Invalid Token: AccessorID is already in use');
    } else accessor = newUUID();
    if (secret) {
      if (!isUUID(secret)) throw new AclRequestError('Invalid Token: SecretID is not a valid UUID');
      if (aclRead.tokenBySecret(s, secret).value) throw new AclRequestError('Invalid Token: SecretID is already in use');
    } else secret = newUUID();
  } else {
    if (!accessor) throw new AclRequestError('Token AccessorID is required');
    existing = aclRead.tokenByAccessor(s, accessor).value;
    if (!existing) throw new AclRequestError(`Cannot find token "${accessor}"`);
    if (secret && secret !== existing.SecretID) throw new AclRequestError('Changing a tokens SecretID is not permitted');
    secret = existing.SecretID;
    if (body.Local !== undefined && Boolean(body.Local) !== existing.Local) throw new AclRequestError(`Cannot toggle local mode of ${accessor}`);
  }
  const expiration = expirationOf(body, existing, nowMs);
  const { services, nodes } = identities(body);
  const token: NoIndex<ACLToken> = {
    AccessorID: accessor,
    SecretID: secret,
    Description: text(body.Description),
    Policies: resolveLinks(body.Policies, 'policy', s),
    Roles: resolveLinks(body.Roles, 'role', s),
    Local: existing ? existing.Local : Boolean(body.Local),
    CreateTime: existing?.CreateTime ?? formatRfc3339(nowMs),
    Hash: '',
  };
  if (services?.length) token.ServiceIdentities = services;
  if (nodes?.length) token.NodeIdentities = nodes;
  if (expiration) token.ExpirationTime = expiration;
  token.Hash = contentHash([token.Description, token.Policies, token.Roles, token.ServiceIdentities ?? null, token.NodeIdentities ?? null, token.Local]);
  return token;
}

function expirationOf(body: Record<string, unknown>, existing: ACLToken | null, nowMs: number): string | undefined {
  const ttlRaw = body.ExpirationTTL;
  const timeRaw = text(body.ExpirationTime);
  const hasTtl = ttlRaw !== undefined && ttlRaw !== '' && ttlRaw !== 0;
  if (existing) {
    if (hasTtl || (timeRaw && timeRaw !== existing.ExpirationTime)) throw new AclRequestError(`Cannot change expiration time of ${existing.AccessorID}`);
    return existing.ExpirationTime;
  }
  if (hasTtl && timeRaw) throw new AclRequestError('Expiration TTL and Expiration Time cannot both be set');
  if (hasTtl) {
    const ms = typeof ttlRaw === 'number' ? ttlRaw / 1e6 : parseDurationMs(text(ttlRaw));
    if (ms < MIN_TTL_MS || ms > MAX_TTL_MS) throw new AclRequestError(`Expiration TTL '${typeof ttlRaw === 'number' ? `${ms}ms` : text(ttlRaw)}' should be between 1m0s and 24h0m0s`);
    return formatRfc3339(nowMs + ms);
  }
  if (timeRaw) {
    const at = parseRfc3339(timeRaw);
    if (at === undefined) throw new AclRequestError(`Invalid ExpirationTime "${timeRaw}"`);
    if (at <= nowMs) throw new AclRequestError('ExpirationTime cannot be in the past');
    if (at < nowMs + MIN_TTL_MS || at > nowMs + MAX_TTL_MS) throw new AclRequestError('ExpirationTime should be between 1m0s and 24h0m0s in the future');
    return timeRaw;
  }
  return undefined;
}

function parseDurationMs(s: string): number {
  try {
    return parseGoDuration(s) / 1e6;
  } catch {
    throw new AclRequestError(`Invalid ExpirationTTL "${s}"`);
  }
}

/** Whether a token has expired at `nowMs` (expired tokens resolve as "ACL not found"). */
export function tokenExpired(t: ACLToken, nowMs: number): boolean {
  if (!t.ExpirationTime) return false;
  const at = parseRfc3339(t.ExpirationTime);
  return at !== undefined && at <= nowMs;
}

/** Validates a policy create/update and returns the row to commit. */
export function preparePolicy(s: StateStore, body: Record<string, unknown>, create: boolean, newUUID: () => string): NoIndex<ACLPolicy> {
  let id = text(body.ID);
  const name = text(body.Name);
  let existing: ACLPolicy | null = null;
  if (create) {
    if (id) throw new AclRequestError('Policy ID must be empty when creating a new policy');
    id = newUUID();
  } else {
    if (!id) throw new AclRequestError('Policy ID is required');
    existing = aclRead.policy(s, id).value;
    if (!existing) throw new AclRequestError(`Cannot find policy ${id}`);
  }
  if (!name) throw new AclRequestError('Invalid Policy: no Name is set');
  if (!NAME_RE.test(name)) throw new AclRequestError("Invalid Policy: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  const other = aclRead.policyByName(s, name).value;
  if (other && other.ID !== id) throw new AclRequestError(`Invalid Policy: A Policy with Name "${name}" already exists`);
  const rules = text(body.Rules);
  const datacenters = Array.isArray(body.Datacenters) ? (body.Datacenters as unknown[]).filter((d): d is string => typeof d === 'string') : null;
  if (id === GLOBAL_MANAGEMENT_POLICY_ID && existing) {
    if (rules !== existing.Rules) throw new AclRequestError('Changing the Rules for the builtin global-management policy is not permitted');
    if ((datacenters?.length ?? 0) > 0) throw new AclRequestError('Changing the Datacenters of the builtin global-management policy is not permitted');
  }
  parseRules(rules);
  const description = text(body.Description);
  return { ID: id, Name: name, Description: description, Rules: rules, Datacenters: datacenters?.length ? datacenters : null, Hash: contentHash([name, description, rules, datacenters]) };
}

/** Validates a role create/update and returns the row to commit. */
export function prepareRole(s: StateStore, body: Record<string, unknown>, create: boolean, newUUID: () => string): NoIndex<ACLRole> {
  let id = text(body.ID);
  const name = text(body.Name);
  if (create) {
    if (id) throw new AclRequestError('Role ID must be empty when creating a new role');
    id = newUUID();
  } else {
    if (!id) throw new AclRequestError('Role ID is required');
    if (!aclRead.role(s, id).value) throw new AclRequestError(`Cannot find role ${id}`);
  }
  if (!name) throw new AclRequestError('Invalid Role: no Name is set');
  if (!NAME_RE.test(name)) throw new AclRequestError("Invalid Role: invalid Name. Only alphanumeric characters, '-' and '_' are allowed");
  const other = aclRead.roleByName(s, name).value;
  if (other && other.ID !== id) throw new AclRequestError(`Invalid Role: A Role with Name "${name}" already exists`);
  const { services, nodes } = identities(body);
  const description = text(body.Description);
  const role: NoIndex<ACLRole> = { ID: id, Name: name, Description: description, Policies: resolveLinks(body.Policies, 'policy', s), Hash: '' };
  if (services?.length) role.ServiceIdentities = services;
  if (nodes?.length) role.NodeIdentities = nodes;
  role.Hash = contentHash([name, description, role.Policies, services ?? null, nodes ?? null]);
  return role;
}

/** Refreshes link names (a policy may have been renamed) and drops links to deleted objects. */
export function freshLinks(s: StateStore, links: readonly ACLLink[], kind: 'policy' | 'role'): ACLLink[] {
  const out: ACLLink[] = [];
  for (const l of links) {
    const row = kind === 'policy' ? aclRead.policy(s, l.ID).value : aclRead.role(s, l.ID).value;
    if (row) out.push({ ID: row.ID, Name: row.Name });
  }
  return out;
}

/** A token as reads return it: current link names. */
export function presentToken(s: StateStore, t: ACLToken): ACLToken {
  return { ...t, Policies: freshLinks(s, t.Policies, 'policy'), Roles: freshLinks(s, t.Roles, 'role') };
}

export function presentRole(s: StateStore, r: ACLRole): ACLRole {
  return { ...r, Policies: freshLinks(s, r.Policies, 'policy') };
}

/** Whether the token is one Consul refuses to delete. */
export function undeletableToken(accessor: string): string | undefined {
  if (accessor === ANONYMOUS_ACCESSOR_ID) return 'Delete operation not permitted on the anonymous token';
  return undefined;
}
