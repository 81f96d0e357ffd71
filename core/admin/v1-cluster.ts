/**
 * The admin cluster over an agent's `/v1` HTTP API: every operation is the request Consul's own
 * CLI or UI would make, sent with the caller's token to the agent's handler (in-process in
 * server/agent/start-agent.ts, or over the network). The agent's semantics, forwarding to the
 * leader or another datacenter, and its authorization all apply unchanged.
 */
import type { Timers } from '../ports/clock.ts';
import {
  type AclPolicy,
  type AclRole,
  type AclToken,
  type AdminAuth,
  type AdminCluster,
  type AdminClusterFactory,
  AdminError,
  type AdminMember,
  type AutopilotConfig,
  type AutopilotState,
  type CatalogNode,
  type Consistency,
  type HealthCheck,
  type KeyringResponse,
  type KvList,
  type Pool,
  type RaftConfiguration,
  type RaftPeer,
  type Scope,
  type ServiceHealth,
  type ServiceNode,
  type Session,
} from './admin-cluster.ts';
import { base64ToBytes, bytesToBase64, type KvPairJson, kvEntryFrom, type MemberJson, memberFrom } from './codec.ts';
import { kvEvents, leaderEvents, memberEvents } from './event-streams.ts';
import { encodePath, type V1Fetch, type V1Transport, v1Transport } from './v1-transport.ts';

export interface V1ClusterOptions {
  /** The agent's `/v1` handler. */
  readonly fetch: V1Fetch;
  /** Origin for request URLs (only the path matters to an in-process handler). */
  readonly baseUrl?: string;
  readonly timers: Timers;
  /** How often member and leader streams poll (default 500 ms). */
  readonly pollMs?: number;
  /** The `wait` of KV stream blocking queries (default `30s`). */
  readonly blockingWait?: string;
}

interface RaftConfigJson {
  Servers: Array<{ ID: string; Node: string; Address: string; Leader: boolean; Voter: boolean }>;
  Index: number;
}
interface AutopilotHealthJson {
  Servers: Array<{ ID: string; LastIndex: number; LastTerm: number; Healthy: boolean; SerfStatus: string }>;
}
interface SelfJson {
  Config: { NodeName: string; Datacenter: string; Server: boolean };
}

const consistencyQuery = (c: Consistency | undefined) => ({ stale: c === 'stale', consistent: c === 'consistent' });
/** Consul's `?dc=` for a scope (absent: the agent's own datacenter). */
const dcQuery = (scope: Scope | undefined) => ({ dc: scope?.dc });

/** Makes the admin cluster for each caller over `options.fetch`. */
export function v1AdminCluster(options: V1ClusterOptions): AdminClusterFactory {
  return (auth: AdminAuth) => createV1Cluster(v1Transport(options.fetch, options.baseUrl ?? 'http://agent', auth.token, auth.signal), options);
}

function createV1Cluster(api: V1Transport, options: V1ClusterOptions): AdminCluster {
  const pollMs = options.pollMs ?? 500;
  const members = async (pool: Pool): Promise<AdminMember[]> => (await api.json<MemberJson[]>('/v1/agent/members', { query: { wan: pool === 'wan' } })).map(memberFrom);
  const leader = () => api.json<string>('/v1/status/leader');
  const raftConfiguration = async (stale: boolean, scope?: Scope): Promise<RaftConfiguration> => {
    const [config, health] = await Promise.all([
      api.json<RaftConfigJson>('/v1/operator/raft/configuration', { query: { stale, ...dcQuery(scope) } }),
      // Autopilot's health needs a leader: without one the peers are listed without replication state.
      api.json<AutopilotHealthJson>('/v1/operator/autopilot/health', { query: dcQuery(scope), accept: [429] }).catch(() => undefined),
    ]);
    const byId = new Map((health?.Servers ?? []).map((s) => [s.ID, s]));
    const servers = config.Servers.map((s): RaftPeer => {
      const h = byId.get(s.ID);
      return { id: s.ID, node: s.Node, address: s.Address, leader: s.Leader, suffrage: s.Voter ? 'voter' : 'nonvoter', lastIndex: h?.LastIndex, lastTerm: h?.LastTerm, healthy: h?.Healthy, serfStatus: h?.SerfStatus };
    });
    return { servers, index: config.Index };
  };
  const kvList = async (prefix: string, query: Record<string, string | boolean | undefined>): Promise<KvList> => {
    const response = await api.call(`/v1/kv/${encodePath(prefix)}`, { query: { recurse: true, ...query }, accept: [404] });
    const index = Number(response.headers.get('X-Consul-Index') ?? 0);
    if (response.status === 404) return { index, entries: [] };
    return { index, entries: ((await response.json()) as KvPairJson[]).map(kvEntryFrom) };
  };
  const refused = (what: string) => new AdminError('PRECONDITION_FAILED', what);

  return {
    cluster: {
      async overview() {
        const [self, datacenters, currentLeader, raft, lan, wan] = await Promise.all([
          api.json<SelfJson>('/v1/agent/self'),
          api.json<string[]>('/v1/catalog/datacenters'),
          leader().catch(() => ''),
          raftConfiguration(true).catch(() => ({ servers: [], index: 0 })),
          members('lan'),
          members('wan').catch(() => []),
        ]);
        return {
          agent: { node: self.Config.NodeName, datacenter: self.Config.Datacenter, server: self.Config.Server },
          datacenters,
          leader: currentLeader,
          servers: raft.servers,
          members: { lan, wan },
        };
      },
    },
    members: {
      list: members,
      async join(address, pool) {
        await api.call(`/v1/agent/join/${encodeURIComponent(address)}`, { method: 'PUT', query: { wan: pool === 'wan' } });
      },
      async leave() {
        await api.call('/v1/agent/leave', { method: 'PUT' });
      },
      async forceLeave(node, prune) {
        await api.call(`/v1/agent/force-leave/${encodeURIComponent(node)}`, { method: 'PUT', query: { prune } });
      },
    },
    raft: {
      configuration: (scope) => raftConfiguration(false, scope),
      async removePeer(peer, scope) {
        await api.call('/v1/operator/raft/peer', { method: 'DELETE', query: { id: peer.id, address: peer.address, ...dcQuery(scope) } });
      },
      async transferLeader(id, scope) {
        await api.call('/v1/operator/raft/transfer-leader', { method: 'POST', query: { id, ...dcQuery(scope) } });
      },
    },
    autopilot: {
      state: (scope) => api.json<AutopilotState>('/v1/operator/autopilot/state', { query: dcQuery(scope) }),
      getConfig: (scope) => api.json<AutopilotConfig>('/v1/operator/autopilot/configuration', { query: dcQuery(scope) }),
      async setConfig(config, cas, scope) {
        // Consul's PUT replaces the whole configuration: merge the given fields into the current one.
        const current = await api.json<AutopilotConfig>('/v1/operator/autopilot/configuration', { query: dcQuery(scope) });
        const body = JSON.stringify({ ...current, ...config });
        const ok = await api.json<boolean>('/v1/operator/autopilot/configuration', { method: 'PUT', body, query: { cas, ...dcQuery(scope) } });
        if (ok === false) throw refused(`Autopilot configuration not updated: its ModifyIndex is ${current.ModifyIndex}, not ${cas}`);
      },
    },
    kv: {
      async get(key, consistency, scope) {
        const response = await api.call(`/v1/kv/${encodePath(key)}`, { query: { ...consistencyQuery(consistency), ...dcQuery(scope) }, accept: [404] });
        if (response.status === 404) return undefined;
        const [pair] = (await response.json()) as KvPairJson[];
        return pair ? kvEntryFrom(pair) : undefined;
      },
      list: (prefix, consistency, scope) => kvList(prefix, { ...consistencyQuery(consistency), ...dcQuery(scope) }),
      async put(put, scope) {
        let body: Uint8Array;
        try {
          body = put.base64 ? base64ToBytes(put.value) : new TextEncoder().encode(put.value);
        } catch {
          throw new AdminError('BAD_REQUEST', 'Value is not valid base64');
        }
        const ok = await api.json<boolean>(`/v1/kv/${encodePath(put.key)}`, {
          method: 'PUT',
          body,
          query: { flags: put.flags, cas: put.cas, acquire: put.acquire, release: put.release, ...dcQuery(scope) },
        });
        if (ok !== false) return;
        if (put.cas !== undefined) throw refused(`CAS failed: key "${put.key}" has been modified since index ${put.cas}`);
        if (put.acquire) throw refused(`Lock not acquired: key "${put.key}" is locked by another session`);
        throw refused(`Key "${put.key}" not written`);
      },
      async delete(del, scope) {
        const ok = await api.json<boolean>(`/v1/kv/${encodePath(del.key)}`, { method: 'DELETE', query: { recurse: del.recurse, cas: del.cas, ...dcQuery(scope) } });
        if (ok === false) throw refused(`CAS failed: key "${del.key}" has been modified since index ${del.cas}`);
      },
    },
    catalog: {
      services: (scope) => api.json<Record<string, string[]>>('/v1/catalog/services', { query: dcQuery(scope) }),
      nodes: (scope) => api.json<CatalogNode[]>('/v1/catalog/nodes', { query: dcQuery(scope) }),
      service: (name, tag, scope) => api.json<ServiceNode[]>(`/v1/catalog/service/${encodeURIComponent(name)}`, { query: { tag, ...dcQuery(scope) } }),
    },
    health: {
      service: (name, passing, scope) => api.json<ServiceHealth[]>(`/v1/health/service/${encodeURIComponent(name)}`, { query: { passing, ...dcQuery(scope) } }),
      node: (node, scope) => api.json<HealthCheck[]>(`/v1/health/node/${encodeURIComponent(node)}`, { query: dcQuery(scope) }),
      checks: (service, scope) => api.json<HealthCheck[]>(`/v1/health/checks/${encodeURIComponent(service)}`, { query: dcQuery(scope) }),
    },
    sessions: {
      list: (scope) => api.json<Session[]>('/v1/session/list', { query: dcQuery(scope) }),
      async create(s, scope) {
        const body = JSON.stringify({ Name: s.name, Node: s.node, Behavior: s.behavior, TTL: s.ttl, LockDelay: s.lockDelay, Checks: s.checks });
        return (await api.json<{ ID: string }>('/v1/session/create', { method: 'PUT', body, query: dcQuery(scope) })).ID;
      },
      async destroy(id, scope) {
        await api.call(`/v1/session/destroy/${encodeURIComponent(id)}`, { method: 'PUT', query: dcQuery(scope) });
      },
    },
    snapshot: {
      async save(scope) {
        const response = await api.call('/v1/snapshot', { query: dcQuery(scope) });
        const data = new Uint8Array(await response.arrayBuffer());
        return { index: Number(response.headers.get('X-Consul-Index') ?? 0), data: bytesToBase64(data) };
      },
      async restore(base64, scope) {
        let body: Uint8Array;
        try {
          body = base64ToBytes(base64);
        } catch {
          throw new AdminError('BAD_REQUEST', 'Snapshot data is not valid base64');
        }
        await api.call('/v1/snapshot', { method: 'PUT', body, query: dcQuery(scope) });
      },
    },
    keyring: {
      list: () => api.json<KeyringResponse[]>('/v1/operator/keyring'),
      async install(key) {
        await api.call('/v1/operator/keyring', { method: 'POST', body: JSON.stringify({ Key: key }) });
      },
      async use(key) {
        await api.call('/v1/operator/keyring', { method: 'PUT', body: JSON.stringify({ Key: key }) });
      },
      async remove(key) {
        await api.call('/v1/operator/keyring', { method: 'DELETE', body: JSON.stringify({ Key: key }) });
      },
    },
    acl: {
      bootstrap: () => api.json<AclToken>('/v1/acl/bootstrap', { method: 'PUT' }),
      tokenSelf: () => api.json<AclToken>('/v1/acl/token/self'),
      tokens: {
        list: () => api.json<AclToken[]>('/v1/acl/tokens'),
        read: (accessorId) => api.json<AclToken>(`/v1/acl/token/${encodeURIComponent(accessorId)}`),
        create: (t) =>
          api.json<AclToken>('/v1/acl/token', {
            method: 'PUT',
            body: JSON.stringify({ Description: t.description, Policies: t.policies, Roles: t.roles, Local: t.local, ExpirationTTL: t.expirationTTL }),
          }),
        async delete(accessorId) {
          await api.call(`/v1/acl/token/${encodeURIComponent(accessorId)}`, { method: 'DELETE' });
        },
      },
      policies: {
        list: () => api.json<AclPolicy[]>('/v1/acl/policies'),
        read: (p) => (p.id ? api.json<AclPolicy>(`/v1/acl/policy/${encodeURIComponent(p.id)}`) : api.json<AclPolicy>(`/v1/acl/policy/name/${encodeURIComponent(p.name ?? '')}`)),
        create: (p) => api.json<AclPolicy>('/v1/acl/policy', { method: 'PUT', body: JSON.stringify({ Name: p.name, Description: p.description, Rules: p.rules, Datacenters: p.datacenters }) }),
        async delete(id) {
          await api.call(`/v1/acl/policy/${encodeURIComponent(id)}`, { method: 'DELETE' });
        },
      },
      roles: {
        list: () => api.json<AclRole[]>('/v1/acl/roles'),
        create: (r) => api.json<AclRole>('/v1/acl/role', { method: 'PUT', body: JSON.stringify({ Name: r.name, Description: r.description, Policies: r.policies }) }),
        async delete(id) {
          await api.call(`/v1/acl/role/${encodeURIComponent(id)}`, { method: 'DELETE' });
        },
      },
    },
    events: {
      members: (pool, o) => memberEvents(() => members(pool), pool, options.timers, pollMs, o.signal),
      leader: (o) => leaderEvents(leader, options.timers, pollMs, o.signal),
      kv: (prefix, o) =>
        kvEvents(
          (index) => kvList(prefix, { index: index > 0 ? String(index) : undefined, wait: index > 0 ? (options.blockingWait ?? '30s') : undefined, ...dcQuery(o) }),
          options.timers,
          pollMs,
          o.signal,
        ),
    },
  };
}
