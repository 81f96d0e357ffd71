import type { ApiResponse } from './api-response.ts';
import { beforeAll, describe, expect, it } from 'vitest';
import { aclConfig } from './testing/acl-config.ts';
import { type SimDatacenter, simDatacenter } from './testing/sim-datacenter.ts';

/**
 * Every registered HTTP route, with ACLs on and default_policy=deny: an anonymous request is
 * refused (403, or for list endpoints an empty, filtered result), and a token holding the listed
 * rules is let through. A route missing from the table fails the test, so that a new endpoint
 * cannot skip its ACL check unnoticed.
 */

const ROOT = '11111111-2222-3333-4444-555555555555';

/** How an anonymous request is refused. */
type Refusal =
  /** 403 Permission denied. */
  | 'deny'
  /** 200/404 with nothing in it: the list was filtered. */
  | 'filtered'
  /** No ACL in Consul either (status, catalog/coordinate datacenters, bootstrap). */
  | 'public';

interface Case {
  method: string;
  /** The registered pattern this sample exercises. */
  route: string;
  /** The concrete request path (`{q1}`, `{session}`, `{token}`, `{policy}`, `{role}` are filled in). */
  path: string;
  body?: unknown;
  /** Rules of the policy that must be enough. */
  rules: string;
  anonymous: Refusal;
  /** Statuses accepted with the rules (default: any 2xx). */
  ok?: number[];
}

const nodeRead = 'node_prefix "" { policy = "read" }';
const svcRead = 'service_prefix "" { policy = "read" }';
const agentWrite = 'agent "s1" { policy = "write" }';
const nodeWrite = 'node "s1" { policy = "write" }';
const anyNon403 = [200, 400, 404, 405, 409, 429, 500, 503];

const CASES: Case[] = [
  { method: 'GET', route: '/v1/agent/self', path: '/v1/agent/self', rules: 'agent "s1" { policy = "read" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/agent/metrics', path: '/v1/agent/metrics', rules: 'agent "s1" { policy = "read" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/agent/monitor', path: '/v1/agent/monitor?loglevel=nonsense', rules: 'agent "s1" { policy = "read" }', anonymous: 'deny', ok: [400] },
  { method: 'GET', route: '/v1/agent/members', path: '/v1/agent/members', rules: nodeRead, anonymous: 'filtered' },
  { method: 'PUT', route: '/v1/agent/join/', path: '/v1/agent/join/127.0.0.99:8301', rules: agentWrite, anonymous: 'deny', ok: anyNon403 },
  { method: 'PUT', route: '/v1/agent/force-leave/', path: '/v1/agent/force-leave/nobody', rules: 'operator = "write"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/reload', path: '/v1/agent/reload', rules: agentWrite, anonymous: 'deny', ok: anyNon403 },
  { method: 'PUT', route: '/v1/agent/maintenance', path: '/v1/agent/maintenance?enable=false', rules: nodeWrite, anonymous: 'deny' },
  { method: 'GET', route: '/v1/agent/services', path: '/v1/agent/services', rules: svcRead, anonymous: 'filtered' },
  { method: 'PUT', route: '/v1/agent/service/register', path: '/v1/agent/service/register', body: { Name: 'web2', Port: 81 }, rules: 'service "web2" { policy = "write" }', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/service/deregister/', path: '/v1/agent/service/deregister/web3', rules: 'service "web3" { policy = "write" }', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/service/maintenance/', path: '/v1/agent/service/maintenance/web?enable=false', rules: 'service "web" { policy = "write" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/agent/service/', path: '/v1/agent/service/web', rules: 'service "web" { policy = "read" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/agent/health/service/id/', path: '/v1/agent/health/service/id/web', rules: 'service "web" { policy = "read" }', anonymous: 'deny', ok: [200, 429, 503] },
  { method: 'GET', route: '/v1/agent/health/service/name/', path: '/v1/agent/health/service/name/web', rules: 'service "web" { policy = "read" }', anonymous: 'deny', ok: [200, 429, 503] },
  { method: 'GET', route: '/v1/agent/checks', path: '/v1/agent/checks', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'PUT', route: '/v1/agent/check/register', path: '/v1/agent/check/register', body: { Name: 'n2', TTL: '30s' }, rules: nodeWrite, anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/check/deregister/', path: '/v1/agent/check/deregister/c-dereg', rules: nodeWrite, anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/check/pass/', path: '/v1/agent/check/pass/c-ttl', rules: nodeWrite, anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/check/warn/', path: '/v1/agent/check/warn/c-ttl', rules: nodeWrite, anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/check/fail/', path: '/v1/agent/check/fail/c-ttl', rules: nodeWrite, anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/check/update/', path: '/v1/agent/check/update/c-ttl', body: { Status: 'passing' }, rules: nodeWrite, anonymous: 'deny' },
  { method: 'PUT', route: '/v1/agent/token/', path: '/v1/agent/token/dns', body: { Token: '' }, rules: agentWrite, anonymous: 'deny' },
  { method: 'GET', route: '/v1/catalog/datacenters', path: '/v1/catalog/datacenters', rules: '', anonymous: 'public' },
  {
    method: 'PUT',
    route: '/v1/catalog/register',
    path: '/v1/catalog/register',
    body: { Node: 'ext', Address: '10.0.0.9', Service: { Service: 'extsvc' } },
    rules: 'node "ext" { policy = "write" }\nservice "extsvc" { policy = "write" }',
    anonymous: 'deny',
  },
  { method: 'PUT', route: '/v1/catalog/deregister', path: '/v1/catalog/deregister', body: { Node: 'ext2' }, rules: 'node "ext2" { policy = "write" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/catalog/nodes', path: '/v1/catalog/nodes', rules: nodeRead, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/catalog/services', path: '/v1/catalog/services', rules: svcRead, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/catalog/service/', path: '/v1/catalog/service/web', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/catalog/node/', path: '/v1/catalog/node/s1', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/coordinate/datacenters', path: '/v1/coordinate/datacenters', rules: '', anonymous: 'public' },
  { method: 'GET', route: '/v1/coordinate/nodes', path: '/v1/coordinate/nodes', rules: nodeRead, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/coordinate/node/', path: '/v1/coordinate/node/s1', rules: nodeRead, anonymous: 'filtered', ok: [200, 404] },
  {
    method: 'PUT',
    route: '/v1/coordinate/update',
    path: '/v1/coordinate/update',
    body: { Node: 's1', Coord: { Vec: [0, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 } },
    rules: nodeWrite,
    anonymous: 'deny',
  },
  { method: 'PUT', route: '/v1/event/fire/', path: '/v1/event/fire/deploy', rules: 'event "deploy" { policy = "write" }', anonymous: 'deny' },
  { method: 'POST', route: '/v1/event/fire/', path: '/v1/event/fire/deploy', rules: 'event "deploy" { policy = "write" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/event/list', path: '/v1/event/list', rules: 'event_prefix "" { policy = "read" }', anonymous: 'filtered' },
  { method: 'GET', route: '/v1/health/checks/', path: '/v1/health/checks/web', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/health/node/', path: '/v1/health/node/s1', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/health/service/', path: '/v1/health/service/web', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/health/state/', path: '/v1/health/state/any', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/internal/ui/catalog-overview', path: '/v1/internal/ui/catalog-overview', rules: 'operator = "read"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/internal/ui/node/', path: '/v1/internal/ui/node/s1', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/internal/ui/nodes', path: '/v1/internal/ui/nodes', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/internal/ui/services', path: '/v1/internal/ui/services', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'GET', route: '/v1/kv/', path: '/v1/kv/app/x', rules: 'key "app/x" { policy = "read" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/kv/', path: '/v1/kv/app?recurse', rules: 'key_prefix "app" { policy = "read" }', anonymous: 'filtered' },
  { method: 'GET', route: '/v1/kv/', path: '/v1/kv/?keys', rules: 'key_prefix "" { policy = "read" }', anonymous: 'filtered' },
  { method: 'PUT', route: '/v1/kv/', path: '/v1/kv/app/y', body: 'v', rules: 'key "app/y" { policy = "write" }', anonymous: 'deny' },
  { method: 'DELETE', route: '/v1/kv/', path: '/v1/kv/app/y', rules: 'key "app/y" { policy = "write" }', anonymous: 'deny' },
  { method: 'DELETE', route: '/v1/kv/', path: '/v1/kv/tmp?recurse', rules: 'key_prefix "tmp" { policy = "write" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/operator/autopilot/configuration', path: '/v1/operator/autopilot/configuration', rules: 'operator = "read"', anonymous: 'deny' },
  {
    method: 'PUT',
    route: '/v1/operator/autopilot/configuration',
    path: '/v1/operator/autopilot/configuration',
    body: { CleanupDeadServers: true, LastContactThreshold: '200ms', MaxTrailingLogs: 250, ServerStabilizationTime: '10s' },
    rules: 'operator = "write"',
    anonymous: 'deny',
  },
  { method: 'GET', route: '/v1/operator/autopilot/health', path: '/v1/operator/autopilot/health', rules: 'operator = "read"', anonymous: 'deny', ok: [200, 429] },
  { method: 'GET', route: '/v1/operator/autopilot/state', path: '/v1/operator/autopilot/state', rules: 'operator = "read"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/operator/keyring', path: '/v1/operator/keyring', rules: 'keyring = "read"', anonymous: 'deny', ok: [200, 500] },
  { method: 'POST', route: '/v1/operator/keyring', path: '/v1/operator/keyring', body: { Key: 'T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=' }, rules: 'keyring = "write"', anonymous: 'deny', ok: [200, 500] },
  { method: 'PUT', route: '/v1/operator/keyring', path: '/v1/operator/keyring', body: { Key: 'T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=' }, rules: 'keyring = "write"', anonymous: 'deny', ok: [200, 500] },
  { method: 'DELETE', route: '/v1/operator/keyring', path: '/v1/operator/keyring', body: { Key: 'T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=' }, rules: 'keyring = "write"', anonymous: 'deny', ok: [200, 500] },
  { method: 'GET', route: '/v1/operator/raft/configuration', path: '/v1/operator/raft/configuration', rules: 'operator = "read"', anonymous: 'deny' },
  { method: 'DELETE', route: '/v1/operator/raft/peer', path: '/v1/operator/raft/peer?id=nobody', rules: 'operator = "write"', anonymous: 'deny', ok: anyNon403 },
  { method: 'POST', route: '/v1/operator/raft/transfer-leader', path: '/v1/operator/raft/transfer-leader?id=nobody', rules: 'operator = "write"', anonymous: 'deny', ok: anyNon403 },
  { method: 'GET', route: '/v1/query', path: '/v1/query', rules: 'query_prefix "" { policy = "read" }', anonymous: 'filtered' },
  { method: 'POST', route: '/v1/query', path: '/v1/query', body: { Name: 'q2', Service: { Service: 'web' } }, rules: 'query "q2" { policy = "write" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/query/', path: '/v1/query/{q1}', rules: 'query "q1" { policy = "read" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/query/', path: '/v1/query/{q1}/explain', rules: 'query "q1" { policy = "read" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/query/', path: '/v1/query/{q1}/execute', rules: `${nodeRead}\n${svcRead}`, anonymous: 'filtered' },
  { method: 'PUT', route: '/v1/query/', path: '/v1/query/{q1}', body: { Name: 'q1', Service: { Service: 'web' } }, rules: 'query "q1" { policy = "write" }', anonymous: 'deny' },
  { method: 'POST', route: '/v1/query/', path: '/v1/query/{q1}', rules: 'query "q1" { policy = "write" }', anonymous: 'public', ok: [405] },
  { method: 'DELETE', route: '/v1/query/', path: '/v1/query/{q3}', rules: 'query "q3" { policy = "write" }', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/session/create', path: '/v1/session/create', body: {}, rules: 'session "s1" { policy = "write" }', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/session/renew/', path: '/v1/session/renew/{session}', rules: 'session "s1" { policy = "write" }', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/session/destroy/', path: '/v1/session/destroy/{session}', rules: 'session "s1" { policy = "write" }', anonymous: 'deny' },
  { method: 'GET', route: '/v1/session/info/', path: '/v1/session/info/{session}', rules: 'session_prefix "" { policy = "read" }', anonymous: 'filtered' },
  { method: 'GET', route: '/v1/session/node/', path: '/v1/session/node/s1', rules: 'session_prefix "" { policy = "read" }', anonymous: 'filtered' },
  { method: 'GET', route: '/v1/session/list', path: '/v1/session/list', rules: 'session_prefix "" { policy = "read" }', anonymous: 'filtered' },
  { method: 'GET', route: '/v1/snapshot', path: '/v1/snapshot', rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/snapshot', path: '/v1/snapshot', body: 'not a snapshot', rules: 'acl = "write"', anonymous: 'deny', ok: [400] },
  { method: 'GET', route: '/v1/status/leader', path: '/v1/status/leader', rules: '', anonymous: 'public' },
  { method: 'GET', route: '/v1/status/peers', path: '/v1/status/peers', rules: '', anonymous: 'public' },
  { method: 'PUT', route: '/v1/txn', path: '/v1/txn', body: [{ KV: { Verb: 'set', Key: 'app/t', Value: 'eA==' } }], rules: 'key "app/t" { policy = "write" }', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/bootstrap', path: '/v1/acl/bootstrap', rules: '', anonymous: 'public', ok: [403] },
  // Answers what the caller's own token may do (Allowed: false for anonymous): nothing to protect.
  {
    method: 'POST',
    route: '/v1/internal/acl/authorize',
    path: '/v1/internal/acl/authorize',
    body: [{ Resource: 'key', Segment: 'app/x', Access: 'read' }],
    rules: '',
    anonymous: 'public',
  },
  { method: 'GET', route: '/v1/acl/replication', path: '/v1/acl/replication', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/tokens', path: '/v1/acl/tokens', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/token', path: '/v1/acl/token', body: { Description: 'x' }, rules: 'acl = "write"', anonymous: 'deny' },
  // `self` needs only a valid token; without one it is "ACL not found" (403).
  { method: 'GET', route: '/v1/acl/token/self', path: '/v1/acl/token/self', rules: '', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/token/', path: '/v1/acl/token/{token}', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/token/', path: '/v1/acl/token/{token}', body: { Description: 'y' }, rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/token/', path: '/v1/acl/token/{token}/clone', body: {}, rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'DELETE', route: '/v1/acl/token/', path: '/v1/acl/token/{token}', rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/policies', path: '/v1/acl/policies', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/policy', path: '/v1/acl/policy', body: { Name: 'p-new' }, rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/policy/name/', path: '/v1/acl/policy/name/global-management', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/policy/', path: '/v1/acl/policy/{policy}', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/policy/', path: '/v1/acl/policy/{policy}', body: { Name: 'p-target', Description: 'd' }, rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'DELETE', route: '/v1/acl/policy/', path: '/v1/acl/policy/{policy}', rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/roles', path: '/v1/acl/roles', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/role', path: '/v1/acl/role', body: { Name: 'r-new' }, rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/role/name/', path: '/v1/acl/role/name/r-target', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'GET', route: '/v1/acl/role/', path: '/v1/acl/role/{role}', rules: 'acl = "read"', anonymous: 'deny' },
  { method: 'PUT', route: '/v1/acl/role/', path: '/v1/acl/role/{role}', body: { Name: 'r-target', Description: 'd' }, rules: 'acl = "write"', anonymous: 'deny' },
  { method: 'DELETE', route: '/v1/acl/role/', path: '/v1/acl/role/{role}', rules: 'acl = "write"', anonymous: 'deny' },
  // Last: the agent leaves.
  { method: 'PUT', route: '/v1/agent/leave', path: '/v1/agent/leave', rules: agentWrite, anonymous: 'deny' },
];

function isEmpty(status: number, text: string): boolean {
  if (status === 404) return true;
  if (status !== 200) return false;
  const v = JSON.parse(text) as unknown;
  if (v === null) return true;
  if (Array.isArray(v)) return v.length === 0;
  if (typeof v === 'object') {
    const o = v as Record<string, unknown>;
    // Prepared-query execution: the instance list is what gets filtered.
    if (Array.isArray(o.Nodes)) return o.Nodes.length === 0;
    return Object.keys(o).length === 0;
  }
  return false;
}

describe('ACL enforcement on every HTTP route (default_policy = deny)', () => {
  let dc: SimDatacenter;
  const ids: Record<string, string> = {};
  const root = (path: string, method = 'GET', body?: unknown) =>
    dc.http('s1', path, { method, body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body), headers: { 'X-Consul-Token': ROOT } });

  beforeAll(async () => {
    dc = await simDatacenter(21, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    const must = async (p: Promise<ApiResponse>) => {
      const r = await p;
      if (r.status !== 200) throw new Error(`setup failed: ${r.status} ${await r.text()}`);
      return r;
    };
    await must(root('/v1/agent/service/register', 'PUT', { Name: 'web', Port: 80 }));
    await must(root('/v1/agent/service/register', 'PUT', { Name: 'web3', Port: 83 }));
    await must(root('/v1/agent/check/register', 'PUT', { ID: 'c-dereg', Name: 'c-dereg', TTL: '30s' }));
    await must(root('/v1/agent/check/register', 'PUT', { ID: 'c-ttl', Name: 'c-ttl', TTL: '30s' }));
    await must(root('/v1/catalog/register', 'PUT', { Node: 'ext2', Address: '10.0.0.8' }));
    await must(root('/v1/kv/app/x', 'PUT', 'x'));
    await must(root('/v1/kv/tmp/a', 'PUT', 'x'));
    await must(root('/v1/event/fire/deploy', 'PUT'));
    ids.q1 = ((await (await must(root('/v1/query', 'POST', { Name: 'q1', Service: { Service: 'web' } }))).json()) as { ID: string }).ID;
    ids.session = ((await (await must(root('/v1/session/create', 'PUT', { TTL: '60s' }))).json()) as { ID: string }).ID;
    ids.policy = ((await (await must(root('/v1/acl/policy', 'PUT', { Name: 'p-target' }))).json()) as { ID: string }).ID;
    ids.role = ((await (await must(root('/v1/acl/role', 'PUT', { Name: 'r-target' }))).json()) as { ID: string }).ID;
    ids.token = ((await (await must(root('/v1/acl/token', 'PUT', { Description: 'target' }))).json()) as { AccessorID: string }).AccessorID;
    await dc.advance(2000);
  }, 60_000);

  it('has a case for every registered route and method', () => {
    const registered = dc
      .router('s1')
      .list()
      .flatMap((r) => r.methods.map((m) => `${m} ${r.pattern}`));
    const covered = new Set(CASES.map((c) => `${c.method} ${c.route}`));
    const missing = registered.filter((r) => !covered.has(r));
    expect(missing, 'routes without an ACL case: add them to CASES').toEqual([]);
    const stale = [...covered].filter((c) => !registered.includes(c));
    expect(stale, 'cases for routes that no longer exist').toEqual([]);
  });

  const fill = (path: string) => path.replace(/\{(\w+)\}/g, (_, k: string) => ids[k] ?? `missing-${k}`);

  for (const c of CASES) {
    it(`${c.method} ${c.path}: anonymous ${c.anonymous}, allowed with ${JSON.stringify(c.rules)}`, async () => {
      // Some cases consume their object (delete, destroy): recreate what they need first.
      if (c.path.includes('{q3}')) ids.q3 = ((await (await root('/v1/query', 'POST', { Name: 'q3', Service: { Service: 'web' } })).json()) as { ID: string }).ID;
      const init = (token?: string): RequestInit => ({
        method: c.method,
        body: c.body === undefined ? undefined : typeof c.body === 'string' ? c.body : JSON.stringify(c.body),
        headers: token ? { 'X-Consul-Token': token } : {},
      });
      const anon = await dc.http('s1', fill(c.path), init());
      const text = await anon.text();
      if (c.anonymous === 'deny') {
        const refused = anon.status === 403 || (c.route === '/v1/txn' && anon.status === 409 && text.includes('Permission denied'));
        expect(refused, `${anon.status} ${text}`).toBe(true);
        expect(text).toMatch(/Permission denied|ACL not found/);
      } else if (c.anonymous === 'filtered') {
        expect(isEmpty(anon.status, text), `${anon.status} ${text}`).toBe(true);
        // The anonymous token never gets the filtered header.
        expect(anon.headers.get('x-consul-results-filtered-by-acls')).toBeNull();
      }
      let token = ROOT;
      if (c.rules !== '') {
        const name = `p${Math.abs(hashCode(c.method + c.path))}`;
        const policy = (await (await root('/v1/acl/policy', 'PUT', { Name: name, Rules: c.rules })).json()) as { ID: string };
        const t = (await (await root('/v1/acl/token', 'PUT', { Policies: [{ ID: policy.ID }] })).json()) as { SecretID: string };
        token = t.SecretID;
      } else if (c.anonymous === 'public') token = '';
      else token = ((await (await root('/v1/acl/token', 'PUT', {})).json()) as { SecretID: string }).SecretID;
      const allowed = await dc.http('s1', fill(c.path), init(token || undefined));
      const body = await allowed.text();
      const ok = c.ok ?? [200];
      expect(ok.includes(allowed.status), `${allowed.status} ${body}`).toBe(true);
      if (c.anonymous !== 'public' || !ok.includes(403)) expect(body).not.toMatch(/^Permission denied|^ACL not found/);
    }, 30_000);
  }
});

function hashCode(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}
