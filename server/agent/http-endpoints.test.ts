import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../testing/agent-process.ts';

// The event, coordinate, prepared-query, UI, autopilot and snapshot endpoints through a real
// `consul agent -dev` process and its Node HTTP server (gzip, sockets, real time).
let agent: AgentProcess;
beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-node', 'ep1']);
}, 60_000);
afterAll(async () => {
  expect(await agent.stop()).toBe(0);
});

const api = (path: string, init?: RequestInit) => fetch(`${agent.http}${path}`, init);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('agent HTTP endpoints over a real socket', () => {
  it('serves metrics as go-metrics JSON; Prometheus text needs a retention time', async () => {
    await api('/v1/kv/metrics-probe', { method: 'PUT', body: 'x' });
    const m = (await (await api('/v1/agent/metrics')).json()) as { Timestamp: string; Gauges: Array<{ Name: string; Value: number }>; Counters: unknown[]; Samples: unknown[] };
    expect(m.Timestamp).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d \+0000 UTC$/);
    const gauge = (n: string) => m.Gauges.find((g) => g.Name === n)?.Value;
    expect(gauge('consul.runtime.alloc_bytes')).toBeGreaterThan(0);
    expect(gauge('consul.server.isLeader')).toBe(1);
    expect(gauge('consul.state.kv_entries')).toBeGreaterThanOrEqual(1);
    const prom = await api('/v1/agent/metrics?format=prometheus');
    expect(prom.status).toBe(415);
    expect(await prom.text()).toBe('Prometheus is not enabled since its retention time is not positive');
  });

  it('streams log lines from /v1/agent/monitor at the asked level, and rejects an unknown level', async () => {
    expect((await api('/v1/agent/monitor?loglevel=chatty')).status).toBe(400);
    const abort = new AbortController();
    const res = await api('/v1/agent/monitor?loglevel=warn', { signal: abort.signal });
    expect(res.status).toBe(200);
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    // A join to a closed port logs a warning on the agent.
    await api('/v1/agent/join/127.0.0.1:1', { method: 'PUT' });
    let text = '';
    const timeout = setTimeout(() => abort.abort(), 10_000);
    while (!text.includes('Failed to join')) {
      const { value, done } = await reader.read().catch(() => ({ value: undefined, done: true }));
      if (done) break;
      text += new TextDecoder().decode(value);
    }
    clearTimeout(timeout);
    abort.abort();
    expect(text).toMatch(/\[WARN\] +agent\.server\.memberlist: Failed to join 127\.0\.0\.1:1/);
  }, 20_000);

  it('fires and lists events, with the body cap enforced before reading', async () => {
    const fired = (await (await api('/v1/event/fire/deploy', { method: 'PUT', body: 'p1' })).json()) as { ID: string };
    await sleep(200);
    const list = await api('/v1/event/list?name=deploy');
    expect(((await list.json()) as Array<{ ID: string }>).map((e) => e.ID)).toEqual([fired.ID]);
    expect(list.headers.get('x-consul-index')).toMatch(/^\d+$/);
    const big = await api('/v1/event/fire/big', { method: 'PUT', body: 'x'.repeat(100_000) });
    expect(big.status).toBe(413);
  });

  it('accepts a coordinate update and serves it after the leader’s batch', async () => {
    const coord = { Vec: [0.001, 0, 0, 0, 0, 0, 0, 0], Error: 1.5, Adjustment: 0, Height: 1e-5 };
    expect((await api('/v1/coordinate/update', { method: 'PUT', body: JSON.stringify({ Node: 'ep1', Segment: 'b', Coord: coord }) })).status).toBe(200);
    let rows: Array<{ Node: string; Segment: string }> = [];
    for (let i = 0; i < 80 && !rows.some((r) => r.Segment === 'b'); i++) {
      await sleep(100);
      rows = (await (await api('/v1/coordinate/nodes')).json()) as typeof rows;
    }
    expect(rows).toContainEqual(expect.objectContaining({ Node: 'ep1', Segment: 'b' }));
    const dcs = (await (await api('/v1/coordinate/datacenters')).json()) as Array<{ Datacenter: string }>;
    expect(dcs[0]?.Datacenter).toBe('dc1');
  }, 20_000);

  it('runs a prepared query, the UI summaries and autopilot health', async () => {
    const { ID } = (await (await api('/v1/query', { method: 'POST', body: JSON.stringify({ Name: 'c', Service: { Service: 'consul' } }) })).json()) as { ID: string };
    const run = (await (await api(`/v1/query/${ID}/execute?near=_agent`)).json()) as { Nodes: Array<{ Node: { Node: string } }> };
    expect(run.Nodes.map((n) => n.Node.Node)).toEqual(['ep1']);
    const services = (await (await api('/v1/internal/ui/services')).json()) as Array<{ Name: string; InstanceCount: number }>;
    expect(services).toContainEqual(expect.objectContaining({ Name: 'consul', InstanceCount: 1 }));
    const node = (await (await api('/v1/internal/ui/node/ep1')).json()) as { Node: string; Checks: unknown[] };
    expect(node.Node).toBe('ep1');
    const overview = (await (await api('/v1/internal/ui/catalog-overview')).json()) as { Nodes: Array<{ Total: number }> };
    expect(overview.Nodes[0]?.Total).toBe(1);
    const health = await api('/v1/operator/autopilot/health');
    expect(health.status).toBe(200);
    expect(((await health.json()) as { Healthy: boolean }).Healthy).toBe(true);
  });

  it('saves a snapshot, refuses a corrupt one and restores a good one', async () => {
    await api('/v1/kv/snap', { method: 'PUT', body: 'one' });
    const file = new Uint8Array(await (await api('/v1/snapshot')).arrayBuffer());
    await api('/v1/kv/snap', { method: 'PUT', body: 'two' });
    const bad = file.slice(0, file.length - 1);
    const refused = await api('/v1/snapshot', { method: 'PUT', body: bad });
    expect(refused.status).toBe(400);
    expect(await (await api('/v1/kv/snap?raw')).text()).toBe('two');
    expect((await api('/v1/snapshot', { method: 'PUT', body: file })).status).toBe(200);
    expect(await (await api('/v1/kv/snap?raw')).text()).toBe('one');
  });
});
