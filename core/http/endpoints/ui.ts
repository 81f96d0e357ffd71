import type { NodeInfo } from '../../state/node-dump.ts';
import type { HealthCheck } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { metaHeaders, jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter, rpcRead } from '../rpc-read.ts';
import { catalogOverview, summarizeServices } from '../ui-summary.ts';

/**
 * The dashboard's endpoints (agent/ui_endpoint.go): services summary, nodes with their services
 * and checks, one node, and the datacenter's catalog overview. All are blocking reads.
 */

/** Services and Checks are lists, never null, as the UI expects. */
function nodeRows(rows: NodeInfo[]): NodeInfo[] {
  return rows.map((n) => ({ ...n, Services: n.Services ?? [], Checks: n.Checks ?? [] }));
}

async function dump(agent: AgentApi, ctx: ApiContext) {
  return rpcRead<NodeInfo[]>(agent, ctx, 'Internal.NodeDump', {});
}

export function registerUi(router: Router, agent: AgentApi): void {
  router.register('/v1/internal/ui/nodes', ['GET'], async (ctx) => {
    const r = await dump(agent, ctx);
    return jsonResponse(applyFilter(ctx, nodeRows(r.value)), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const r = await rpcRead<NodeInfo | null>(agent, ctx, 'Internal.NodeInfo', { Node: ctx.suffix });
    if (!r.value) return new Response(null, { status: 404, headers: metaHeaders(r.meta) });
    return jsonResponse(nodeRows([r.value])[0], { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/services', ['GET'], async (ctx) => {
    const r = await dump(agent, ctx);
    const dc = ctx.query.get('dc') || agent.datacenter;
    return jsonResponse(applyFilter(ctx, summarizeServices(r.value, dc)), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/catalog-overview', ['GET'], async (ctx) => {
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Internal.CatalogChecks', {});
    return jsonResponse(catalogOverview(r.value), { pretty: ctx.pretty, meta: r.meta });
  });
}
