/**
 * Typed fetchers for the endpoints the official UI calls (reference §4.3), each a thin wrapper
 * over consulRequest. Blocking ones take the previous index; all take an AbortSignal.
 */
import { type ConsulResult, consulRequest, encodePath } from './api.ts';
import type {
  KVPair,
  NodeCoordinate,
  NodeInfo,
  ServiceEntry,
  ServiceListingSummary,
  Session,
} from './types.ts';

/** Options shared by the read fetchers. */
export interface ReadOptions {
  index?: number;
  signal?: AbortSignal;
}

/** `GET /v1/catalog/datacenters`: the known datacenters (no leader needed). */
export function fetchDatacenters(signal?: AbortSignal): Promise<ConsulResult<string[]>> {
  return consulRequest<string[]>('catalog/datacenters', { signal });
}

/** `GET /v1/agent/self`: only the local datacenter and node name are used. */
export function fetchAgentSelf(signal?: AbortSignal): Promise<ConsulResult<{ Config?: { Datacenter?: string; NodeName?: string } }>> {
  return consulRequest('agent/self', { signal });
}

/** `GET /v1/internal/ui/services`: the services list with health counts. */
export function fetchServices(dc: string, o: ReadOptions = {}): Promise<ConsulResult<ServiceListingSummary[] | null>> {
  return consulRequest('internal/ui/services', { dc, ...o });
}

/** `GET /v1/health/service/:name`: a service's instances with their node and checks. */
export function fetchServiceInstances(dc: string, name: string, o: ReadOptions = {}): Promise<ConsulResult<ServiceEntry[] | null>> {
  return consulRequest(`health/service/${encodeURIComponent(name)}`, { dc, ...o, query: { 'merge-central-config': true } });
}

/** `GET /v1/internal/ui/nodes`: every node with its services and checks. */
export function fetchNodes(dc: string, o: ReadOptions = {}): Promise<ConsulResult<NodeInfo[] | null>> {
  return consulRequest('internal/ui/nodes', { dc, ...o });
}

/** `GET /v1/internal/ui/node/:node`: one node (404 when unknown). */
export function fetchNode(dc: string, node: string, o: ReadOptions = {}): Promise<ConsulResult<NodeInfo | null>> {
  return consulRequest(`internal/ui/node/${encodeURIComponent(node)}`, { dc, ...o });
}

/** `GET /v1/status/leader`: `"ip:port"` of the Raft leader, `""` without one. */
export function fetchLeader(dc: string, o: ReadOptions = {}): Promise<ConsulResult<string | null>> {
  return consulRequest('status/leader', { dc, signal: o.signal });
}

/** `GET /v1/coordinate/nodes`: the LAN coordinates of every node. */
export function fetchCoordinates(dc: string, o: ReadOptions = {}): Promise<ConsulResult<NodeCoordinate[] | null>> {
  return consulRequest('coordinate/nodes', { dc, ...o });
}

/** `GET /v1/session/node/:node`: the sessions (lock sessions) held by a node. */
export function fetchNodeSessions(dc: string, node: string, o: ReadOptions = {}): Promise<ConsulResult<Session[] | null>> {
  return consulRequest(`session/node/${encodeURIComponent(node)}`, { dc, ...o });
}

/** `GET /v1/session/info/:id`: one session as an array of 0 or 1. */
export function fetchSession(dc: string, id: string, o: ReadOptions = {}): Promise<ConsulResult<Session[] | null>> {
  return consulRequest(`session/info/${encodeURIComponent(id)}`, { dc, ...o });
}

/** `PUT /v1/session/destroy/:id`: invalidates a session (its locks are released or deleted). */
export function destroySession(dc: string, id: string): Promise<ConsulResult<boolean>> {
  return consulRequest(`session/destroy/${encodeURIComponent(id)}`, { dc, method: 'PUT' });
}

/** `GET /v1/kv/<prefix>?keys&separator=/`: one folder level; null when it holds nothing (404). */
export function fetchKvKeys(dc: string, prefix: string, o: ReadOptions = {}): Promise<ConsulResult<string[] | null>> {
  return consulRequest(`kv/${encodePath(prefix)}`, { dc, ...o, query: { keys: true, separator: '/' }, allow: [404] });
}

/** `GET /v1/kv/<key>`: one entry; data is null when the key does not exist (404). */
export async function fetchKv(dc: string, key: string, o: ReadOptions = {}): Promise<ConsulResult<KVPair | null>> {
  const result = await consulRequest<KVPair[] | null>(`kv/${encodePath(key)}`, { dc, ...o, allow: [404] });
  return { ...result, data: result.status === 404 ? null : (result.data?.[0] ?? null) };
}

/** Options of a KV write: `cas` = ModifyIndex the writer saw (0 = create only if absent). */
export interface KvWriteOptions {
  flags?: string;
  cas?: number;
}

/** `PUT /v1/kv/<key>`: true when written, false when the CAS index no longer matches. */
export async function putKv(dc: string, key: string, value: BodyInit, o: KvWriteOptions = {}): Promise<boolean> {
  const result = await consulRequest<boolean>(`kv/${encodePath(key)}`, {
    dc,
    method: 'PUT',
    body: value,
    query: { flags: o.flags, cas: o.cas },
  });
  return result.data === true;
}

/** `DELETE /v1/kv/<key>`: recursive for folders; with `cas`, false when the key changed. */
export async function deleteKv(dc: string, key: string, o: { recurse?: boolean; cas?: number } = {}): Promise<boolean> {
  const result = await consulRequest<boolean>(`kv/${encodePath(key)}`, {
    dc,
    method: 'DELETE',
    query: { recurse: o.recurse, cas: o.cas },
  });
  return result.data === true;
}

/** The token the dashboard sends, as `/v1/acl/token/self` describes it. */
export interface AclTokenSelf {
  AccessorID: string;
  Description: string;
  Policies?: { ID: string; Name: string }[] | null;
  Roles?: { ID: string; Name: string }[] | null;
  ServiceIdentities?: { ServiceName: string }[] | null;
  NodeIdentities?: { NodeName: string }[] | null;
  Local: boolean;
  CreateTime?: string;
}

/** `GET /v1/acl/token/self`: who the saved token is (403 when it is unknown). */
export function fetchTokenSelf(dc: string, signal?: AbortSignal): Promise<ConsulResult<AclTokenSelf | null>> {
  return consulRequest('acl/token/self', { dc, signal });
}

/**
 * Whether ACLs are enabled: `/v1/acl/token/self` answers 401 "ACL support disabled" when not; any
 * other answer (the token, 403 for a missing token) means they are on.
 */
export async function fetchAclsEnabled(dc: string, signal?: AbortSignal): Promise<boolean> {
  const result = await consulRequest<unknown>('acl/token/self', { dc, signal, allow: [401, 403, 404] });
  // 404: an agent without the ACL endpoints at all has no ACLs either.
  if (result.status === 404) return false;
  return !(result.status === 401 && String(result.data).includes('ACL support disabled'));
}
