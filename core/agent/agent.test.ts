import { describe, expect, it } from 'vitest';
import { nullLogger } from '../ports/logger.ts';
import { devTiming } from '../raft/timing.ts';
import type { NodeEnv } from '../sim/sim-node.ts';
import { Simulation } from '../sim/simulation.ts';
import type { HealthCheck, KVEntry, Node } from '../state/types.ts';
import { Agent } from './agent.ts';
import type { AgentConfig } from './agent-config.ts';
import type { QueryReply } from './server/rpc-types.ts';

const SERVERS = ['s1', 's2', 's3'];
const CLIENTS = ['c1', 'c2'];

function config(id: string, server: boolean, reconcileIntervalMs = 1000): AgentConfig {
  return {
    nodeName: id,
    nodeId: `00000000-0000-0000-0000-0000000000${server ? 'a' : 'b'}${id.slice(1)}`,
    datacenter: 'dc1',
    server,
    bootstrap: false,
    bootstrapExpect: server ? 3 : 0,
    advertiseHost: id,
    ports: { serfLan: 8301, server: 8300 },
    raftTiming: devTiming(),
    devMode: false,
    nodeMeta: {},
    gossip: { probeIntervalMs: 200, gossipIntervalMs: 50, reconcileIntervalMs },
    version: '1.22.0',
  };
}

function datacenter(seed: number, reconcileIntervalMs?: number) {
  const sim = new Simulation({ seed });
  for (const id of [...SERVERS, ...CLIENTS]) {
    sim.addNode({
      id,
      start: (env: NodeEnv) => {
        const agent = new Agent(config(id, id.startsWith('s'), reconcileIntervalMs), { ...env, logger: nullLogger });
        agent.start();
        if (id !== 's1') agent.join(['s1:8301']);
        return { agent };
      },
    });
  }
  const agent = (id: string) => (sim.node<{ agent: Agent }>(id).process as { agent: Agent }).agent;
  const leader = () => SERVERS.find((id) => sim.node(id).status === 'up' && agent(id).server?.isLeader());
  const rpc = <T>(id: string, method: string, args: Record<string, unknown>): T => {
    let out: { v?: T; e?: unknown } | undefined;
    agent(id).rpc(method, args).then((v) => (out = { v: v as T }), (e) => (out = { e }));
    // Promise callbacks run between simulation steps, so step until the answer arrives.
    for (let i = 0; i < 5000 && !out; i++) sim.runFor(1);
    return flush(() => out);
  };
  return { sim, agent, leader, rpc };
}

function flush<T>(get: () => { v?: T; e?: unknown } | undefined): T {
  const out = get();
  if (!out) throw new Error('RPC did not answer');
  if (out.e) throw out.e;
  return out.v as T;
}

describe('Agent: a datacenter of 3 servers and 2 clients', () => {
  it('forms by gossip, bootstraps with bootstrap-expect, and mirrors members into the catalog', async () => {
    const dc = datacenter(11);
    expect(dc.sim.runUntil(() => dc.leader() !== undefined, 20_000)).toBe(true);
    dc.sim.runFor(3000);
    const leader = dc.agent(dc.leader()!);
    expect(leader.server!.raft.configuration().servers.map((s) => s.address).sort()).toEqual(['s1:8300', 's2:8300', 's3:8300']);
    const nodes = leader.server!.fsm.state.t.nodes;
    expect([...nodes.all()].map((n: Node) => n.Node).sort()).toEqual(['c1', 'c2', 's1', 's2', 's3']);
    const serf = [...leader.server!.fsm.state.t.checks.all()].filter((c: HealthCheck) => c.CheckID === 'serfHealth');
    expect(serf.every((c) => c.Status === 'passing' && c.Output === 'Agent alive and reachable')).toBe(true);
  });

  it('reconciles members as soon as a bootstrap-expect leader is elected, not at the next periodic pass', () => {
    // Regression: bootstrap-expect replaces the server's Raft instance, and the agent's leadership
    // observer stayed on the old one, so serfHealth appeared only at the 60 s reconcile.
    const dc = datacenter(14, 600_000);
    expect(dc.sim.runUntil(() => dc.leader() !== undefined, 20_000)).toBe(true);
    const passing = () => {
      const l = dc.leader();
      const checks = l ? [...dc.agent(l).server!.fsm.state.t.checks.all()] : [];
      return checks.filter((c: HealthCheck) => c.CheckID === 'serfHealth' && c.Status === 'passing').length === 5;
    };
    expect(dc.sim.runUntil(passing, 5000)).toBe(true);
  });

  it('routes a client’s writes and reads to the servers', async () => {
    const dc = datacenter(12);
    dc.sim.runUntil(() => dc.leader() !== undefined, 20_000);
    dc.sim.runFor(2000);
    let wrote: unknown;
    dc.agent('c1').rpc('KVS.Apply', { Op: 'set', Key: 'from-client', Value: new TextEncoder().encode('hi') }).then((v) => (wrote = v));
    for (let i = 0; i < 200 && wrote === undefined; i++) {
      dc.sim.runFor(5);
      await Promise.resolve();
    }
    expect(wrote).toBe(true);
    let read: QueryReply<KVEntry | null> | undefined;
    dc.agent('c2').rpc('KVS.Get', { Key: 'from-client', Query: { Mode: 'consistent' } }).then((v) => (read = v as QueryReply<KVEntry | null>));
    for (let i = 0; i < 200 && read === undefined; i++) {
      dc.sim.runFor(5);
      await Promise.resolve();
    }
    expect(new TextDecoder().decode(read?.Value?.Value)).toBe('hi');
  });

  it('marks a crashed client critical, and a new leader takes over after the leader crashes', async () => {
    const dc = datacenter(13);
    dc.sim.runUntil(() => dc.leader() !== undefined, 20_000);
    dc.sim.runFor(2000);
    dc.sim.crash('c2');
    const critical = () => {
      const l = dc.leader();
      const check = l ? [...dc.agent(l).server!.fsm.state.t.checks.all()].find((c: HealthCheck) => c.Node === 'c2' && c.CheckID === 'serfHealth') : undefined;
      return check?.Status === 'critical';
    };
    expect(dc.sim.runUntil(critical, 30_000)).toBe(true);
    const old = dc.leader()!;
    dc.sim.crash(old);
    expect(dc.sim.runUntil(() => dc.leader() !== undefined && dc.leader() !== old, 20_000)).toBe(true);
  });
});

describe('Agent: autopilot', () => {
  it('removes a failed server from Raft and adds it back when it returns', () => {
    const dc = datacenter(15);
    dc.sim.runUntil(() => dc.leader() !== undefined, 20_000);
    dc.sim.runFor(2000);
    const victim = SERVERS.find((id) => id !== dc.leader()) as string;
    const peers = () => dc.agent(dc.leader()!).server!.raft.configuration().servers.map((s) => s.address).sort();
    dc.sim.crash(victim);
    expect(dc.sim.runUntil(() => dc.leader() !== undefined && peers().length === 2, 60_000)).toBe(true);
    expect(peers()).not.toContain(`${victim}:8300`);
    dc.sim.restart(victim);
    dc.agent(victim).join(['s1:8301', 's2:8301', 's3:8301']);
    expect(dc.sim.runUntil(() => dc.leader() !== undefined && peers().length === 3, 60_000)).toBe(true);
  });
});

describe('Agent: alias checks', () => {
  it('mirror a local service and a service on another node, following TTL changes', async () => {
    const dc = datacenter(14);
    dc.sim.runUntil(() => dc.leader() !== undefined, 20_000);
    dc.sim.runFor(2000);
    const c1 = dc.agent('c1');
    const c2 = dc.agent('c2');
    c1.registerService({ Name: 'web', ID: 'web', Check: { CheckID: 'web-ttl', TTL: '60s', Status: 'passing' } });
    c1.registerService({ Name: 'web-proxy', ID: 'web-proxy', Check: { CheckID: 'proxy-alias', Name: 'alias web', AliasService: 'web' } });
    c2.registerService({ Name: 'edge', ID: 'edge', Check: { CheckID: 'edge-alias', Name: 'alias web on c1', AliasNode: 'c1', AliasService: 'web' } });
    const status = (a: Agent, id: string) => a.local.checks.get(id)?.status;
    const settle = async (done: () => boolean) => {
      for (let i = 0; i < 400 && !done(); i++) {
        dc.sim.runFor(25);
        await Promise.resolve();
        await Promise.resolve();
      }
      return done();
    };
    expect(await settle(() => status(c1, 'proxy-alias') === 'passing' && status(c2, 'edge-alias') === 'passing')).toBe(true);
    c1.updateCheck('web-ttl', 'critical', 'down for maintenance');
    expect(status(c1, 'proxy-alias')).toBe('critical');
    expect(c1.local.checks.get('proxy-alias')?.output).toBe('Aliased check "Service \'web\' check" failing: down for maintenance');
    expect(await settle(() => status(c2, 'edge-alias') === 'critical')).toBe(true);
    c1.updateCheck('web-ttl', 'passing', 'ok');
    expect(await settle(() => status(c2, 'edge-alias') === 'passing')).toBe(true);
    expect(c1.local.checks.get('proxy-alias')?.output).toBe('All checks passing.');
  });
});

describe('Agent: two datacenters federated over WAN', () => {
  it('lists both datacenters and forwards ?dc= requests to the other one', async () => {
    const sim = new Simulation({ seed: 21, network: { dcLatency: { 'dc1|dc2': { kind: 'fixed', ms: 30 } } } });
    for (const [id, dc] of [['a1', 'dc1'], ['b1', 'dc2']] as const) {
      sim.addNode({
        id,
        dc,
        start: (env: NodeEnv) => {
          const c = { ...config(id, true), datacenter: dc, bootstrap: true, bootstrapExpect: 0, nodeId: `00000000-0000-0000-0000-0000000000${id === 'a1' ? 'c1' : 'd1'}`, ports: { serfLan: 8301, server: 8300, serfWan: 8302 } };
          const agent = new Agent(c, { ...env, logger: nullLogger });
          agent.start();
          if (id === 'b1') agent.joinWan(['a1:8302']);
          return { agent };
        },
      });
    }
    const agent = (id: string) => (sim.node<{ agent: Agent }>(id).process as { agent: Agent }).agent;
    sim.runUntil(() => agent('a1').server!.isLeader() && agent('b1').server!.isLeader() && agent('a1').wanMembers().length === 2, 20_000);
    const call = async (id: string, method: string, args: Record<string, unknown>) => {
      let out: { v?: unknown; e?: unknown } | undefined;
      agent(id).rpc(method, args).then((v) => (out = { v }), (e) => (out = { e }));
      for (let i = 0; i < 400 && !out; i++) {
        sim.runFor(5);
        await Promise.resolve();
      }
      if (out?.e) throw out.e;
      return out?.v;
    };
    expect(await call('a1', 'Catalog.ListDatacenters', {})).toEqual(['dc1', 'dc2']);
    expect(await call('a1', 'KVS.Apply', { Op: 'set', Key: 'where', Value: new TextEncoder().encode('dc2!'), Datacenter: 'dc2' })).toBe(true);
    const remote = (await call('a1', 'KVS.Get', { Key: 'where', Query: { Datacenter: 'dc2' } })) as QueryReply<KVEntry | null>;
    expect(new TextDecoder().decode(remote.Value?.Value)).toBe('dc2!');
    const local = (await call('a1', 'KVS.Get', { Key: 'where' })) as QueryReply<KVEntry | null>;
    expect(local.Value).toBeNull();
    await expect(call('a1', 'KVS.Get', { Key: 'x', Query: { Datacenter: 'dc9' } })).rejects.toThrow('No path to datacenter');
  });
});
