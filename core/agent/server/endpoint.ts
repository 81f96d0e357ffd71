import type { RpcRespond } from '../rpc/rpc-server.ts';
import type { Command } from '../../fsm/commands.ts';
import type { StateStore } from '../../state/store.ts';
import type { QueryResult } from '../../state/types.ts';
import type { QueryOptions } from './rpc-types.ts';

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
}

/** The slice of Raft that Status/Operator endpoints show. */
export interface RaftView {
  leaderAddress(): string;
  servers(): Array<{ id: string; address: string; voter: boolean; leader: boolean }>;
  lastIndex(): number;
  removeServer(id: string, respond: RpcRespond): void;
  transferLeadership(id: string, respond: RpcRespond): void;
  isLeader(): boolean;
}

/** One RPC method. `args` comes off the wire: validate what you use. */
export interface Endpoint {
  kind: EndpointKind;
  handle(ctx: EndpointContext, args: Record<string, unknown>, respond: RpcRespond): void;
}

/** The query options inside an RPC's args (`args.Query`). */
export function queryOf(args: Record<string, unknown>): QueryOptions {
  const q = args.Query;
  return q && typeof q === 'object' ? (q as QueryOptions) : {};
}

export const str = (v: unknown): string => (typeof v === 'string' ? v : '');
