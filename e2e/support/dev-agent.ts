/**
 * A single-server dev agent in this process (what `consul agent -dev` is: one server that elects
 * itself, in-memory Raft stores), on real sockets on 127.0.0.1 with free ports, serving the real
 * core `/v1` handler through the Node HTTP adapter. Used by the dashboard's browser tests until the
 * agent binary's `npm start` lands.
 */
import { Agent } from '../../core/agent/agent.ts';
import type { AgentRuntime } from '../../core/agent/agent-runtime.ts';
import { createHttpApi } from '../../core/http/http-api.ts';
import { DEFAULT_HTTP_API_OPTIONS } from '../../core/http/api.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import { nullTraceSink } from '../../core/ports/trace.ts';
import { MemoryLogStore, MemorySnapshotStore, MemoryStableStore } from '../../core/raft/memory-storage.ts';
import { devTiming } from '../../core/raft/timing.ts';
import { DEFAULT_NODE_HTTP, startNodeHttp } from '../../server/http/node-http.ts';
import { bindGossipTransports } from '../../server/net/gossip-transports.ts';
import { TcpTransport } from '../../server/net/tcp-transport.ts';
import { secureSeededPrng } from '../../server/runtime/crypto-random.ts';
import { NodeTimeSource } from '../../server/runtime/node-time.ts';

/** A running dev agent: its HTTP address (`127.0.0.1:port`) and how to stop it. */
export interface DevAgent {
  httpAddr: string;
  nodeName: string;
  agent: Agent;
  stop(): Promise<void>;
}

function portOf(address: string): number {
  return Number(address.slice(address.lastIndexOf(':') + 1));
}

/** Starts the agent and resolves once it has elected itself leader. */
export async function startDevAgent(nodeName = 'ui-dev-agent', httpPort = 0): Promise<DevAgent> {
  const gossip = await bindGossipTransports('127.0.0.1', 0, nullLogger);
  const rpc = await TcpTransport.listen('127.0.0.1', 0, nullLogger);
  const serfPort = portOf(gossip.address);
  const serverPort = portOf(rpc.localAddress);
  const defer = (fn: () => void) => setImmediate(fn);
  const rt: AgentRuntime = {
    time: new NodeTimeSource(),
    wall: { unixMs: () => Date.now() },
    random: secureSeededPrng(),
    logger: nullLogger,
    trace: nullTraceSink,
    packet: (port) => {
      if (port !== serfPort) throw new Error(`dev agent: no datagram port ${port}`);
      return gossip.packet;
    },
    stream: (port) => {
      if (port === serfPort) return gossip.stream;
      if (port === serverPort) return rpc;
      throw new Error(`dev agent: no stream port ${port}`);
    },
    logStore: () => new MemoryLogStore(defer),
    stableStore: () => new MemoryStableStore(defer),
    snapshotStore: () => new MemorySnapshotStore(defer),
  };
  const agent = new Agent(
    {
      nodeName,
      nodeId: crypto.randomUUID(),
      datacenter: 'dc1',
      server: true,
      bootstrap: true,
      bootstrapExpect: 0,
      advertiseHost: '127.0.0.1',
      ports: { serfLan: serfPort, server: serverPort },
      raftTiming: devTiming(),
      devMode: true,
      nodeMeta: {},
      version: '1.22.0',
    },
    rt,
  );
  agent.start();
  const api = createHttpApi(agent, { ...DEFAULT_HTTP_API_OPTIONS, devMode: true, uiEnabled: true });
  const http = await startNodeHttp((request, remote) => api.fetch(request, remote), { host: '127.0.0.1', port: httpPort, ...DEFAULT_NODE_HTTP });
  const httpAddr = `127.0.0.1:${http.address.port}`;
  for (let i = 0; i < 200; i++) {
    const leader = await fetch(`http://${httpAddr}/v1/status/leader`).then((r) => r.json() as Promise<string>, () => '');
    if (leader !== '') break;
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    httpAddr,
    nodeName,
    agent,
    stop: async () => {
      await http.close();
      agent.shutdown();
      gossip.packet.close();
      gossip.stream.close();
      rpc.close();
    },
  };
}
