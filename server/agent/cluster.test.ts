import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAt } from '../cli/cli-test-helpers.ts';
import { type AgentProcess, freeAgentPorts, startAgentProcess } from '../testing/agent-process.ts';
import { until } from '../testing/until.ts';

// A datacenter of real processes, as a Consul test harness starts one: three servers with
// bootstrap-expect and two clients on 127.0.0.1-5, sharing port numbers, joined by retry-join.
const dataRoot = mkdtempSync(join(tmpdir(), 'consul-cluster-'));
const agents = new Map<string, AgentProcess>();
afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop('SIGKILL')));
  rmSync(dataRoot, { recursive: true, force: true });
});

const FAST = ['-hcl', 'performance { raft_multiplier = 1 }', '-hcl', 'sync_coordinate_interval_min = "1s"', '-retry-interval', '1s'];
const ip = (n: number) => `127.0.0.${n}`;


describe('a 3-server, 2-client datacenter of real processes', () => {
  let ports: AgentProcess['ports'];
  const serverArgs = (n: number) => ['-server', '-bootstrap-expect', '3', '-node', `s${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, `s${n}`), '-retry-join', `${ip(1)}:${ports.serfLan}`, ...FAST];

  it('forms, elects and replicates a KV write', async () => {
    ports = await freeAgentPorts();
    const started = await Promise.all([1, 2, 3].map((n) => startAgentProcess(serverArgs(n), ip(n), false, ports)));
    for (const [i, a] of started.entries()) agents.set(`s${i + 1}`, a);
    for (const n of [4, 5]) {
      agents.set(`c${n}`, await startAgentProcess(['-node', `c${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, `c${n}`), '-retry-join', `${ip(1)}:${ports.serfLan}`, ...FAST], ip(n), false, ports));
    }
    const c4 = agents.get('c4')!;
    await until('a leader seen by a client', async () => ((await (await fetch(`${c4.http}/v1/status/leader`)).json()) || undefined));
    await until('five nodes in the catalog', async () => {
      const nodes = await (await fetch(`${c4.http}/v1/catalog/nodes`)).json();
      return nodes.length === 5 ? nodes : undefined;
    });
    expect(await (await fetch(`${c4.http}/v1/kv/replicated`, { method: 'PUT', body: 'yes' })).json()).toBe(true);
    const c5 = agents.get('c5')!;
    const [pair] = await (await fetch(`${c5.http}/v1/kv/replicated?consistent`)).json();
    expect(Buffer.from(pair.Value, 'base64').toString()).toBe('yes');
    const peers = await (await fetch(`${c5.http}/v1/status/peers`)).json();
    expect(peers.sort()).toEqual([1, 2, 3].map((n) => `${ip(n)}:${ports.server}`));
  }, 120_000);

  it('survives kill -9 of the leader without losing a write, and the old leader catches up from its data dir', async () => {
    const c4 = agents.get('c4')!;
    const leaderAddr: string = await (await fetch(`${c4.http}/v1/status/leader`)).json();
    const leaderName = `s${leaderAddr.split(':')[0]!.split('.')[3]}`;
    const killed = Date.now();
    await agents.get(leaderName)!.stop('SIGKILL');
    const newLeader = await until('a new leader', async () => {
      const l: string = await (await fetch(`${c4.http}/v1/status/leader`)).json();
      return l && l !== leaderAddr ? l : undefined;
    });
    expect(newLeader).not.toBe(leaderAddr);
    await until('a write after failover', async () => ((await (await fetch(`${c4.http}/v1/kv/after-failover`, { method: 'PUT', body: 'ok' })).json()) === true ? true : undefined));
    const failoverMs = Date.now() - killed;
    console.log(`failover: leader ${leaderName} killed, first successful write after ${failoverMs} ms`);
    const [before] = await (await fetch(`${c4.http}/v1/kv/replicated`)).json();
    expect(Buffer.from(before.Value, 'base64').toString()).toBe('yes');
    const n = Number(leaderName.slice(1));
    const restarted = await startAgentProcess(serverArgs(n), ip(n), false, ports);
    agents.set(leaderName, restarted);
    const caughtUp = await until('the restarted server to catch up', async () => {
      const res = await fetch(`${restarted.http}/v1/kv/after-failover?stale`);
      return res.status === 200 ? await res.json() : undefined;
    });
    expect(Buffer.from(caughtUp[0].Value, 'base64').toString()).toBe('ok');
  }, 120_000);

  it('consul rtt estimates the round trip between two nodes from their synced coordinates, and consul info reports raft', async () => {
    const c4 = agents.get('c4')!;
    await until('coordinates for s2 and c5', async () => {
      const rows: Array<{ Node: string }> = await (await fetch(`${c4.http}/v1/coordinate/nodes`)).json();
      const names = new Set(rows.map((r) => r.Node));
      return names.has('s2') && names.has('c5') ? true : undefined;
    }, 60_000);
    const rtt = await runAt(c4.http, 'rtt', 's2', 'c5');
    expect(rtt.err).toBe('');
    expect(rtt.out).toMatch(/^Estimated s2 <-> c5 rtt: \d+\.\d{3} ms \(using LAN coordinates\)\n$/);
    const info = await runAt(agents.get('s2')!.http, 'info');
    expect(info.out).toMatch(/raft:\n(\t.*\n)*\tnum_peers = 2\n/);
    expect(info.out).toMatch(/\tstate = (Leader|Follower)\n/);
  }, 90_000);
});
