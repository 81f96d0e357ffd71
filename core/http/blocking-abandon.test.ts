import type { ApiResponse } from './api-response.ts';
import { describe, expect, it } from 'vitest';
import { advanceSim, simDatacenter } from './testing/sim-datacenter.ts';

// A blocking query whose client goes away stops waiting on the server at once (its watch and
// timer are released), instead of holding them until its wait runs out.
describe('blocking queries and callers that go away', () => {
  it('drops the server-side wait when the request is aborted; others still get the new index', async () => {
    const dc = await simDatacenter(11);
    const put = await dc.http('s1', '/v1/kv/watched', { method: 'PUT', body: 'v1' });
    expect(put.status).toBe(200);
    const first = await dc.http('s1', '/v1/kv/watched');
    const index = Number(first.headers.get('X-Consul-Index'));
    const server = dc.agent('s1').server;
    if (!server) throw new Error('s1 is a server');
    const api = (path: string, signal?: AbortSignal) => {
      const out: { r?: ApiResponse; e?: unknown } = {};
      const fetch = (dc.sim.node('s1').process as { api: { fetch: (r: Request, a: string) => Promise<ApiResponse> } }).api.fetch;
      fetch(new Request(`http://127.0.0.1:8500${path}`, { signal }), '127.0.0.1:1').then(
        (r) => (out.r = r),
        (e) => (out.e = e),
      );
      return out;
    };
    const gone = new AbortController();
    const abandoned = api(`/v1/kv/watched?index=${index}&wait=5m`, gone.signal);
    const kept = api(`/v1/kv/watched?index=${index}&wait=5m`);
    await advanceSim(dc.sim, 50);
    expect(server.waitingQueries).toBe(2);
    gone.abort();
    await advanceSim(dc.sim, 50);
    expect(server.waitingQueries).toBe(1);
    // The abandoned request settles (with an error nobody reads) rather than hanging forever.
    expect(abandoned.r?.status).toBe(500);
    await dc.http('s1', '/v1/kv/watched', { method: 'PUT', body: 'v2' });
    await advanceSim(dc.sim, 50);
    expect(server.waitingQueries).toBe(0);
    expect(Number(kept.r?.headers.get('X-Consul-Index'))).toBeGreaterThan(index);
  });

  it('keeps nothing for a blocking query answered at once (its index is already past)', async () => {
    const dc = await simDatacenter(12);
    await dc.http('s1', '/v1/kv/k', { method: 'PUT', body: 'v1' });
    const server = dc.agent('s1').server;
    for (let i = 0; i < 5; i++) expect((await dc.http('s1', '/v1/kv/k?index=1')).status).toBe(200);
    expect(server?.waitingQueries).toBe(0);
  });
});
