/**
 * The network a partition test's agents live on, and the one operation a partition needs: stop
 * the packets from one agent reaching another. Two implementations: network namespaces with veth
 * pairs on a bridge (netns-network.ts, preferred: the kernel drops the packets) and a
 * fault-injecting TCP+UDP proxy in front of every agent (proxy-network.ts, when the machine does
 * not allow namespaces). The test process itself (HTTP API, browser) always reaches every agent.
 */

/** Where agent `n` (1-based) binds, and how to start a process "on" it. */
export interface AgentSlot {
  /** The IP the agent binds its serf, RPC and HTTP sockets to. */
  bindIp: string;
  /** The IP the agent advertises to the others (differs from bindIp behind a proxy). */
  advertiseIp: string;
  /** The IP the test process uses to reach the agent's HTTP API. */
  httpIp: string;
  /** A command prefix that runs a program on this agent's host (e.g. `ip netns exec ns`). */
  wrap: string[];
}

export interface AgentPorts {
  http: number;
  dns: number;
  serfLan: number;
  serfWan: number;
  server: number;
}

export interface PartitionNetwork {
  readonly kind: 'netns' | 'proxy';
  /** A human-readable summary for reports (subnet, bridge, ...). */
  readonly description: string;
  readonly ports: AgentPorts;
  slot(n: number): AgentSlot;
  /** Drops every packet agent `from` sends to agent `to` (one direction). */
  cut(from: number, to: number): Promise<void>;
  /** Tells the network which process is agent `n` (the proxy recognises its TCP dials by it). */
  attachProcess?(n: number, pid: number): void;
  /** Restores every link. */
  heal(): Promise<void>;
  /** The directed links currently cut, as `from->to` pairs. */
  cuts(): string[];
  /** Removes everything the network created (namespaces, links, proxy sockets). */
  destroy(): Promise<void>;
}

/** Cuts `a` off from every agent in `others`, both directions. */
export async function isolate(net: PartitionNetwork, a: number, others: number[]): Promise<void> {
  for (const b of others) {
    await net.cut(a, b);
    await net.cut(b, a);
  }
}
