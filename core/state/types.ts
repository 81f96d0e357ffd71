/**
 * Row types of the state store, with Consul's exact JSON field names and casing so that the HTTP
 * layer can serialise rows directly (consul-behaviour.md §1.4). Rows are immutable values: never
 * mutate a row you got from the store.
 *
 * Two fields need care when serialising to JSON:
 * - `KVEntry.Flags` is a uint64 held as a `bigint` so that 3304740253564472344 round-trips exactly.
 *   Consul emits it as a bare JSON number: the HTTP layer must write the bigint's decimal digits
 *   verbatim (e.g. a JSON.stringify replacer that emits a placeholder, then substitutes the digits),
 *   never convert it through `Number`.
 * - `KVEntry.Value` is bytes; JSON carries it base64, and `null` when empty.
 */

/** Consul's raft index pair. */
export interface RaftIndex {
  CreateIndex: number;
  ModifyIndex: number;
}

/** Check status values stored on checks. `maintenance` only appears as an aggregate. */
export type HealthStatus = 'passing' | 'warning' | 'critical';
export const HEALTH_PASSING = 'passing';
export const HEALTH_WARNING = 'warning';
export const HEALTH_CRITICAL = 'critical';
export const HEALTH_MAINT = 'maintenance';
export const HEALTH_ANY = 'any';
/** The Serf health check every agent registers for its node. */
export const SERF_CHECK_ID = 'serfHealth';
export const NODE_MAINT_CHECK_ID = '_node_maintenance';
export const SERVICE_MAINT_CHECK_PREFIX = '_service_maintenance:';

/** A catalog node (structs.Node). */
export interface Node extends RaftIndex {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
}

export interface ServiceAddress {
  address: string;
  port: number;
}

export interface Weights {
  Passing: number;
  Warning: number;
}

/** A service instance as registered on a node (structs.NodeService). */
export interface NodeService extends RaftIndex {
  Kind?: string;
  ID: string;
  Service: string;
  Tags: string[];
  Address: string;
  TaggedAddresses?: Record<string, ServiceAddress>;
  Meta: Record<string, string>;
  Port: number;
  SocketPath?: string;
  Weights: Weights;
  EnableTagOverride: boolean;
  Proxy?: Record<string, unknown>;
  Connect?: Record<string, unknown>;
}

/** Stored services row: the instance plus its node name. */
export interface ServiceRow {
  Node: string;
  Service: NodeService;
}

/** A catalog service row joined with its node (structs.ServiceNode, /v1/catalog/service). */
export interface CatalogService extends RaftIndex {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  NodeMeta: Record<string, string>;
  ServiceKind: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  ServiceAddress: string;
  ServiceTaggedAddresses?: Record<string, ServiceAddress>;
  ServiceWeights: Weights;
  ServiceMeta: Record<string, string>;
  ServicePort: number;
  ServiceSocketPath: string;
  ServiceEnableTagOverride: boolean;
  ServiceProxy: Record<string, unknown>;
  ServiceConnect: Record<string, unknown>;
}

/** A health check (structs.HealthCheck). */
export interface HealthCheck extends RaftIndex {
  Node: string;
  CheckID: string;
  Name: string;
  Status: HealthStatus;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[];
  Type: string;
  Interval: string;
  Timeout: string;
  ExposedPort: number;
  Definition: Record<string, unknown>;
}

/** /v1/health/service entry. */
export interface ServiceEntry {
  Node: Node;
  Service: NodeService;
  Checks: HealthCheck[];
}

/** A KV entry (structs.DirEntry / api.KVPair). `Session` is "" when unlocked. */
export interface KVEntry extends RaftIndex {
  LockIndex: number;
  Key: string;
  Flags: bigint;
  Value: Uint8Array;
  Session: string;
}

/** A deleted key remembered so that blocking queries on it, and prefix indexes, still advance. */
export interface Tombstone {
  Key: string;
  Index: number;
}

/** Lock-delay window of a key, in leader-stamped unix milliseconds. Internal, not an API shape. */
export interface LockDelay {
  Key: string;
  Expires: number;
}

export interface ServiceCheckRef {
  ID: string;
  Namespace: string;
}

export type SessionBehavior = 'release' | 'delete';

/** A session (structs.Session). LockDelay is in nanoseconds; TTL a Go duration string or "". */
export interface Session extends RaftIndex {
  ID: string;
  Name: string;
  Node: string;
  /** Legacy union of node and service check IDs; omitted when it is only serfHealth (1.7+). */
  Checks?: string[];
  NodeChecks: string[];
  ServiceChecks: ServiceCheckRef[] | null;
  LockDelay: number;
  Behavior: SessionBehavior;
  TTL: string;
}

export interface ACLLink {
  ID: string;
  Name: string;
}

/** ACL token, stored as given (the ACL logic lives elsewhere). */
export interface ACLToken extends RaftIndex {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies: ACLLink[];
  Roles: ACLLink[];
  ServiceIdentities?: Array<{ ServiceName: string; Datacenters?: string[] }>;
  NodeIdentities?: Array<{ NodeName: string; Datacenter: string }>;
  Local: boolean;
  CreateTime: string;
  ExpirationTime?: string;
  Hash: string;
}

export interface ACLPolicy extends RaftIndex {
  ID: string;
  Name: string;
  Description: string;
  Rules: string;
  Datacenters: string[] | null;
  Hash: string;
}

export interface ACLRole extends RaftIndex {
  ID: string;
  Name: string;
  Description: string;
  Policies: ACLLink[];
  ServiceIdentities?: Array<{ ServiceName: string; Datacenters?: string[] }>;
  NodeIdentities?: Array<{ NodeName: string; Datacenter: string }>;
  Hash: string;
}

/** A prepared query. Consul nests its indexes under RaftIndex for this type. */
export interface PreparedQuery {
  ID: string;
  Name: string;
  Session: string;
  Token: string;
  Service: Record<string, unknown>;
  DNS: { TTL: string };
  Template?: { Type: string; Regexp: string; RemoveEmptyTags: boolean };
  RaftIndex: RaftIndex;
}

export interface Coord {
  Vec: number[];
  Error: number;
  Adjustment: number;
  Height: number;
}

/** A network coordinate of one node (and segment). */
export interface Coordinate {
  Node: string;
  Segment: string;
  Coord: Coord;
}

/** Autopilot configuration (one row). */
export interface AutopilotConfig extends RaftIndex {
  CleanupDeadServers: boolean;
  LastContactThreshold: string;
  MaxTrailingLogs: number;
  MinQuorum: number;
  ServerStabilizationTime: string;
  RedundancyZoneTag: string;
  DisableUpgradeMigration: boolean;
  UpgradeVersionTag: string;
}

/** Consul's defaults for the autopilot configuration. */
export const DEFAULT_AUTOPILOT: Omit<AutopilotConfig, 'CreateIndex' | 'ModifyIndex'> = {
  CleanupDeadServers: true,
  LastContactThreshold: '200ms',
  MaxTrailingLogs: 250,
  MinQuorum: 0,
  ServerStabilizationTime: '10s',
  RedundancyZoneTag: '',
  DisableUpgradeMigration: false,
  UpgradeVersionTag: '',
};

/** One system metadata entry. */
export interface SystemMetadataEntry extends RaftIndex {
  Key: string;
  Value: string;
}

/** A query result with the index to report (X-Consul-Index) and what to watch for a change. */
export interface QueryResult<T> {
  index: number;
  value: T;
  watch: import('./watch.ts').WatchSet;
}
