import { describe, expect, it } from 'vitest';
import type { AgentApi } from '../api.ts';
import { DEFAULT_HTTP_API_OPTIONS } from '../api.ts';
import { createHttpApi } from '../http-api.ts';

// The status mapping of /v1/operator/autopilot/health with a stubbed RPC (unit level).
function api(reply: unknown): ReturnType<typeof createHttpApi> {
  // Only what this endpoint touches; the rest of AgentApi is the lead's agent-local surface.
  const agent = {
    nodeName: 'n1',
    datacenter: 'dc1',
    rpc: async (method: string) => {
      if (method !== 'Operator.ServerHealth') throw new Error(`unexpected ${method}`);
      return reply;
    },
    self: () => ({}),
  } as unknown as AgentApi;
  return createHttpApi(agent, DEFAULT_HTTP_API_OPTIONS, { setTimer: () => ({ cancel: () => {} }) });
}

describe('/v1/operator/autopilot/health status', () => {
  it('is 429 with the JSON body when the cluster is unhealthy, 200 when healthy', async () => {
    const unhealthy = { Healthy: false, FailureTolerance: 0, Servers: [{ ID: 'a', Healthy: false }] };
    const r = await api(unhealthy).fetch(new Request('http://127.0.0.1:8500/v1/operator/autopilot/health'));
    expect(r.status).toBe(429);
    expect(await r.json()).toEqual(unhealthy);
    const ok = await api({ Healthy: true, FailureTolerance: 1, Servers: [] }).fetch(new Request('http://127.0.0.1:8500/v1/operator/autopilot/health?pretty'));
    expect(ok.status).toBe(200);
    expect(await ok.text()).toBe('{\n    "Healthy": true,\n    "FailureTolerance": 1,\n    "Servers": []\n}\n');
  });
});
