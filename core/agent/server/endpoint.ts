import type { Command } from '../../fsm/commands.ts';
import type { ServerHealth } from '../../raft/autopilot.ts';
import type { StateStore } from '../../state/store.ts';
import type { Coordinate, QueryResult } from '../../state/types.ts';
import type { RpcRespond } from '../rpc/rpc-server.ts';
import type { KeyringHooks } from './endpoints/keyring.ts';
import type { QueryOptions } from './rpc-types.ts';
import type { ReplicationStatus } from './acl/acl-replication.ts';

/** How a server routes an RPC before running it. */
export type EndpointKind =
  /** Changes replicated state: runs on the leader (forwarded there). */
  | 'write'
  /** Reads replicated state: the leader unless the query allows stale. */
  | 'read'
  /** Answered by whichever server receives it. */
  | 'local';

/** What endpoint implementations may use of their server. */
export interface EndpointContext {
  readonly state: StateStore;
  readonly datacenter: string;
  /** Commits `command` through Raft (on the leader) and calls back with the FSM's result. */
  write(command: Command, respond: RpcRespond): void;
  /** Serves a read with the query's consistency and blocking options. */
  read<T>(query: QueryOptions | undefined, run: () => QueryResult<T>, respond: RpcRespond): void;
  /** Raft details for Status and Operator endpoints. */
  readonly raft: RaftView;
  /** A random UUID in Consul's 8-4-4-4-12 hex form. */
  newUUID(): string;
  /** Datacenters this server can route to, nearest first (its own when not federated). */
  knownDatacenters(): string[];
  /** Starts or resets a session's TTL timer on the leader (create and renew). */
  touchSession(id: string, ttl: string): void;
  /** A float in [0,1) from the server's seeded randomness (prepared-query shuffles). */
  random(): number;
  /** Queues a coordinate for the leader's next batched write (Coordinate.Update). */
  queueCoordinate(update: Coordinate): void;
  /** The server's wall clock in Unix ms (token CreateTime and expiry). */
  wallMs(): number;
  /** ACL settings of this server. */
  readonly acl: ServerAclConfig;
  /** The ACL replicator's status (secondary datacenters' leaders), if replication runs here. */
  aclReplicationStatus(): ReplicationStatus | undefined;
  /** Runs an RPC in datacenter `dc` (this one locally, others over WAN forwarding). */
  callDatacenter(dc: string, method: string, args: Record<string, unknown>, respond: RpcRespond): void;
  /** Gossip key operations through the agent's serf pools (absent on servers without an agent). */
  readonly keyring?: KeyringHooks;
}

/** What servers know of the ACL configuration. */
export interface ServerAclConfig {
  enabled: boolean;
  /** `primary_datacenter`: where ACL objects are written; others replicate them. */
  primaryDatacenter: string;
  /** `acl.enable_token_replication`: secondaries copy global tokens too (else they ask the primary). */
  replicateTokens?: boolean;
  /** `acl.default_policy`, for the ACL endpoints' own checks of the caller's token. */
  defaultPolicy?: 'allow' | 'deny';
  /** `acl.tokens.replication`: what a secondary's leader presents to the primary. */
  replicationToken?: string;
  /** Whether this server can resolve tokens from its own state (primary, or tokens replicated). */
  resolvesLocally?: () => boolean;
  /**
   * The data dir's `acl-bootstrap-reset` file: the reset index an operator wrote to allow one more
   * bootstrap, read and removed by the leader. Absent in runtimes without a data dir.
   */
  bootstrapReset?: { read(): string | undefined; remove(): void };
}

/** The slice of Raft that Status/Operator endpoints show. */
export interface RaftView {
  leaderAddress(): string;
  servers(): Array<{ id: string; name: string; address: string; voter: boolean; leader: boolean }>;
  lastIndex(): number;
  removeServer(id: string, respond: RpcRespond): void;
  transferLeadership(id: string, respond: RpcRespond): void;
  isLeader(): boolean;
  /**
   * The leader's view of every server's health (autopilot), evaluated now against the stored
   * autopilot configuration; undefined on followers. `stableSinceUnixMs` is -1 while unhealthy.
   */
  serverHealth(): { healthy: boolean; failureTolerance: number; servers: Array<ServerHealth & { stableSinceUnixMs: number }> } | undefined;
}

/** One RPC method. `args` comes off the wire: validate what you use. */
export interface Endpoint {
  kind: EndpointKind;
  /**
   * Runs in the primary datacenter (global ACL objects): forwarded there from the others. A
   * function decides per server (ACL reads stay local once tokens are replicated).
   */
  primary?: boolean | ((acl: ServerAclConfig) => boolean);
  handle(ctx: EndpointContext, args: Record<string, unknown>, respond: RpcRespond): void;
}

/** The query options inside an RPC's args (`args.Query`). */
export function queryOf(args: Record<string, unknown>): QueryOptions {
  const q = args.Query;
  return q && typeof q === 'object' ? (q as QueryOptions) : {};
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
