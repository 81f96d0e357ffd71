import type { AclIdentity } from '../../acl/identity.ts';
import type { NodeInfo } from '../../state/node-dump.ts';
import type { HealthCheck } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import { ApiResponse } from '../api-response.ts';
import type { ApiContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { jsonResponse, metaHeaders } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter, rpcRead } from '../rpc-read.ts';
import { catalogOverview, summarizeServices } from '../ui-summary.ts';
import { checkVisible } from './health.ts';

/**
 * The dashboard's endpoints (agent/ui_endpoint.go): services summary, nodes with their services
 * and checks, one node, and the datacenter's catalog overview. All are blocking reads.
 */

/** Services and Checks are lists, never null, as the UI expects. */
function nodeRows(rows: NodeInfo[]): NodeInfo[] {
  return rows.map((n) => ({ ...n, Services: n.Services ?? [], Checks: n.Checks ?? [] }));
}

/**
 * The node dump as the request's token may see it (Consul's filterACL for NodeDump): nodes with
 * node:read, their services with service:read, their checks by node/service read.
 */
function visibleNodes(ctx: ApiContext, acl: AclIdentity, rows: NodeInfo[]): NodeInfo[] {
  if (!acl.enabled) return rows;
  return ctx
    .keep(rows, (n) => acl.can('node', n.Node, 'read'))
    .map((n) => ({
      ...n,
      Services: ctx.keep(n.Services ?? [], (s) => acl.can('service', s.Service, 'read')),
      Checks: ctx.keep(n.Checks ?? [], (c) => checkVisible(acl, c)),
    }));
}

async function dump(agent: AgentApi, ctx: ApiContext) {
  return rpcRead<NodeInfo[]>(agent, ctx, 'Internal.NodeDump', {});
}

export function registerUi(router: Router, agent: AgentApi): void {
  router.register('/v1/internal/ui/nodes', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const r = await dump(agent, ctx);
    return jsonResponse(applyFilter(ctx, nodeRows(visibleNodes(ctx, acl, r.value))), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const acl = await ctx.authorize();
    const r = await rpcRead<NodeInfo | null>(agent, ctx, 'Internal.NodeInfo', { Node: ctx.suffix });
    const value = r.value ? visibleNodes(ctx, acl, [r.value])[0] : undefined;
    if (!value) return new ApiResponse(404, null, metaHeaders(r.meta));
    return jsonResponse(nodeRows([value])[0], { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/services', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const r = await dump(agent, ctx);
    const dc = ctx.query.get('dc') || agent.datacenter;
    return jsonResponse(applyFilter(ctx, summarizeServices(visibleNodes(ctx, acl, r.value), dc)), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/catalog-overview', ['GET'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', 'read');
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Internal.CatalogChecks', {});
    return jsonResponse(catalogOverview(r.value), { pretty: ctx.pretty, meta: r.meta });
  });
}
