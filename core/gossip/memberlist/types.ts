/** Types shared by memberlist's state machine and its delegates. */

export type NodeStatus = 'alive' | 'suspect' | 'dead' | 'left';

/** What memberlist knows about one node (Go's nodeState). */
export interface NodeState {
  name: string;
  /** Host as wire bytes (IPv4/IPv6, or a simulator host name). */
  addr: Uint8Array;
  port: number;
  /** `host:port`, for the transports. */
  address: string;
  meta: Uint8Array;
  incarnation: number;
  state: NodeStatus;
  /** Local clock time of the last state change (ms). */
  stateChange: number;
  pmin: number;
  pmax: number;
  pcur: number;
  dmin: number;
  dmax: number;
  dcur: number;
}

/** The application layer above memberlist (serf). All calls are synchronous. */
export interface MemberlistDelegate {
  /** Metadata for our alive message, at most `limit` bytes. */
  nodeMeta(limit: number): Uint8Array;
  /** A user message arrived (packet or stream). */
  notifyMsg(msg: Uint8Array): void;
  /** Piggybacked user broadcasts that fit in `limit` bytes counting `overhead` per message. */
  getBroadcasts(overhead: number, limit: number): Uint8Array[];
  /** State to send in a push-pull. */
  localState(join: boolean): Uint8Array;
  /** State received in a push-pull. */
  mergeRemoteState(buf: Uint8Array, join: boolean): void;
}

/** Membership changes. */
export interface EventDelegate {
  notifyJoin(node: NodeState): void;
  notifyLeave(node: NodeState): void;
  notifyUpdate(node: NodeState): void;
}

/** Ack payloads and RTT measurements (serf carries coordinates here). */
export interface PingDelegate {
  ackPayload(): Uint8Array;
  notifyPingComplete(node: NodeState, rttMs: number, payload: Uint8Array): void;
}

/** Two nodes claim the same name with different addresses. */
export interface ConflictDelegate {
  notifyConflict(existing: NodeState, other: NodeState): void;
}
