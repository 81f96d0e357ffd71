import type { AclIdentity } from '../../acl/identity.ts';
import { failoverTargets } from '../../agent/server/query/prepared-query.ts';
import type { AgentApi } from '../api.ts';
import type { ApiResponse } from '../api-response.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, HttpError } from '../errors.ts';
import { canonicalKeys, isObject } from '../json.ts';
import { emptyResponse, jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom, rpcRead } from '../rpc-read.ts';

/**
 * Prepared queries (agent/prepared_query_endpoint.go): `/v1/query` (list, create) and
 * `/v1/query/:id` (read, update, delete), `/v1/query/:id-or-name/execute` and `/explain`.
 */

const QUERY_FIELDS = ['ID', 'Name', 'Session', 'Token', 'Service', 'DNS', 'Template'];
const SERVICE_FIELDS = ['Service', 'SamenessGroup', 'Failover', 'OnlyPassing', 'IgnoreCheckIDs', 'Near', 'Tags', 'NodeMeta', 'ServiceMeta', 'Peer', 'Connect'];
const NOT_FOUND = 'Query not found';

/** The query body with Consul's field names whatever casing the client used. */
async function queryBody(ctx: ApiContext): Promise<Record<string, unknown>> {
  const raw = await ctx.readJson();
  if (raw === undefined) return {};
  if (!isObject(raw)) throw badRequest('Request decode failed: expected a JSON object');
  const q = canonicalKeys(raw, QUERY_FIELDS);
  if (isObject(q.Service)) {
    const svc = canonicalKeys(q.Service, SERVICE_FIELDS);
    if (isObject(svc.Failover)) svc.Failover = canonicalKeys(svc.Failover, ['NearestN', 'Datacenters', 'Targets']);
    if (isObject(svc.Connect)) svc.Connect = canonicalKeys(svc.Connect, ['Enabled']);
    q.Service = svc;
  }
  if (isObject(q.DNS)) q.DNS = canonicalKeys(q.DNS, ['TTL']);
  if (isObject(q.Template)) q.Template = canonicalKeys(q.Template, ['Type', 'Regexp', 'RemoveEmptyTags']);
  return q;
}

/** "Query not found" from the server is a 404 with that text. */
async function orNotFound<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    if (e instanceof Error && e.message === NOT_FOUND) throw new HttpError(404, NOT_FOUND);
    throw e;
  }
}

/**
 * Prepared-query ACLs (prepared_query_endpoint.go): a named query needs query:write on its name
 * (the new one and, for update and delete, the stored one); unnamed queries are protected by their
 * unguessable ID. Reads see what query:read allows; unnamed ones only with a management token.
 */
function canReadQuery(acl: AclIdentity, q: { Name?: string }): boolean {
  return q.Name ? acl.can('query', q.Name, 'read') : acl.canSingle('acl', 'write');
}

function requireQueryRead(acl: AclIdentity, q: { Name?: string }): void {
  if (q.Name) acl.require('query', q.Name, 'read');
  else acl.requireManagement();
}

async function write(agent: AgentApi, ctx: ApiContext, op: string, query: Record<string, unknown>): Promise<unknown> {
  const acl = await ctx.authorize();
  if (typeof query.Name === 'string' && query.Name) acl.require('query', query.Name, 'write');
  if (op !== 'create' && acl.enabled && typeof query.ID === 'string') {
    const existing = await rpcRead<Array<{ Name?: string }>>(agent, ctx, 'PreparedQuery.Get', { QueryID: query.ID }).catch(() => undefined);
    const name = existing?.value[0]?.Name;
    if (name) acl.require('query', name, 'write');
  }
  return agent.rpc('PreparedQuery.Apply', { Op: op, Query: query, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: acl.secret || ctx.token });
}

async function execute(agent: AgentApi, ctx: ApiContext, idOrName: string): Promise<ApiResponse> {
  const limitRaw = ctx.query.get('limit');
  let limit = 0;
  if (limitRaw) {
    limit = Number(limitRaw);
    if (!/^\d+$/.test(limitRaw)) throw badRequest(`Bad limit: strconv.Atoi: parsing "${limitRaw}": invalid syntax`);
  }
  const near = ctx.query.get('near') ?? '';
  const acl = await ctx.authorize();
  const r = await orNotFound(() =>
    rpcRead<{ Nodes: unknown[] | null }>(agent, ctx, 'PreparedQuery.Execute', {
      QueryIDOrName: idOrName,
      Limit: limit,
      Source: { Datacenter: agent.datacenter, Node: near === '_agent' ? agent.nodeName : near },
      Agent: { Datacenter: agent.datacenter, Node: agent.nodeName },
    }),
  );
  const value = r.value.Nodes && r.value.Nodes.length > 0 ? r.value : await failover(agent, idOrName, limit, r.value);
  // Results are filtered by the caller's node:read and service:read.
  const nodes = ctx.keep((value.Nodes ?? []) as Array<{ Node: { Node: string }; Service: { Service: string } }>, (e) => acl.can('node', e.Node.Node, 'read') && acl.can('service', e.Service.Service, 'read'));
  return jsonResponse({ ...value, Nodes: nodes }, { pretty: ctx.pretty, meta: r.meta });
}

interface ExecuteValue {
  Nodes: unknown[] | null;
  Datacenter?: string;
  Failovers?: number;
}

/**
 * queryFailover: with no instance here, run the query's definition in the failover datacenters
 * in order until one has instances; Failovers counts the datacenters asked.
 */
async function failover(agent: AgentApi, idOrName: string, limit: number, local: ExecuteValue): Promise<ExecuteValue> {
  const explained = (await agent.rpc('PreparedQuery.Explain', { QueryIDOrName: idOrName, Query: { Mode: 'stale' } })) as { Value: { Query: { Service: Record<string, unknown> } } };
  const query = explained.Value.Query;
  if (!query.Service.Failover) return local;
  const known = (await agent.rpc('Catalog.ListDatacenters', {})) as string[];
  const targets = failoverTargets(known, agent.datacenter, query.Service.Failover);
  let failovers = 0;
  for (const dc of targets) {
    failovers++;
    try {
      const remote = (await agent.rpc('PreparedQuery.ExecuteRemote', { Datacenter: dc, Definition: query, Limit: limit, Query: { Mode: 'stale' } })) as { Value: ExecuteValue };
      if (remote.Value.Nodes && remote.Value.Nodes.length > 0) return { ...remote.Value, Failovers: failovers };
    } catch {
      // Consul logs a failed datacenter and moves on to the next one.
    }
  }
  return { ...local, Failovers: failovers };
}

export function registerQuery(router: Router, agent: AgentApi): void {
  router.register('/v1/query', ['GET', 'POST'], async (ctx) => {
    if (ctx.method === 'GET') {
      const acl = await ctx.authorize();
      const r = await rpcRead<Array<{ Name?: string }>>(agent, ctx, 'PreparedQuery.List', {});
      return jsonResponse(ctx.keep(r.value ?? [], (q) => canReadQuery(acl, q)), { pretty: ctx.pretty, meta: r.meta });
    }
    const body = await queryBody(ctx);
    const id = await write(agent, ctx, 'create', body);
    return jsonResponse({ ID: id }, { pretty: ctx.pretty });
  });
  router.register('/v1/query/', ['GET', 'PUT', 'POST', 'DELETE'], async (ctx) => {
    const path = ctx.suffix;
    for (const [suffix, method] of [['/execute', 'PreparedQuery.Execute'], ['/explain', 'PreparedQuery.Explain']] as const) {
      if (!path.endsWith(suffix)) continue;
      if (ctx.method !== 'GET') throw new HttpError(405, `method ${ctx.method} not allowed`, { Allow: 'OPTIONS,GET' });
      const idOrName = path.slice(0, -suffix.length);
      if (method === 'PreparedQuery.Execute') return execute(agent, ctx, idOrName);
      const r = await orNotFound(() => rpcRead<{ Query?: { Name?: string } }>(agent, ctx, method, { QueryIDOrName: idOrName }));
      const acl = await ctx.authorize();
      requireQueryRead(acl, r.value.Query ?? {});
      return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
    }
    if (ctx.method === 'POST') throw new HttpError(405, 'method POST not allowed', { Allow: 'OPTIONS,GET,PUT,DELETE' });
    if (ctx.method === 'GET') {
      const r = await orNotFound(() => rpcRead<Array<{ Name?: string }>>(agent, ctx, 'PreparedQuery.Get', { QueryID: path }));
      const acl = await ctx.authorize();
      const q = r.value[0];
      if (q) requireQueryRead(acl, q);
      return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
    }
    if (ctx.method === 'PUT') {
      const body = await queryBody(ctx);
      await write(agent, ctx, 'update', { ...body, ID: path });
      return emptyResponse();
    }
    await write(agent, ctx, 'delete', { ID: path });
    return emptyResponse();
  });
}
