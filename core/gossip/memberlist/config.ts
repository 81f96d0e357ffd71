/**
 * memberlist's configuration, with its three default profiles (hashicorp/memberlist config.go).
 * Durations are milliseconds.
 */

export interface MemberlistConfig {
  /** Unique node name in the pool. */
  name: string;
  /** memberlist protocol version spoken (ProtocolVersion2Compatible = 2 by default). */
  protocolVersion: number;
  /** Delegate (serf) protocol versions advertised in Vsn. */
  delegateProtocolVersion: number;
  delegateProtocolMin: number;
  delegateProtocolMax: number;
  tcpTimeout: number;
  indirectChecks: number;
  retransmitMult: number;
  suspicionMult: number;
  suspicionMaxTimeoutMult: number;
  pushPullInterval: number;
  probeTimeout: number;
  probeInterval: number;
  disableTcpPings: boolean;
  awarenessMaxMultiplier: number;
  gossipNodes: number;
  gossipInterval: number;
  gossipToTheDeadTime: number;
  /** Reject unencrypted traffic when a keyring is set (checked at the edge). */
  gossipVerifyIncoming: boolean;
  gossipVerifyOutgoing: boolean;
  /** LZW-compress outgoing packets when smaller (Serf's default is on). */
  enableCompression: boolean;
  udpBufferSize: number;
  handoffQueueDepth: number;
  /** Time after which a dead node's address may be reclaimed by another name (0 = never). */
  deadNodeReclaimTime: number;
}

/** DefaultLANConfig: probe 1 s, probe timeout 500 ms, gossip 200 ms to 3 nodes, push-pull 30 s. */
export function defaultLanConfig(name: string): MemberlistConfig {
  return {
    name,
    protocolVersion: 2,
    delegateProtocolVersion: 0,
    delegateProtocolMin: 0,
    delegateProtocolMax: 0,
    tcpTimeout: 10_000,
    indirectChecks: 3,
    retransmitMult: 4,
    suspicionMult: 4,
    suspicionMaxTimeoutMult: 6,
    pushPullInterval: 30_000,
    probeTimeout: 500,
    probeInterval: 1_000,
    disableTcpPings: false,
    awarenessMaxMultiplier: 8,
    gossipNodes: 3,
    gossipInterval: 200,
    gossipToTheDeadTime: 30_000,
    gossipVerifyIncoming: true,
    gossipVerifyOutgoing: true,
    enableCompression: true,
    udpBufferSize: 1400,
    handoffQueueDepth: 1024,
    deadNodeReclaimTime: 0,
  };
}

/** DefaultWANConfig: tuned for higher latency between datacenters. */
export function defaultWanConfig(name: string): MemberlistConfig {
  return {
    ...defaultLanConfig(name),
    tcpTimeout: 30_000,
    suspicionMult: 6,
    pushPullInterval: 60_000,
    probeTimeout: 3_000,
    probeInterval: 5_000,
    gossipNodes: 4,
    gossipInterval: 500,
    gossipToTheDeadTime: 60_000,
  };
}

/** DefaultLocalConfig: loopback or one host; fast timeouts. */
export function defaultLocalConfig(name: string): MemberlistConfig {
  return {
    ...defaultLanConfig(name),
    tcpTimeout: 1_000,
    indirectChecks: 1,
    retransmitMult: 2,
    suspicionMult: 3,
    pushPullInterval: 15_000,
    probeTimeout: 200,
    probeInterval: 1_000,
    gossipInterval: 100,
    gossipToTheDeadTime: 15_000,
  };
}

/** suspicionTimeout: suspicionMult * max(1, log10(max(1, n))) * interval (ms, truncated as Go does). */
export function suspicionTimeout(suspicionMult: number, n: number, intervalMs: number): number {
  const nodeScale = Math.max(1, Math.log10(Math.max(1, n)));
  return (suspicionMult * Math.floor(nodeScale * 1000) * intervalMs) / 1000;
}

/** retransmitLimit: retransmitMult * ceil(log10(n + 1)). */
export function retransmitLimit(retransmitMult: number, n: number): number {
  return retransmitMult * Math.ceil(Math.log10(n + 1));
}

const PUSH_PULL_SCALE_THRESHOLD = 32;

/** pushPullScale: the push-pull interval grows with log2 of the pool beyond 32 nodes. */
export function pushPullScale(intervalMs: number, n: number): number {
  if (n <= PUSH_PULL_SCALE_THRESHOLD) return intervalMs;
  const multiplier = Math.ceil(Math.log2(n) - Math.log2(PUSH_PULL_SCALE_THRESHOLD)) + 1;
  return multiplier * intervalMs;
}
