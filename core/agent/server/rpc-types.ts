/**
 * Shapes of the internal server RPCs (Consul's structs.QueryOptions / QueryMeta in spirit). These
 * cross the wire between agents and servers as msgpack; the HTTP layer fills and reads them.
 */

export type ReadMode = 'default' | 'stale' | 'consistent';

/** Options of every read RPC. Durations in milliseconds. */
export interface QueryOptions {
  Datacenter?: string;
  Token?: string;
  MinQueryIndex?: number;
  MaxQueryTimeMs?: number;
  Mode?: ReadMode;
  /** With `stale`: if this server's last contact with the leader is older, ask the leader. */
  MaxStaleMs?: number;
  Filter?: string;
  /**
   * Local only: fires when the caller has gone away, so a blocking query stops waiting. Set with
   * `withAbandon` as a non-enumerable property, so it is never encoded when the RPC is forwarded
   * (a forwarded query waits on its server until its own wait runs out, as in Consul).
   */
  readonly Abandon?: AbortSignal;
}

/** `query` with `signal` attached as its (non-enumerable, never sent) `Abandon`. */
export function withAbandon<Q extends QueryOptions>(query: Q, signal: AbortSignal): Q {
  Object.defineProperty(query, 'Abandon', { value: signal, enumerable: false });
  return query;
}

/** What every read RPC returns around its value. */
export interface QueryReply<T> {
  Index: number;
  KnownLeader: boolean;
  LastContact: number;
  Mode: ReadMode;
  Value: T;
  /** ACLs removed rows from Value (Consul's QueryMeta.ResultsFilteredByACLs). */
  FilteredByACLs?: boolean;
}

/** Options of every write RPC. */
export interface WriteOptions {
  Datacenter?: string;
  Token?: string;
}

/** Consul's error strings that clients match on (structs/errors.go). */
export const ERR_NO_LEADER = 'No cluster leader';
/** What an abandoned blocking query answers (to nobody: its caller has gone). */
export const ERR_ABANDONED = 'blocking query abandoned: the caller went away';
export const ERR_NO_DC_PATH = 'No path to datacenter';
export const ERR_NOT_READY = 'Not ready to serve consistent reads';
