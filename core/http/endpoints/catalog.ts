import type { AclIdentity } from '../../acl/identity.ts';
import type { CatalogService, Node, NodeService } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { canonicalKeys, isObject } from '../json.ts';
import { applyNear } from '../near.ts';
import { parseQueryOptions } from '../query.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter, queryOptionsFrom, rpcRead } from '../rpc-read.ts';

const REGISTER_FIELDS = ['ID', 'Node', 'Address', 'Datacenter', 'TaggedAddresses', 'NodeMeta', 'Service', 'Check', 'Checks', 'SkipNodeUpdate'];
const SERVICE_FIELDS = ['Kind', 'ID', 'Service', 'Tags', 'Address', 'TaggedAddresses', 'Meta', 'Port', 'Weights', 'EnableTagOverride', 'Proxy', 'Connect'];
const CHECK_FIELDS = ['Node', 'CheckID', 'Name', 'Status', 'Notes', 'Output', 'ServiceID', 'ServiceName', 'Type', 'Interval', 'Timeout', 'Definition'];

/** The catalog register body with Consul's field names whatever casing the client used. */
function registerBody(raw: unknown): Record<string, unknown> {
  if (!isObject(raw)) throw badRequest('Request decode failed: expected a JSON object');
  const body = canonicalKeys(raw, REGISTER_FIELDS);
  if (isObject(body.Service)) body.Service = canonicalKeys(body.Service, SERVICE_FIELDS);
  if (isObject(body.Check)) body.Check = canonicalKeys(body.Check, CHECK_FIELDS);
  if (Array.isArray(body.Checks)) body.Checks = body.Checks.map((c) => (isObject(c) ? canonicalKeys(c, CHECK_FIELDS) : c));
  return body;
}

/** `?node-meta` and `?tag` filters for the catalog RPCs. */
export function listFilters(ctx: ApiContext): Record<string, unknown> {
  const q = parseQueryOptions(ctx);
  const out: Record<string, unknown> = {};
  if (Object.keys(q.nodeMeta).length > 0) out.NodeMetaFilters = q.nodeMeta;
  if (q.tags.length > 0) out.Tags = q.tags;
  return out;
}

export function registerCatalog(router: Router, agent: AgentApi): void {
  router.register('/v1/catalog/register', ['PUT'], async (ctx) => {
    const body = registerBody(await ctx.readJson());
    vetRegister(await ctx.authorize(), body);
    const dc = (body.Datacenter as string | undefined) || queryOptionsFrom(ctx).Datacenter;
    await agent.rpc('Catalog.Register', { Register: body, Datacenter: dc, Token: ctx.token });
    return jsonResponse(true, { pretty: ctx.pretty });
  });
  router.register('/v1/catalog/deregister', ['PUT'], async (ctx) => {
    const raw = await ctx.readJson();
    if (!isObject(raw)) throw badRequest('Request decode failed: expected a JSON object');
    const body = canonicalKeys(raw, ['Node', 'Datacenter', 'ServiceID', 'CheckID']);
    await vetDeregister(agent, ctx, body);
    await agent.rpc('Catalog.Deregister', { Deregister: body, Datacenter: (body.Datacenter as string | undefined) || queryOptionsFrom(ctx).Datacenter, Token: ctx.token });
    return jsonResponse(true, { pretty: ctx.pretty });
  });
  router.register('/v1/catalog/datacenters', ['GET'], async (ctx) => {
    const dcs = await agent.rpc('Catalog.ListDatacenters', {});
    return jsonResponse(dcs, { pretty: ctx.pretty });
  });
  router.register('/v1/catalog/nodes', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const r = await rpcRead<Node[]>(agent, ctx, 'Catalog.ListNodes', listFilters(ctx));
    const rows = await applyNear(agent, ctx, applyFilter(ctx, ctx.keep(r.value, (n) => acl.can('node', n.Node, 'read'))), (n) => n.Node);
    return jsonResponse(rows, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/catalog/services', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const r = await rpcRead<Record<string, string[]>>(agent, ctx, 'Catalog.ListServices', listFilters(ctx));
    const names = ctx.keep(Object.keys(r.value), (name) => acl.can('service', name, 'read'));
    return jsonResponse(Object.fromEntries(names.map((n) => [n, r.value[n]])), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/catalog/service/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing service name');
    const acl = await ctx.authorize();
    const r = await rpcRead<CatalogService[]>(agent, ctx, 'Catalog.ServiceNodes', { ServiceName: ctx.suffix, ...listFilters(ctx) });
    const visible = ctx.keep(r.value, (s) => acl.can('node', s.Node, 'read') && acl.can('service', s.ServiceName, 'read'));
    const rows = await applyNear(agent, ctx, applyFilter(ctx, visible), (s) => s.Node);
    return jsonResponse(rows, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/catalog/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const acl = await ctx.authorize();
    const r = await rpcRead<{ Node: Node; Services: Record<string, NodeService> } | null>(agent, ctx, 'Catalog.NodeServices', { Node: ctx.suffix });
    let value = r.value;
    if (value && !acl.can('node', value.Node.Node, 'read')) {
      ctx.markFiltered();
      value = null;
    }
    if (value) {
      const services = value.Services;
      const ids = ctx.keep(Object.keys(services), (id) => acl.can('service', services[id]?.Service ?? id, 'read'));
      value = { ...value, Services: Object.fromEntries(ids.map((id) => [id, services[id] as NodeService])) };
    }
    return jsonResponse(value, { pretty: ctx.pretty, meta: r.meta });
  });
}

/**
 * Catalog.Register's ACL rules (Consul's vetRegisterWithACL): node:write to change the node,
 * service:write on the service registered, and for each check node:write (node checks) or
 * service:write on its service.
 */
function vetRegister(acl: AclIdentity, body: Record<string, unknown>): void {
  const node = typeof body.Node === 'string' ? body.Node : '';
  if (!body.SkipNodeUpdate) acl.require('node', node, 'write');
  const service = isObject(body.Service) ? body.Service : undefined;
  const serviceName = typeof service?.Service === 'string' ? service.Service : '';
  if (service) acl.require('service', serviceName, 'write');
  const checks = [...(isObject(body.Check) ? [body.Check] : []), ...(Array.isArray(body.Checks) ? body.Checks.filter(isObject) : [])];
  for (const c of checks) {
    if (typeof c.ServiceID === 'string' && c.ServiceID !== '') {
      const name = typeof c.ServiceName === 'string' && c.ServiceName ? c.ServiceName : serviceName || c.ServiceID;
      acl.require('service', name, 'write');
    } else acl.require('node', node, 'write');
  }
}

/**
 * Catalog.Deregister's ACL rules (vetDeregisterWithACL): node:write for the node or a node check,
 * service:write on the service (looked up by ID) for a service or one of its checks.
 */
async function vetDeregister(agent: AgentApi, ctx: ApiContext, body: Record<string, unknown>): Promise<void> {
  const acl = await ctx.authorize();
  if (!acl.enabled) return;
  const node = typeof body.Node === 'string' ? body.Node : '';
  const serviceID = typeof body.ServiceID === 'string' ? body.ServiceID : '';
  if (!serviceID && !body.CheckID) return acl.require('node', node, 'write');
  const r = await rpcRead<{ Node: Node; Services: Record<string, NodeService> } | null>(agent, ctx, 'Catalog.NodeServices', { Node: node });
  if (serviceID) return acl.require('service', r.value?.Services[serviceID]?.Service ?? serviceID, 'write');
  const checks = await rpcRead<Array<{ CheckID: string; ServiceID: string; ServiceName: string }>>(agent, ctx, 'Health.NodeChecks', { Node: node });
  const check = checks.value.find((c) => c.CheckID === body.CheckID);
  if (check?.ServiceID) acl.require('service', check.ServiceName || check.ServiceID, 'write');
  else acl.require('node', node, 'write');
}
