import { describe, expect, it } from 'vitest';
import { nullLogger } from '../../ports/logger.ts';
import { devTiming } from '../../raft/timing.ts';
import type { NodeEnv } from '../../sim/sim-node.ts';
import { Simulation } from '../../sim/simulation.ts';
import type { KVEntry } from '../../state/types.ts';
import { ConsulServer } from './consul-server.ts';
import type { QueryReply } from './rpc-types.ts';

const IDS = ['s1', 's2', 's3'];

function cluster(seed = 1) {
  const sim = new Simulation({ seed });
  const peers = IDS.map((id) => ({ id, address: `${id}:8300` }));
  for (const id of IDS) {
    sim.addNode({
      id,
      start: (env: NodeEnv) => {
        const server = new ConsulServer({
          nodeName: id,
          nodeId: id,
          datacenter: 'dc1',
          rpcAddress: `${id}:8300`,
          streams: env.stream(8300),
          time: env.time,
          wall: env.wall,
          random: env.random,
          logStore: env.logStore('raft'),
          stableStore: env.stableStore('raft'),
          snapshotStore: env.snapshotStore('raft'),
          timing: devTiming(),
          bootstrapPeers: peers,
          logger: nullLogger,
        });
        server.start();
        return { server };
      },
    });
  }
  const server = (id: string) => (sim.node<{ server: ConsulServer }>(id).process as { server: ConsulServer }).server;
  const leader = () => IDS.find((id) => sim.node(id).status === 'up' && server(id).isLeader());
  /** Calls an RPC on a server and runs the simulation until it answers. */
  const call = <T>(id: string, method: string, args: unknown, maxMs = 5000): { err?: string; reply?: T } => {
    let out: { err?: string; reply?: T } | undefined;
    server(id).call(method, args, (err, reply) => (out = { err, reply: reply as T }));
    sim.runUntil(() => out !== undefined, maxMs);
    if (!out) throw new Error(`${method} on ${id} did not answer within ${maxMs} ms`);
    return out;
  };
  return { sim, server, leader, call };
}

const enc = (s: string) => new TextEncoder().encode(s);
const dec = (b: Uint8Array | undefined) => new TextDecoder().decode(b);

describe('ConsulServer in the simulator', () => {
  it('elects a leader, forwards writes from followers, and serves reads in every mode', () => {
    const c = cluster();
    expect(c.sim.runUntil(() => c.leader() !== undefined, 5000)).toBe(true);
    const follower = IDS.find((id) => id !== c.leader())!;
    expect(c.call(follower, 'KVS.Apply', { Op: 'set', Key: 'a', Value: enc('1'), Flags: 3304740253564472344n })).toEqual({ err: undefined, reply: true });
    for (const mode of ['default', 'consistent', 'stale'] as const) {
      c.sim.runFor(50);
      const r = c.call<QueryReply<KVEntry | null>>(follower, 'KVS.Get', { Key: 'a', Query: { Mode: mode } });
      expect(r.err).toBeUndefined();
      expect(dec(r.reply?.Value?.Value)).toBe('1');
      expect(r.reply?.Value?.Flags).toBe(3304740253564472344n);
      expect(r.reply?.KnownLeader).toBe(true);
      expect(r.reply?.Mode).toBe(mode);
    }
    expect(c.call(follower, 'Status.Leader', {}).reply).toBe(`${c.leader()}:8300`);
    expect(c.call(follower, 'Status.Peers', {}).reply).toEqual(['s1:8300', 's2:8300', 's3:8300']);
  });

  it('wakes a blocking query on the key it read', () => {
    const c = cluster(2);
    c.sim.runUntil(() => c.leader() !== undefined, 5000);
    const leader = c.leader()!;
    const first = c.call<QueryReply<KVEntry | null>>(leader, 'KVS.Get', { Key: 'k' });
    let woke: QueryReply<KVEntry | null> | undefined;
    c.server(leader).call('KVS.Get', { Key: 'k', Query: { MinQueryIndex: first.reply!.Index, MaxQueryTimeMs: 60_000 } }, (_e, r) => (woke = r as QueryReply<KVEntry | null>));
    c.call(leader, 'KVS.Apply', { Op: 'set', Key: 'other', Value: enc('x') });
    c.sim.runFor(100);
    expect(woke).toBeUndefined();
    c.call(leader, 'KVS.Apply', { Op: 'set', Key: 'k', Value: enc('v') });
    c.sim.runFor(100);
    expect(dec(woke?.Value?.Value)).toBe('v');
    expect(woke!.Index).toBeGreaterThan(first.reply!.Index);
  });

  it('keeps acknowledged writes across a leader crash, and a new leader takes writes', () => {
    const c = cluster(3);
    c.sim.runUntil(() => c.leader() !== undefined, 5000);
    const old = c.leader()!;
    expect(c.call(old, 'KVS.Apply', { Op: 'set', Key: 'durable', Value: enc('yes') }).reply).toBe(true);
    c.sim.crash(old);
    expect(c.sim.runUntil(() => c.leader() !== undefined, 10_000)).toBe(true);
    const next = c.leader()!;
    expect(next).not.toBe(old);
    expect(c.call(next, 'KVS.Apply', { Op: 'set', Key: 'after', Value: enc('ok') }).reply).toBe(true);
    c.sim.start(old);
    c.sim.runFor(2000);
    const r = c.call<QueryReply<KVEntry | null>>(old, 'KVS.Get', { Key: 'durable', Query: { Mode: 'stale' } });
    expect(dec(r.reply?.Value?.Value)).toBe('yes');
  });

  it('creates sessions, locks keys with them, and expires TTL sessions on the leader', () => {
    const c = cluster(4);
    c.sim.runUntil(() => c.leader() !== undefined, 5000);
    const l = c.leader()!;
    c.call(l, 'Catalog.Register', { Register: { Node: 'n1', Address: '10.0.0.1', Check: { CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing' } } });
    const created = c.call<string>(l, 'Session.Apply', { Op: 'create', AgentNode: 'n1', Session: { TTL: '10s', LockDelay: '0s' } });
    expect(created.err).toBeUndefined();
    const id = created.reply!;
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(c.call(l, 'KVS.Apply', { Op: 'lock', Key: 'lock', Value: enc('me'), Session: id }).reply).toBe(true);
    const held = c.call<QueryReply<KVEntry | null>>(l, 'KVS.Get', { Key: 'lock' });
    expect(held.reply?.Value?.Session).toBe(id);
    // TTL 10 s, multiplier 2: gone within about 21 s, and the lock released with it.
    c.sim.runFor(22_000);
    const after = c.call<QueryReply<KVEntry | null>>(l, 'KVS.Get', { Key: 'lock' });
    expect(after.reply?.Value?.Session).toBe('');
    expect(c.call<QueryReply<unknown[]>>(l, 'Session.Get', { ID: id }).reply?.Value).toEqual([]);
  });

  it('answers unknown methods and bad KV operations with errors, not crashes', () => {
    const c = cluster(5);
    c.sim.runUntil(() => c.leader() !== undefined, 5000);
    const l = c.leader()!;
    expect(c.call(l, 'Nope.Nothing', {}).err).toBe("rpc: can't find method Nope.Nothing");
    expect(c.call(l, 'KVS.Apply', { Op: 'explode', Key: 'x' }).err).toBe("Invalid KVS operation 'explode'");
    expect(c.call(l, 'Catalog.Register', {}).err).toBe('Missing node registration');
  });
});
