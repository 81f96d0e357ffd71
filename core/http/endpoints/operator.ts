import type { AgentApi } from '../api.ts';
import { badRequest } from '../errors.ts';
import { isObject } from '../json.ts';
import { emptyResponse, jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { effectiveToken, queryOptionsFrom, rpcRead } from '../rpc-read.ts';

export function registerOperator(router: Router, agent: AgentApi): void {
  router.register('/v1/operator/raft/configuration', ['GET'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', 'read');
    const r = await rpcRead<unknown>(agent, ctx, 'Operator.RaftGetConfiguration', {});
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/operator/raft/peer', ['DELETE'], async (ctx) => {
    const id = ctx.query.get('id') ?? '';
    const address = ctx.query.get('address') ?? '';
    (await ctx.authorize()).requireSingle('operator', 'write');
    if (!id && !address) throw badRequest('Must specify either ?id with the server\'s ID or ?address with IP:port of peer to remove');
    await agent.rpc('Operator.RaftRemovePeer', { ID: id, Address: address, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: await effectiveToken(ctx) });
    return emptyResponse();
  });
  router.register('/v1/operator/raft/transfer-leader', ['POST'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', 'write');
    await agent.rpc('Operator.RaftTransferLeader', { ID: ctx.query.get('id') ?? '', Datacenter: queryOptionsFrom(ctx).Datacenter, Token: await effectiveToken(ctx) });
    return jsonResponse({ Success: true }, { pretty: ctx.pretty });
  });
  router.register('/v1/operator/autopilot/health', ['GET'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', 'read');
    const health = (await agent.rpc('Operator.ServerHealth', { Datacenter: queryOptionsFrom(ctx).Datacenter, Token: await effectiveToken(ctx) })) as { Healthy: boolean };
    // 429 when unhealthy, so that a plain HTTP health check can watch the cluster.
    return jsonResponse(health, { pretty: ctx.pretty, status: health.Healthy ? 200 : 429 });
  });
  router.register('/v1/operator/autopilot/state', ['GET'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', 'read');
    const state = await agent.rpc('Operator.AutopilotState', { Datacenter: queryOptionsFrom(ctx).Datacenter, Token: await effectiveToken(ctx) });
    return jsonResponse(state, { pretty: ctx.pretty });
  });
  router.register('/v1/operator/autopilot/configuration', ['GET', 'PUT'], async (ctx) => {
    (await ctx.authorize()).requireSingle('operator', ctx.method === 'GET' ? 'read' : 'write');
    if (ctx.method === 'GET') {
      const r = await rpcRead<unknown>(agent, ctx, 'Operator.AutopilotGetConfiguration', {});
      return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
    }
    const body = await ctx.readJson();
    if (!isObject(body)) throw badRequest('Error parsing autopilot config: expected a JSON object');
    const cas = ctx.query.get('cas');
    const ok = await agent.rpc('Operator.AutopilotSetConfiguration', {
      Config: body,
      CAS: cas === null ? undefined : Number(cas),
      Datacenter: queryOptionsFrom(ctx).Datacenter,
      Token: await effectiveToken(ctx),
    });
    return jsonResponse(ok !== false, { pretty: ctx.pretty });
  });
}
