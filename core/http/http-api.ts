import type { Timers, TimeSource } from '../ports/clock.ts';
import type { AgentApi, HttpApiOptions } from './api.ts';
import type { ApiResponse } from './api-response.ts';
import type { ApiRequest } from './context.ts';
import { registerAcl } from './endpoints/acl.ts';
import { registerAgent } from './endpoints/agent.ts';
import { registerAgentTelemetry } from './endpoints/agent-telemetry.ts';
import { registerCatalog } from './endpoints/catalog.ts';
import { registerCoordinate } from './endpoints/coordinate.ts';
import { registerEvent } from './endpoints/event.ts';
import { registerHealth } from './endpoints/health.ts';
import { registerKeyring } from './endpoints/keyring.ts';
import { registerKv } from './endpoints/kv.ts';
import { registerOperator } from './endpoints/operator.ts';
import { registerQuery } from './endpoints/query.ts';
import { registerSession } from './endpoints/session.ts';
import { registerSnapshot } from './endpoints/snapshot.ts';
import { registerStatus } from './endpoints/status.ts';
import { registerTxn } from './endpoints/txn.ts';
import { registerUi } from './endpoints/ui.ts';
import { Router } from './router.ts';

/**
 * Consul's `/v1` HTTP API as one function, `fetch(Request) => Promise<ApiResponse>`, over an agent.
 * Runs unchanged behind Node's HTTP server, in a browser tab of the lab, or on an edge runtime.
 * It takes any `ApiRequest`, of which a WHATWG Request is one, and answers an ApiResponse, which
 * `toResponse()` turns into a WHATWG Response where one is needed.
 */
export function createHttpApi(agent: AgentApi, options: HttpApiOptions, timers: Timers): { fetch: (request: ApiRequest, remoteAddress?: string) => Promise<ApiResponse>; router: Router } {
  const clock = 'now' in timers ? (timers as TimeSource) : undefined;
  const router = new Router({
    defaultAclPolicy: () => options.defaultAclPolicy,
    devMode: options.devMode,
    uiEnabled: options.uiEnabled,
    now: clock ? () => clock.now() : undefined,
    onServed: clock && agent.recordHttp ? (method, pattern, started) => agent.recordHttp?.(method, pattern, clock.now() - started) : undefined,
    resolveToken: agent.resolveToken?.bind(agent),
  });
  registerKv(router, agent, options);
  registerStatus(router, agent);
  registerCatalog(router, agent);
  registerHealth(router, agent);
  registerSession(router, agent);
  registerTxn(router, agent, options);
  registerOperator(router, agent);
  registerKeyring(router, agent);
  registerAgent(router, agent, timers);
  registerAgentTelemetry(router, agent, options);
  registerCoordinate(router, agent);
  registerEvent(router, agent);
  registerQuery(router, agent);
  registerUi(router, agent);
  registerSnapshot(router, agent);
  registerAcl(router, agent);
  return { fetch: (request, remoteAddress) => router.handle(request, remoteAddress), router };
}
