import type { CatalogService, Node, NodeService } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { canonicalKeys, isObject } from '../json.ts';
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
    const dc = (body.Datacenter as string | undefined) || queryOptionsFrom(ctx).Datacenter;
    await agent.rpc('Catalog.Register', { Register: body, Datacenter: dc, Token: ctx.token });
    return jsonResponse(true, { pretty: ctx.pretty });
  });
  router.register('/v1/catalog/deregister', ['PUT'], async (ctx) => {
    const raw = await ctx.readJson();
    if (!isObject(raw)) throw badRequest('Request decode failed: expected a JSON object');
    const body = canonicalKeys(raw, ['Node', 'Datacenter', 'ServiceID', 'CheckID']);
    await agent.rpc('Catalog.Deregister', { Deregister: body, Datacenter: (body.Datacenter as string | undefined) || queryOptionsFrom(ctx).Datacenter, Token: ctx.token });
    return jsonResponse(true, { pretty: ctx.pretty });
  });
  router.register('/v1/catalog/datacenters', ['GET'], async (ctx) => {
    const dcs = await agent.rpc('Catalog.ListDatacenters', {});
    return jsonResponse(dcs, { pretty: ctx.pretty });
  });
  router.register('/v1/catalog/nodes', ['GET'], async (ctx) => {
    const r = await rpcRead<Node[]>(agent, ctx, 'Catalog.ListNodes', listFilters(ctx));
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/catalog/services', ['GET'], async (ctx) => {
    const r = await rpcRead<Record<string, string[]>>(agent, ctx, 'Catalog.ListServices', listFilters(ctx));
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/catalog/service/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing service name');
    const r = await rpcRead<CatalogService[]>(agent, ctx, 'Catalog.ServiceNodes', { ServiceName: ctx.suffix, ...listFilters(ctx) });
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/catalog/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const r = await rpcRead<{ Node: Node; Services: Record<string, NodeService> } | null>(agent, ctx, 'Catalog.NodeServices', { Node: ctx.suffix });
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
}
