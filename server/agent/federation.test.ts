import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentProcess, freeAgentPorts, startAgentProcess } from '../testing/agent-process.ts';

// Two datacenters of one server each, federated over WAN gossip, answering ?dc= requests.
const dataRoot = mkdtempSync(join(tmpdir(), 'consul-wan-'));
const agents: AgentProcess[] = [];
afterAll(async () => {
  await Promise.all(agents.map((a) => a.stop('SIGKILL')));
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('WAN federation of two datacenters', () => {
  it('lists both datacenters and serves ?dc= requests from the other one', async () => {
    const ports = await freeAgentPorts();
    const fast = ['-hcl', 'performance { raft_multiplier = 1 }'];
    const dc1 = await startAgentProcess(['-server', '-bootstrap', '-datacenter', 'dc1', '-node', 'east', '-bind', '127.0.0.6', '-client', '127.0.0.6', '-data-dir', join(dataRoot, 'dc1'), ...fast], '127.0.0.6', true, ports);
    agents.push(dc1);
    const dc2 = await startAgentProcess(['-server', '-bootstrap', '-datacenter', 'dc2', '-node', 'west', '-bind', '127.0.0.7', '-client', '127.0.0.7', '-data-dir', join(dataRoot, 'dc2'), '-retry-join-wan', `127.0.0.6:${ports.serfWan}`, ...fast], '127.0.0.7', true, ports);
    agents.push(dc2);
    const deadline = Date.now() + 30_000;
    let dcs: string[] = [];
    while (Date.now() < deadline) {
      dcs = await (await fetch(`${dc1.http}/v1/catalog/datacenters`)).json();
      if (dcs.length === 2) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(dcs).toEqual(['dc1', 'dc2']);
    const wan = await (await fetch(`${dc1.http}/v1/agent/members?wan`)).json();
    expect(wan.map((m: { Name: string }) => m.Name).sort()).toEqual(['east.dc1', 'west.dc2']);
    expect(await (await fetch(`${dc1.http}/v1/kv/home?dc=dc2`, { method: 'PUT', body: 'west' })).json()).toBe(true);
    const [pair] = await (await fetch(`${dc2.http}/v1/kv/home`)).json();
    expect(Buffer.from(pair.Value, 'base64').toString()).toBe('west');
    expect((await fetch(`${dc1.http}/v1/kv/home`)).status).toBe(404);
    const nodes = await (await fetch(`${dc1.http}/v1/catalog/nodes?dc=dc2`)).json();
    expect(nodes.map((n: { Node: string }) => n.Node)).toEqual(['west']);
    const unknown = await fetch(`${dc1.http}/v1/kv/home?dc=nowhere`);
    expect(unknown.status).toBe(500);
    expect(await unknown.text()).toBe('No path to datacenter');
  }, 90_000);
});
