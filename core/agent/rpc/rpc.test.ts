import { describe, expect, it } from 'vitest';
import { Simulation } from '../../sim/simulation.ts';
import type { NodeEnv } from '../../sim/sim-node.ts';
import { nullLogger } from '../../ports/logger.ts';
import { RpcType } from './codec.ts';
import { RpcClient } from './rpc-client.ts';
import type { RpcError } from './rpc-errors.ts';
import { RpcServer } from './rpc-server.ts';
import { StreamMux } from './stream-mux.ts';

/** A server answering `Echo` at once and `Slow` never; a client node with an RpcClient. */
function world(network = {}) {
  const sim = new Simulation({ seed: 9, network });
  const raftStreams: string[] = [];
  sim.addNode({
    id: 's1',
    start: (env: NodeEnv) => {
      const mux = new StreamMux(env.stream(8300));
      const server = new RpcServer((method, args, respond) => {
        if (method === 'Echo') respond(undefined, { echoed: args });
        else if (method === 'Fail') respond('No path to datacenter');
        else if (method !== 'Slow') respond(`rpc: can't find method ${method}`);
      }, nullLogger);
      mux.handle(RpcType.Consul, (s) => server.serve(s));
      mux.handle(RpcType.Raft, (s) => s.onData((c) => raftStreams.push(new TextDecoder().decode(c))));
      return {};
    },
  });
  sim.addNode({ id: 'c1', start: (env: NodeEnv) => ({ client: new RpcClient(env.stream(1), env.time, 1000), env }) });
  const client = () => (sim.node<{ client: RpcClient }>('c1').process as { client: RpcClient }).client;
  return { sim, client, raftStreams };
}

describe('RPC over the stream mux', () => {
  it('calls methods, multiplexes on one connection and carries uint64 values', () => {
    const { sim, client } = world({ splitChunks: 0.5 });
    const replies: unknown[] = [];
    for (let i = 0; i < 10; i++) client().call('s1:8300', 'Echo', { i, flags: 3304740253564472344n }, (err, r) => replies.push(err ?? r));
    sim.runFor(100);
    expect(replies).toHaveLength(10);
    expect(replies[3]).toEqual({ echoed: { i: 3, flags: 3304740253564472344n } });
    expect(sim.trace.recent(1000).filter((l) => l.includes('stream.open')).length).toBe(1);
  });

  it('reports remote errors verbatim and times out silent calls', () => {
    const { sim, client } = world();
    const errors: RpcError[] = [];
    client().call('s1:8300', 'Fail', {}, (err) => err && errors.push(err));
    client().call('s1:8300', 'Slow', {}, (err) => err && errors.push(err));
    sim.runFor(2000);
    expect(errors.map((e) => [e.kind, e.message])).toEqual([
      ['remote', 'No path to datacenter'],
      ['timeout', 'rpc error: timeout calling Slow'],
    ]);
  });

  it('fails pending calls when the server crashes, then reconnects after restart', () => {
    const { sim, client } = world();
    const results: string[] = [];
    client().call('s1:8300', 'Slow', {}, (err) => results.push(err?.kind ?? 'ok'));
    sim.runFor(10);
    sim.crash('s1');
    sim.runFor(50);
    expect(results).toEqual(['connection']);
    sim.start('s1');
    client().call('s1:8300', 'Echo', 1, (err) => results.push(err?.kind ?? 'ok'));
    sim.runFor(50);
    expect(results).toEqual(['connection', 'ok']);
  });

  it('routes other protocol bytes to their handlers', () => {
    const { sim, raftStreams } = world();
    const env = (sim.node<{ env: NodeEnv }>('c1').process as { env: NodeEnv }).env;
    const s = env.stream(2).dial('s1:8300');
    s.write(new Uint8Array([RpcType.Raft, 104, 105]));
    sim.runFor(50);
    expect(raftStreams).toEqual(['hi']);
  });
});
