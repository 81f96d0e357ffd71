import type { AgentConfig } from '../../core/agent/agent-config.ts';
import { consulTiming } from '../../core/raft/timing.ts';

/** One datacenter of the lab: how many servers (Raft voters) and clients (gossip only). */
export interface DatacenterSpec {
  name: string;
  servers: number;
  clients: number;
}

/** A whole lab cluster. The seed decides everything else. */
export interface ClusterSpec {
  seed: number;
  datacenters: DatacenterSpec[];
  /** Intra-datacenter one-way latency in ms (mean); the lab slows the LAN down so it can be watched. */
  lanLatencyMs?: number;
  /** Between datacenters. */
  wanLatencyMs?: number;
  /** Raft log entries between snapshots (small in the snapshot lesson), and entries kept behind one. */
  snapshotThreshold?: number;
  trailingLogs?: number;
  /**
   * memberlist's LZW compression of gossip packets and push-pull streams. Consul leaves it on; the
   * lab turns it off by default (`compress=1` in the URL turns it on) because compressing and
   * decompressing every packet of 1,000 in-tab agents was a quarter of the CPU. The messages are the
   * same memberlist wire format either way: compression is an optional wrapper around them.
   */
  gossipCompression?: boolean;
}

/** One node as the lab lays it out. */
export interface LabNodeSpec {
  id: string;
  dc: string;
  server: boolean;
  /** Position among its datacenter's servers or clients (0-based). */
  index: number;
}

export const DEFAULT_SPEC: ClusterSpec = { seed: 1, datacenters: [{ name: 'dc1', servers: 3, clients: 2 }] };

const MAX_NODES = 2000;

/** Node ids: `s1`, `c1` with one datacenter; `dc2-s1` style when there are several. */
export function nodesOf(spec: ClusterSpec): LabNodeSpec[] {
  const many = spec.datacenters.length > 1;
  const out: LabNodeSpec[] = [];
  for (const dc of spec.datacenters) {
    const prefix = many ? `${dc.name}-` : '';
    for (let i = 0; i < dc.servers; i++) out.push({ id: `${prefix}s${i + 1}`, dc: dc.name, server: true, index: i });
    for (let i = 0; i < dc.clients; i++) out.push({ id: `${prefix}c${i + 1}`, dc: dc.name, server: false, index: i });
  }
  return out;
}

/** Checks a spec and says what is wrong in words (bad URL parameters must not start a broken lab). */
export function validateSpec(spec: ClusterSpec): void {
  if (!Number.isSafeInteger(spec.seed) || spec.seed < 0) throw new Error(`seed must be a non-negative integer, got ${spec.seed}`);
  if (spec.datacenters.length === 0) throw new Error('at least one datacenter is needed');
  const names = new Set<string>();
  let total = 0;
  for (const dc of spec.datacenters) {
    if (!/^[a-z0-9][a-z0-9-]{0,30}$/.test(dc.name)) throw new Error(`bad datacenter name "${dc.name}"`);
    if (names.has(dc.name)) throw new Error(`datacenter ${dc.name} appears twice`);
    names.add(dc.name);
    if (!Number.isInteger(dc.servers) || dc.servers < 1 || dc.servers > 15) throw new Error(`${dc.name}: servers must be 1..15`);
    if (!Number.isInteger(dc.clients) || dc.clients < 0) throw new Error(`${dc.name}: clients must be 0 or more`);
    total += dc.servers + dc.clients;
  }
  if (total > MAX_NODES) throw new Error(`at most ${MAX_NODES} nodes, asked for ${total}`);
}

/**
 * Reads a spec from URL search parameters: `seed=N`, `dcs=2`, `servers=3`, `clients=2`, or a full
 * `layout=dc1:3:2,dc2:3:0`. Unknown or bad values throw with a message the page shows.
 */
export function specFromParams(params: URLSearchParams): ClusterSpec {
  const seedText = params.get('seed');
  const seed = seedText === null ? DEFAULT_SPEC.seed : Number(seedText);
  let datacenters: DatacenterSpec[];
  const layout = params.get('layout');
  if (layout) {
    datacenters = layout.split(',').map((part) => {
      const [name, s, c] = part.split(':');
      return { name: name ?? '', servers: Number(s ?? 3), clients: Number(c ?? 0) };
    });
  } else {
    const dcs = Number(params.get('dcs') ?? 1);
    const servers = Number(params.get('servers') ?? 3);
    const clients = Number(params.get('clients') ?? 2);
    if (!Number.isInteger(dcs) || dcs < 1 || dcs > 10) throw new Error('dcs must be 1..10');
    datacenters = Array.from({ length: dcs }, (_, i) => ({ name: `dc${i + 1}`, servers, clients }));
  }
  const spec: ClusterSpec = { seed, datacenters };
  const compress = params.get('compress');
  if (compress !== null) {
    if (compress !== '0' && compress !== '1') throw new Error('compress must be 0 or 1');
    spec.gossipCompression = compress === '1';
  }
  validateSpec(spec);
  return spec;
}

/** The agent configuration of one lab node: Consul's production Raft timing at multiplier 1, watchable gossip. */
export function agentConfigFor(node: LabNodeSpec, spec: ClusterSpec, serial: number): AgentConfig {
  const dc = spec.datacenters.find((d) => d.name === node.dc);
  const wan = spec.datacenters.length > 1;
  return {
    nodeName: node.id,
    nodeId: `00000000-0000-4000-8000-${serial.toString(16).padStart(12, '0')}`,
    datacenter: node.dc,
    server: node.server,
    bootstrap: false,
    bootstrapExpect: node.server ? (dc?.servers ?? 1) : 0,
    advertiseHost: node.id,
    ports: wan && node.server ? { serfLan: 8301, server: 8300, serfWan: 8302 } : { serfLan: 8301, server: 8300 },
    raftTiming: consulTiming(1),
    devMode: false,
    nodeMeta: {},
    gossip: { probeIntervalMs: 1000, gossipIntervalMs: 200, reconcileIntervalMs: 2000, coordinateSyncMinMs: 2000, compression: spec.gossipCompression ?? false },
    version: '1.22.0',
    antiEntropyIntervalMs: 30_000,
    raftSnapshotThreshold: spec.snapshotThreshold,
    raftTrailingLogs: spec.trailingLogs,
  };
}
