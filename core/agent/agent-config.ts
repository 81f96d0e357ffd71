import type { RaftTiming } from '../raft/timing.ts';

/** The part of the agent's configuration the core acts on (server/ builds it from flags and files). */
export interface AgentConfig {
  nodeName: string;
  nodeId: string;
  datacenter: string;
  /** Run as a server (Raft member) rather than a client. */
  server: boolean;
  /** `-bootstrap`: elect this server alone. */
  bootstrap: boolean;
  /** `-bootstrap-expect`: wait for this many servers in the LAN pool, then bootstrap together. */
  bootstrapExpect: number;
  /** The address other agents reach this one at (host part of every advertised address). */
  advertiseHost: string;
  /** `serfWan` 0 (or absent) disables the WAN pool; only servers join it. */
  ports: { serfLan: number; server: number; serfWan?: number };
  raftTiming: RaftTiming;
  /** `raft_snapshot_threshold`: applied entries between snapshots (Consul's default 16384). */
  raftSnapshotThreshold?: number;
  /** `raft_trailing_logs`: log entries kept behind a snapshot for slow followers (default 10240). */
  raftTrailingLogs?: number;
  devMode: boolean;
  /** `node_meta`. */
  nodeMeta: Record<string, string>;
  /**
   * Serf/memberlist overrides (the simulator and tests shorten intervals). `compression: false`
   * turns off memberlist's LZW compression (Consul leaves it on; the in-browser lab turns it off to
   * save CPU, and the packets stay valid memberlist wire format: compression is an optional wrapper).
   */
  gossip?: { probeIntervalMs?: number; gossipIntervalMs?: number; reapIntervalMs?: number; reconcileIntervalMs?: number; coordinateSyncMinMs?: number; autopilotIntervalMs?: number; compression?: boolean };
  /** Consul's version string shown in tags and /v1/agent/self. */
  version: string;
  /** ae_interval (default 1 min). */
  antiEntropyIntervalMs?: number;
  /** enable_script_checks: may API-registered checks run scripts? */
  enableScriptChecks?: boolean;
  /** enable_local_script_checks: may checks from config files run scripts? */
  enableLocalScriptChecks?: boolean;
  /** The `acl` block (ACLs are off when absent or not enabled). */
  acl?: AgentAclConfig;
  /**
   * Gossip encryption (`encrypt`, the keyring files): the LAN and WAN keyrings, primary first. Empty
   * key lists leave that pool unencrypted (key operations then fail as in Consul). Absent: no
   * encryption at all.
   */
  gossipEncryption?: GossipEncryption;
}

/** Tokens an agent holds (`acl.tokens`), settable at run time through `/v1/agent/token/<kind>`. */
export interface AgentTokens {
  /** Used by requests that carry no token (before the anonymous token). */
  default: string;
  /** The agent's own identity for its internal operations. */
  agent: string;
  /** Lets the agent's own endpoints work when servers are unreachable. */
  agentRecovery: string;
  replication: string;
  configFileServiceRegistration: string;
  dns: string;
}

export interface AgentAclConfig {
  enabled: boolean;
  defaultPolicy: 'allow' | 'deny';
  /** extend-cache (default), async-cache, allow or deny. */
  downPolicy: 'allow' | 'deny' | 'extend-cache' | 'async-cache';
  /** `acl.token_ttl` (30 s). */
  tokenTtlMs: number;
  /** `primary_datacenter`: where ACL objects live (defaults to this agent's datacenter). */
  primaryDatacenter: string;
  /** `acl.enable_token_replication`. */
  enableTokenReplication?: boolean;
  /** `acl.tokens.initial_management`: created by the primary's leader. */
  initialManagement: string;
  tokens: AgentTokens;
}

/** Keys and verification flags of gossip encryption (Consul's encrypt_verify_incoming/outgoing). */
export interface GossipEncryption {
  lanKeys: Uint8Array[];
  wanKeys: Uint8Array[];
  /** false accepts plaintext gossip too (a rolling upgrade from an unencrypted pool). */
  verifyIncoming: boolean;
  /** false sends plaintext gossip (first step of that upgrade). */
  verifyOutgoing: boolean;
}

/** Consul's `serfHealth` check texts (agent/consul/leader.go). */
export const SERF_HEALTH = {
  id: 'serfHealth',
  name: 'Serf Health Status',
  alive: 'Agent alive and reachable',
  failed: 'Agent not live or unreachable',
} as const;
