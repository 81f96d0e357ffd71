/**
 * The narrow read interface the resolver needs from the catalog. The agent implements it over the
 * local state store (and over RPC to servers or other datacenters); tests use `MemoryDnsCatalog`.
 * Rows use Consul's JSON field names (reference §1.4) so that state-store rows can be passed as-is.
 */

/** A catalog node (`Node` of a ServiceEntry). */
export interface DnsNode {
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses?: Readonly<Record<string, string>> | null;
  Meta?: Readonly<Record<string, string>> | null;
}

/** A service instance (NodeService: the `Service` of a ServiceEntry). */
export interface DnsNodeService {
  ID: string;
  Service: string;
  Tags?: readonly string[] | null;
  Address?: string;
  TaggedAddresses?: Readonly<Record<string, { address: string; port: number }>> | null;
  Port?: number;
  Weights?: { Passing: number; Warning: number } | null;
  Meta?: Readonly<Record<string, string>> | null;
}

/** A health check, as far as DNS cares. */
export interface DnsCheck {
  CheckID?: string;
  Status: string;
  ServiceID?: string;
}

/** `/v1/health/service` row: the node, the instance, and node + service checks. */
export interface DnsServiceEntry {
  Node: DnsNode;
  Service: DnsNodeService;
  Checks: readonly DnsCheck[];
}

/** Result of executing a prepared query (PreparedQueryExecuteResponse). */
export interface DnsPreparedQueryResult {
  /** The service the query resolved to. */
  Service: string;
  /** Instances already filtered by the query's own health rules and ordered (shuffled or by `Near`). */
  Nodes: readonly DnsServiceEntry[];
  /** The query's `DNS.TTL` as a Go duration ("10s"); empty means "use service_ttl". */
  DNS: { TTL: string };
  /** The datacenter that answered (differs from the asked one after failover). */
  Datacenter: string;
  Failovers: number;
}

/** What a reverse (PTR) lookup found for an IP. */
export type DnsReverseMatch = { kind: 'node'; node: DnsNode } | { kind: 'service'; service: string; datacenter: string };

/** Consistency for each read (`dns_config.allow_stale` / `max_stale`). */
export interface DnsReadOptions {
  allowStale: boolean;
  maxStaleMs: number;
}

/** A value or a promise of it: local reads stay synchronous so cached answers never await. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * Thrown (or rejected) by a read when a datacenter isn't known or reachable: the resolver answers
 * NXDOMAIN, like Consul's "No path to datacenter". Any other error gives SERVFAIL.
 */
export class NoPathToDatacenter extends Error {
  override readonly name = 'NoPathToDatacenter';
  constructor(readonly datacenter: string) {
    super(`No path to datacenter ${datacenter}`);
  }
}

/**
 * The catalog as DNS reads it. Contract for implementers:
 * - Reads may return synchronously or a Promise; errors are thrown/rejected (see NoPathToDatacenter).
 * - ACLs are NOT applied here: the resolver calls its own `canRead` hook on every node and service.
 * - `index(dc)` is a number that changes whenever anything a read for `dc` would return changes
 *   (the local state store's max raft index over nodes, services and checks). The resolver caches
 *   answers per (name, type) until it changes. Return undefined to disable caching for `dc`
 *   (e.g. remote datacenters read over RPC).
 */
export interface DnsCatalog {
  /** The agent's datacenter. */
  readonly datacenter: string;
  index(dc: string): number | undefined;
  /** A node by exact name (Consul node names are case-insensitive for DNS: compare lower-cased). */
  node(name: string, dc: string, opts: DnsReadOptions): MaybePromise<DnsNode | undefined>;
  /**
   * Every instance of `service` (case-insensitive) with its node and checks, unfiltered by health;
   * only those carrying `tag` (case-insensitive) when a tag is given.
   */
  serviceInstances(service: string, tag: string | undefined, dc: string, opts: DnsReadOptions): MaybePromise<readonly DnsServiceEntry[]>;
  /**
   * Executes a prepared query by ID or name (`source` is the client IP, for `Near`); undefined when no
   * such query exists.
   */
  preparedQuery(
    nameOrId: string,
    dc: string,
    source: string | undefined,
    opts: DnsReadOptions,
  ): MaybePromise<DnsPreparedQueryResult | undefined>;
  /** Nodes whose Address (then services whose Address) equals `ip` in the local datacenter. */
  reverse(ip: string, opts: DnsReadOptions): MaybePromise<readonly DnsReverseMatch[]>;
  /** The Consul servers of `dc` (for NS records), as nodes. */
  servers(dc: string, opts: DnsReadOptions): MaybePromise<readonly DnsNode[]>;
}

/** ACL hook: may the agent's DNS token read this node or service? Default: allow. */
export type DnsCanRead = (kind: 'node' | 'service', name: string) => boolean;
