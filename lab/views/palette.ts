import type { GossipStatus, MessageKind, Role } from '../sim-runner/index.ts';

/** Colours of message kinds (dots in flight and filter chips). */
export const KIND_COLOR: Record<MessageKind, string> = {
  vote: '#f59e0b',
  append: '#2563eb',
  heartbeat: '#e03875',
  snapshot: '#7c3aed',
  rpc: '#0891b2',
  ping: '#16a34a',
  ack: '#65a30d',
  suspect: '#dc2626',
  broadcast: '#64748b',
  pushpull: '#0d9488',
};

/** Fill of a node by Raft role. */
export const ROLE_FILL: Record<Role, string> = {
  leader: '#e03875',
  follower: '#1060ff',
  candidate: '#f59e0b',
  client: '#475569',
  down: '#cbd5e1',
};

/** Ring around a node by gossip status. */
export const GOSSIP_RING: Record<GossipStatus, string> = {
  alive: '#16a34a',
  suspect: '#f59e0b',
  dead: '#dc2626',
  left: '#94a3b8',
};

/** Plain-words help for each message kind (filter chip tooltips). */
export const KIND_HELP: Record<MessageKind, string> = {
  vote: 'RequestVote / PreVote and their answers',
  append: 'AppendEntries carrying log entries, and acknowledgements',
  heartbeat: 'Leader heartbeats (empty appends that carry the commit index)',
  snapshot: 'InstallSnapshot for followers too far behind',
  rpc: 'Consul RPC: client requests, forwarding to the leader',
  ping: 'SWIM probes (direct and indirect pings)',
  ack: 'Probe acknowledgements',
  suspect: 'Packets carrying a suspicion',
  broadcast: 'Piggybacked gossip: alive, dead, user events',
  pushpull: 'Full state sync over TCP (join, anti-entropy)',
};
