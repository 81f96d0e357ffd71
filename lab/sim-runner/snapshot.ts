import type { GossipStatus } from './gossip-views.ts';
import type { LabMessage } from './message-tap.ts';

/** A node's role as the topology draws it. */
export type Role = 'leader' | 'follower' | 'candidate' | 'client' | 'down';

/** One node at one instant: what the topology and coordinate map show. */
export interface NodeSnapshot {
  id: string;
  dc: string;
  server: boolean;
  /** The simulator's status of the machine. */
  status: 'up' | 'paused' | 'crashed' | 'stopped';
  role: Role;
  term: number;
  commit: number;
  lastIndex: number;
  applied: number;
  /** The leader this server follows (node name), if it knows one. */
  leader: string | undefined;
  /** The most severe view its peers hold of it, and how many hold suspect/dead. */
  gossip: GossipStatus;
  suspectedBy: number;
  deadBy: number;
  /** Its Vivaldi coordinate projected on the first two dimensions (seconds), with height. */
  coord: { x: number; y: number; height: number; error: number } | undefined;
}

/** The whole cluster at one instant of virtual time. */
export interface ClusterSnapshot {
  now: number;
  seed: number;
  traceHash: string;
  traceEvents: number;
  nodes: NodeSnapshot[];
  /** Per datacenter, the leader most servers follow (undefined while there is none). */
  leaders: Record<string, string | undefined>;
  inFlight: LabMessage[];
}

/** One Raft log entry as the node panel lists it. */
export interface LogEntryView {
  index: number;
  term: number;
  committed: boolean;
  /** e.g. `kvs set greeting`, `register c1`, `noop`, `config`. */
  label: string;
}

/** A node's own membership view: every member its gossip knows, with state and incarnation. */
export interface MemberView {
  name: string;
  status: GossipStatus;
  incarnation: number;
  /** Serf's view (alive, leaving, left, failed) and tags role. */
  serfStatus: string;
  server: boolean;
}

/** Everything the per-node panel shows. */
export interface NodeDetail extends NodeSnapshot {
  log: LogEntryView[];
  firstIndex: number;
  snapshotIndex: number;
  members: MemberView[];
  wanMembers: MemberView[];
  services: string[];
  /** On a leader: each follower's match index. */
  progress: Array<{ node: string; match: number; next: number }>;
}
