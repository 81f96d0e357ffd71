import type { NodeInfo } from '../../agent/server/endpoints/internal.ts';
import type { AgentApi } from '../api.ts';
import { badRequest } from '../errors.ts';
import { jsonResponse, metaHeaders } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter, rpcRead } from '../rpc-read.ts';
import { summarizeServices } from '../ui-summary.ts';

/**
 * The web UI's own endpoints (agent/ui_endpoint.go; reference §1.3 "Internal / UI-only"):
 * `/v1/internal/ui/nodes`, `/v1/internal/ui/node/:node` (404 with an empty body when unknown) and
 * `/v1/internal/ui/services`, all blocking, over Internal.NodeDump / Internal.NodeInfo.
 */
export function registerInternalUi(router: Router, agent: AgentApi): void {
  router.register('/v1/internal/ui/nodes', ['GET'], async (ctx) => {
    const r = await rpcRead<NodeInfo[]>(agent, ctx, 'Internal.NodeDump', {});
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const r = await rpcRead<NodeInfo[]>(agent, ctx, 'Internal.NodeInfo', { Node: ctx.suffix });
    const info = r.value[0];
    if (!info) return new Response(null, { status: 404, headers: metaHeaders(r.meta) });
    return jsonResponse(info, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/internal/ui/services', ['GET'], async (ctx) => {
    const r = await rpcRead<NodeInfo[]>(agent, ctx, 'Internal.NodeDump', {});
    const rows = summarizeServices(r.value, agent.datacenter);
    return jsonResponse(applyFilter(ctx, rows), { pretty: ctx.pretty, meta: r.meta });
  });
}
