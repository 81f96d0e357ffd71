/**
 * Consul's JSON shapes as the /v1 API returns them (PascalCase, as in reference §1.4). Fields the
 * agent may omit are optional; lists the agent may send as `null` are typed so.
 */

/** A check's status. `maintenance`/`any` only exist as filters, never on a check. */
export type HealthStatus = 'passing' | 'warning' | 'critical';

/** `/v1/health/*`, `/v1/internal/ui/node*` check entries (structs.HealthCheck). */
export interface HealthCheck {
  Node: string;
  CheckID: string;
  Name: string;
  Status: HealthStatus;
  Notes: string;
  Output: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[] | null;
  Type: string;
  Interval?: string;
  Timeout?: string;
  ExposedPort?: number;
  Definition?: Record<string, unknown>;
  CreateIndex: number;
  ModifyIndex: number;
}

/** A service's lower-case tagged address (`{address, port}`), the one lower-case shape. */
export interface ServiceAddress {
  address: string;
  port: number;
}

/** structs.NodeService: a service instance on a node. */
export interface NodeService {
  Kind?: string;
  ID: string;
  Service: string;
  Tags: string[] | null;
  Address: string;
  TaggedAddresses?: Record<string, ServiceAddress> | null;
  Meta: Record<string, string> | null;
  Port?: number;
  SocketPath?: string;
  Weights?: { Passing: number; Warning: number };
  EnableTagOverride?: boolean;
  PeerName?: string;
  Datacenter?: string;
  CreateIndex?: number;
  ModifyIndex?: number;
}

/** structs.Node (catalog nodes, ServiceEntry.Node). */
export interface CatalogNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string> | null;
  Meta: Record<string, string> | null;
  PeerName?: string;
  CreateIndex?: number;
  ModifyIndex?: number;
}

/** `/v1/internal/ui/nodes` and `/v1/internal/ui/node/:node`: a node with its services and checks. */
export interface NodeInfo extends CatalogNode {
  Services: NodeService[] | null;
  Checks: HealthCheck[] | null;
}

/** `/v1/health/service/:name` entries. */
export interface ServiceEntry {
  Node: CatalogNode;
  Service: NodeService;
  Checks: HealthCheck[] | null;
}

/** `/v1/internal/ui/services` entries (agent/ui_endpoint.go ServiceListingSummary). */
export interface ServiceListingSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[] | null;
  Nodes: string[] | null;
  ExternalSources: string[] | null;
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  ConnectedWithProxy?: boolean;
  ConnectedWithGateway?: boolean;
  PeerName?: string;
}

/** A KV entry; `Value` is base64 or null for an empty value. */
export interface KVPair {
  Key: string;
  Value: string | null;
  Flags: number;
  LockIndex: number;
  Session?: string;
  CreateIndex: number;
  ModifyIndex: number;
}

/** A session (`/v1/session/*`). `LockDelay` is in nanoseconds. */
export interface Session {
  ID: string;
  Name: string;
  Node: string;
  LockDelay: number;
  Behavior: 'release' | 'delete';
  TTL: string;
  NodeChecks?: string[] | null;
  ServiceChecks?: { ID: string; Namespace?: string }[] | null;
  Checks?: string[] | null;
  CreateIndex: number;
  ModifyIndex: number;
}

/** A Vivaldi network coordinate (seconds). */
export interface Coord {
  Vec: number[];
  Error: number;
  Adjustment: number;
  Height: number;
}

/** `/v1/coordinate/nodes` entries. */
export interface NodeCoordinate {
  Node: string;
  Segment: string;
  Coord: Coord;
}
