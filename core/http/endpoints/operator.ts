import type { AgentApi } from '../api.ts';
import { badRequest } from '../errors.ts';
import { isObject } from '../json.ts';
import { emptyResponse, jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom, rpcRead } from '../rpc-read.ts';

export function registerOperator(router: Router, agent: AgentApi): void {
  router.register('/v1/operator/raft/configuration', ['GET'], async (ctx) => {
    const r = await rpcRead<unknown>(agent, ctx, 'Operator.RaftGetConfiguration', {});
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/operator/raft/peer', ['DELETE'], async (ctx) => {
    const id = ctx.query.get('id') ?? '';
    const address = ctx.query.get('address') ?? '';
    if (!id && !address) throw badRequest('Must specify either ?id with the server\'s ID or ?address with IP:port of peer to remove');
    await agent.rpc('Operator.RaftRemovePeer', { ID: id, Address: address, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: ctx.token });
    return emptyResponse();
  });
  router.register('/v1/operator/raft/transfer-leader', ['POST'], async (ctx) => {
    await agent.rpc('Operator.RaftTransferLeader', { ID: ctx.query.get('id') ?? '', Datacenter: queryOptionsFrom(ctx).Datacenter, Token: ctx.token });
    return jsonResponse({ Success: true }, { pretty: ctx.pretty });
  });
  router.register('/v1/operator/autopilot/configuration', ['GET', 'PUT'], async (ctx) => {
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
      Token: ctx.token,
    });
    return jsonResponse(ok !== false, { pretty: ctx.pretty });
  });
}
