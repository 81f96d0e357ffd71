/**
 * Typed fetchers for `/v1/acl/*` as Consul's UI calls them (reference §4.3 "ACL tokens",
 * "Policies / roles"): lists and reads take the blocking index, writes return the stored object.
 */
import { type ConsulResult, consulRequest } from './api.ts';
import type { AclPolicy, AclPolicyWrite, AclRole, AclRoleWrite, AclToken, AclTokenWrite } from './acl-types.ts';
import type { ReadOptions } from './endpoints.ts';

const id = encodeURIComponent;

function put<T>(path: string, dc: string, body: unknown): Promise<T> {
  return consulRequest<T>(path, { dc, method: 'PUT', body: JSON.stringify(body) }).then((r) => r.data);
}

function del(path: string, dc: string): Promise<boolean> {
  return consulRequest<boolean>(path, { dc, method: 'DELETE' }).then((r) => r.data === true);
}

/** `GET /v1/acl/tokens[?policy=|role=]`: every token (secrets hidden without acl:write). */
export function fetchTokens(dc: string, o: ReadOptions & { policy?: string; role?: string } = {}): Promise<ConsulResult<AclToken[] | null>> {
  return consulRequest('acl/tokens', { dc, index: o.index, signal: o.signal, query: { policy: o.policy, role: o.role } });
}

/** `GET /v1/acl/token/:accessor`. */
export function fetchToken(dc: string, accessor: string, o: ReadOptions = {}): Promise<ConsulResult<AclToken | null>> {
  return consulRequest(`acl/token/${id(accessor)}`, { dc, ...o });
}

/** `PUT /v1/acl/token` (create) or `PUT /v1/acl/token/:accessor` (update). */
export function saveToken(dc: string, accessor: string | null, body: AclTokenWrite): Promise<AclToken> {
  return put(accessor === null ? 'acl/token' : `acl/token/${id(accessor)}`, dc, body);
}

/** `PUT /v1/acl/token/:accessor/clone`: a copy with new IDs. */
export function cloneToken(dc: string, accessor: string, description?: string): Promise<AclToken> {
  return put(`acl/token/${id(accessor)}/clone`, dc, description === undefined ? {} : { Description: description });
}

/** `DELETE /v1/acl/token/:accessor`. */
export function deleteToken(dc: string, accessor: string): Promise<boolean> {
  return del(`acl/token/${id(accessor)}`, dc);
}

/**
 * `GET /v1/acl/token/self` with `secret` instead of the saved token: the login check. Rejects
 * with a `forbidden` ConsulError (`ACL not found`) for an unknown secret.
 */
export async function checkToken(dc: string, secret: string, signal?: AbortSignal): Promise<AclToken> {
  const r = await consulRequest<AclToken | null>('acl/token/self', { dc, token: secret, signal });
  if (r.data === null) throw new Error('The agent returned no token');
  return r.data;
}

/** `GET /v1/acl/policies` (list stubs without Rules). */
export function fetchPolicies(dc: string, o: ReadOptions = {}): Promise<ConsulResult<AclPolicy[] | null>> {
  return consulRequest('acl/policies', { dc, ...o });
}

/** `GET /v1/acl/policy/:id` (with Rules). */
export function fetchPolicy(dc: string, policyId: string, o: ReadOptions = {}): Promise<ConsulResult<AclPolicy | null>> {
  return consulRequest(`acl/policy/${id(policyId)}`, { dc, ...o });
}

/** `PUT /v1/acl/policy` (create) or `PUT /v1/acl/policy/:id` (update). */
export function savePolicy(dc: string, policyId: string | null, body: AclPolicyWrite): Promise<AclPolicy> {
  return put(policyId === null ? 'acl/policy' : `acl/policy/${id(policyId)}`, dc, body);
}

/** `DELETE /v1/acl/policy/:id`. */
export function deletePolicy(dc: string, policyId: string): Promise<boolean> {
  return del(`acl/policy/${id(policyId)}`, dc);
}

/** `GET /v1/acl/roles[?policy=]`. */
export function fetchRoles(dc: string, o: ReadOptions & { policy?: string } = {}): Promise<ConsulResult<AclRole[] | null>> {
  return consulRequest('acl/roles', { dc, index: o.index, signal: o.signal, query: { policy: o.policy } });
}

/** `GET /v1/acl/role/:id`. */
export function fetchRole(dc: string, roleId: string, o: ReadOptions = {}): Promise<ConsulResult<AclRole | null>> {
  return consulRequest(`acl/role/${id(roleId)}`, { dc, ...o });
}

/** `PUT /v1/acl/role` (create) or `PUT /v1/acl/role/:id` (update). */
export function saveRole(dc: string, roleId: string | null, body: AclRoleWrite): Promise<AclRole> {
  return put(roleId === null ? 'acl/role' : `acl/role/${id(roleId)}`, dc, body);
}

/** `DELETE /v1/acl/role/:id`. */
export function deleteRole(dc: string, roleId: string): Promise<boolean> {
  return del(`acl/role/${id(roleId)}`, dc);
}
