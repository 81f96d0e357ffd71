import type { AgentApi } from '../api.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom } from '../rpc-read.ts';

/** `/v1/status/leader` and `/v1/status/peers`. */
export function registerStatus(router: Router, agent: AgentApi): void {
  router.register('/v1/status/leader', ['GET'], async (ctx) => {
    const leader = await agent.rpc('Status.Leader', { Datacenter: queryOptionsFrom(ctx).Datacenter });
    return jsonResponse(leader, { pretty: ctx.pretty });
  });
  router.register('/v1/status/peers', ['GET'], async (ctx) => {
    const peers = await agent.rpc('Status.Peers', { Datacenter: queryOptionsFrom(ctx).Datacenter });
    return jsonResponse(peers, { pretty: ctx.pretty });
  });
}
