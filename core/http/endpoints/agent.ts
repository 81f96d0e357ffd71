import type { AgentApi } from '../api.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';

/** Agent-local endpoints that need no cluster round trip. */
export function registerAgent(router: Router, agent: AgentApi): void {
  router.register('/v1/agent/self', ['GET'], (ctx) => jsonResponse(agent.self(), { pretty: ctx.pretty }));
}
