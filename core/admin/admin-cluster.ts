/**
 * "A cluster to administer": the one interface behind the admin API (admin/router.ts). The tRPC
 * router validates input, calls these methods and maps {@link AdminError} to tRPC error codes, so
 * every implementation gets the same procedures, types and errors:
 *
 * - over a real agent: core/admin/v1-cluster.ts, on the agent's own `/v1` handler (so the ACL token
 *   goes through the same authorization as the HTTP API);
 * - over the browser lab's simulated cluster (core/sim), by the lab.
 *
 * One instance serves one caller: it is created per request with that caller's token
 * ({@link AdminClusterFactory}). Objects from Consul's own JSON (catalog, health, sessions) keep
 * Consul's field names; admin aggregates (overview, members, raft, KV, events) are camelCase.
 * See core/admin/README.md.
 */
import type { AutopilotConfig } from '../state/types.ts';

/** tRPC's error codes that the admin API uses (a subset of TRPC_ERROR_CODE_KEY). */
export type AdminErrorCode =
  | 'BAD_REQUEST'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'METHOD_NOT_SUPPORTED'
  | 'CONFLICT'
  | 'PRECONDITION_FAILED'
  | 'PAYLOAD_TOO_LARGE'
  | 'TOO_MANY_REQUESTS'
  | 'INTERNAL_SERVER_ERROR';

/** A failure with Consul's message text and the tRPC code it maps to. */
export class AdminError extends Error {
  constructor(
    readonly code: AdminErrorCode,
    message: string,
    /** The HTTP status Consul answered with, when the failure came from an HTTP API. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'AdminError';
  }
}

/** Who is calling: the ACL token, if any, and a signal that fires when the caller goes away. */
export interface AdminAuth {
  readonly token?: string | undefined;
  readonly signal?: AbortSignal | undefined;
}

/** Makes the cluster view for one caller. */
export type AdminClusterFactory = (auth: AdminAuth) => AdminCluster;

/** Serf's member status, by name (hashicorp/serf MemberStatus). */
export type MemberStatus = 'none' | 'alive' | 'leaving' | 'left' | 'failed';

/** The two gossip pools: LAN (every agent of a datacenter) and WAN (servers of every datacenter). */
export type Pool = 'lan' | 'wan';

/** A gossip member. */
export interface AdminMember {
  readonly name: string;
  /** `ip:port` of its serf listener. */
  readonly address: string;
  readonly status: MemberStatus;
  /** `server` for a Consul server (serf tag role=consul), else `client`. */
  readonly role: 'server' | 'client';
  readonly datacenter: string;
  readonly tags: Readonly<Record<string, string>>;
}

/** A Raft peer with its replication state. */
export interface RaftPeer {
  readonly id: string;
  readonly node: string;
  /** `ip:port` of its server RPC listener. */
  readonly address: string;
  readonly leader: boolean;
  /** Voter or non-voter (Consul's `Voter`). */
  readonly suffrage: 'voter' | 'nonvoter';
  /** Last log index and term it holds, from autopilot (undefined when autopilot has no data). */
  readonly lastIndex?: number | undefined;
  readonly lastTerm?: number | undefined;
  /** Autopilot's verdict and the serf status it saw. */
  readonly healthy?: boolean | undefined;
  readonly serfStatus?: string | undefined;
}

export interface RaftConfiguration {
  readonly servers: RaftPeer[];
  /** The Raft index of this configuration. */
  readonly index: number;
}

export interface ClusterOverview {
  /** This agent's view: its node name and datacenter. */
  readonly agent: { readonly node: string; readonly datacenter: string; readonly server: boolean };
  /** Every known datacenter, this one first when sorted by distance (Consul's order). */
  readonly datacenters: string[];
  /** `ip:port` of the leader's RPC listener, or '' when there is none. */
  readonly leader: string;
  readonly servers: RaftPeer[];
  readonly members: { readonly lan: AdminMember[]; readonly wan: AdminMember[] };
}

/** Autopilot's configuration (Consul's field names; durations as Go duration strings): the state store's row. */
export type { AutopilotConfig };

/** Autopilot's state as `/v1/operator/autopilot/state` reports it. */
export interface AutopilotState {
  Healthy: boolean;
  FailureTolerance: number;
  OptimisticFailureTolerance?: number;
  Leader: string;
  Voters: string[];
  Servers: Record<string, AutopilotServer>;
}

export interface AutopilotServer {
  ID: string;
  Name: string;
  Address: string;
  NodeStatus: string;
  Version: string;
  LastContact: string;
  LastTerm: number;
  LastIndex: number;
  Healthy: boolean;
  StableSince: string;
  Status: string;
  NodeType: string;
  [field: string]: unknown;
}

/** A KV entry; `value` is the UTF-8 text of the stored bytes (null when empty). */
export interface KvEntry {
  readonly key: string;
  readonly value: string | null;
  /** The stored bytes as base64 (null when empty), for values that are not text. */
  readonly valueBase64: string | null;
  readonly flags: number;
  readonly createIndex: number;
  readonly modifyIndex: number;
  readonly lockIndex: number;
  readonly session?: string | undefined;
}

/** A KV listing with the index it was read at. */
export interface KvList {
  readonly index: number;
  readonly entries: KvEntry[];
}

export interface KvPut {
  key: string;
  /** UTF-8 text, or base64 when `base64` is true. */
  value: string;
  base64?: boolean | undefined;
  flags?: number | undefined;
  /** Check-and-set: write only if the key's ModifyIndex is this (0: only if absent). */
  cas?: number | undefined;
  acquire?: string | undefined;
  release?: string | undefined;
}

export interface KvDelete {
  key: string;
  recurse?: boolean | undefined;
  cas?: number | undefined;
}

/** Consul's JSON objects, as the `/v1` API returns them. */
export type ConsulObject = Record<string, unknown>;
export interface CatalogNode extends ConsulObject {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
}
export interface ServiceNode extends ConsulObject {
  Node: string;
  Address: string;
  ServiceID: string;
  ServiceName: string;
  ServiceTags: string[] | null;
  ServicePort: number;
}
export interface HealthCheck extends ConsulObject {
  Node: string;
  CheckID: string;
  Name: string;
  Status: 'passing' | 'warning' | 'critical' | 'maintenance';
  ServiceID: string;
  ServiceName: string;
  Output: string;
}
export interface ServiceHealth {
  Node: CatalogNode;
  Service: ConsulObject & { ID: string; Service: string; Port: number; Tags: string[] | null };
  Checks: HealthCheck[];
}
export interface Session extends ConsulObject {
  ID: string;
  Name: string;
  Node: string;
  Behavior: 'release' | 'delete';
  TTL: string;
  LockDelay: number;
  CreateIndex: number;
}
export interface SessionCreate {
  name?: string | undefined;
  node?: string | undefined;
  behavior?: 'release' | 'delete' | undefined;
  ttl?: string | undefined;
  lockDelay?: string | undefined;
  checks?: string[] | undefined;
}

/** The keyring as every node of a pool reports it. */
export interface KeyringResponse {
  readonly WAN: boolean;
  readonly Datacenter: string;
  readonly Segment?: string;
  readonly Keys: Record<string, number>;
  readonly PrimaryKeys?: Record<string, number>;
  readonly NumNodes: number;
  readonly Messages?: Record<string, string>;
  /** The pool's error, when some of its nodes failed the operation. */
  readonly Error?: string;
}

/** A snapshot archive, base64 encoded, and the index it was taken at. */
export interface SnapshotData {
  readonly index: number;
  readonly data: string;
}

/** A link from a token or role to a policy or role, by ID or name (Consul's ACLTokenPolicyLink). */
export interface AclLink {
  ID?: string;
  Name?: string;
}
/** An ACL token as `/v1/acl/token` shows it (SecretID `<hidden>` without acl:write). */
export interface AclToken {
  AccessorID: string;
  SecretID: string;
  Description: string;
  Policies?: AclLink[];
  Roles?: AclLink[];
  ServiceIdentities?: Array<{ ServiceName: string; Datacenters?: string[] }>;
  NodeIdentities?: Array<{ NodeName: string; Datacenter: string }>;
  Local: boolean;
  ExpirationTime?: string;
  CreateTime: string;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}
/** An ACL policy (`Rules` absent in listings). */
export interface AclPolicy {
  ID: string;
  Name: string;
  Description: string;
  Rules?: string;
  Datacenters?: string[] | null;
  Hash?: string;
  CreateIndex: number;
  ModifyIndex: number;
}
export interface AclRole {
  ID: string;
  Name: string;
  Description: string;
  Policies?: AclLink[];
  ServiceIdentities?: Array<{ ServiceName: string; Datacenters?: string[] }>;
  NodeIdentities?: Array<{ NodeName: string; Datacenter: string }>;
  Hash: string;
  CreateIndex: number;
  ModifyIndex: number;
}
export interface AclTokenCreate {
  description?: string | undefined;
  policies?: AclLink[] | undefined;
  roles?: AclLink[] | undefined;
  local?: boolean | undefined;
  /** A Go duration after which the token expires. */
  expirationTTL?: string | undefined;
}
export interface AclPolicyCreate {
  name: string;
  description?: string | undefined;
  rules: string;
  datacenters?: string[] | undefined;
}
export interface AclRoleCreate {
  name: string;
  description?: string | undefined;
  policies?: AclLink[] | undefined;
}

/** Member changes, after a first `snapshot` of the pool. */
export type MemberEvent =
  | { readonly type: 'snapshot'; readonly pool: Pool; readonly members: AdminMember[] }
  | { readonly type: 'join' | 'leave' | 'fail' | 'update' | 'reap'; readonly pool: Pool; readonly member: AdminMember };

/** The leader as first seen (`previous` null), then each change ('' while there is none). */
export interface LeaderEvent {
  readonly leader: string;
  readonly previous: string | null;
}

/** KV changes under a prefix, after a first `snapshot`. */
export type KvEvent =
  | { readonly type: 'snapshot'; readonly index: number; readonly entries: KvEntry[] }
  | { readonly type: 'put'; readonly index: number; readonly entry: KvEntry }
  | { readonly type: 'delete'; readonly index: number; readonly key: string };

/** What the event streams take: how often to poll (members, leader), and the caller's signal. */
export interface StreamOptions {
  readonly signal?: AbortSignal | undefined;
}

/**
 * Where a call goes: `dc` names another datacenter (Consul's `?dc=`; the agent forwards over the
 * WAN), absent means the agent's own.
 */
export interface Scope {
  readonly dc?: string | undefined;
}

/** The cluster operations of the admin API, grouped as the router groups its procedures. */
export interface AdminCluster {
  cluster: { overview(): Promise<ClusterOverview> };
  members: {
    list(pool: Pool): Promise<AdminMember[]>;
    join(address: string, pool: Pool): Promise<void>;
    /** Makes the agent serving this API leave gracefully (it shuts down afterwards). */
    leave(): Promise<void>;
    forceLeave(node: string, prune: boolean): Promise<void>;
  };
  raft: {
    configuration(scope?: Scope): Promise<RaftConfiguration>;
    removePeer(peer: { id?: string | undefined; address?: string | undefined }, scope?: Scope): Promise<void>;
    /** Moves leadership to `id`, or to any other voter when absent. */
    transferLeader(id?: string, scope?: Scope): Promise<void>;
  };
  autopilot: {
    state(scope?: Scope): Promise<AutopilotState>;
    getConfig(scope?: Scope): Promise<AutopilotConfig>;
    /** Fails with PRECONDITION_FAILED when `cas` is given and the stored ModifyIndex differs. */
    setConfig(config: Partial<Omit<AutopilotConfig, 'CreateIndex' | 'ModifyIndex'>>, cas?: number, scope?: Scope): Promise<void>;
  };
  kv: {
    /** The entry, or undefined when the key does not exist. */
    get(key: string, consistency?: Consistency, scope?: Scope): Promise<KvEntry | undefined>;
    list(prefix: string, consistency?: Consistency, scope?: Scope): Promise<KvList>;
    /** Writes; with `cas`/`acquire`, a refused write fails with PRECONDITION_FAILED. */
    put(put: KvPut, scope?: Scope): Promise<void>;
    delete(del: KvDelete, scope?: Scope): Promise<void>;
  };
  catalog: {
    services(scope?: Scope): Promise<Record<string, string[]>>;
    nodes(scope?: Scope): Promise<CatalogNode[]>;
    service(name: string, tag?: string, scope?: Scope): Promise<ServiceNode[]>;
  };
  health: {
    service(name: string, passing: boolean, scope?: Scope): Promise<ServiceHealth[]>;
    node(node: string, scope?: Scope): Promise<HealthCheck[]>;
    /** The checks of a service (Consul's `/v1/health/checks/:service`). */
    checks(service: string, scope?: Scope): Promise<HealthCheck[]>;
  };
  sessions: {
    list(scope?: Scope): Promise<Session[]>;
    create(session: SessionCreate, scope?: Scope): Promise<string>;
    destroy(id: string, scope?: Scope): Promise<void>;
  };
  snapshot: {
    save(scope?: Scope): Promise<SnapshotData>;
    restore(base64: string, scope?: Scope): Promise<void>;
  };
  keyring: {
    list(): Promise<KeyringResponse[]>;
    install(key: string): Promise<void>;
    use(key: string): Promise<void>;
    remove(key: string): Promise<void>;
  };
  /**
   * ACL tokens, policies and roles. Without ACLs an implementation fails with UNAUTHORIZED
   * `ACL support disabled`, as Consul does.
   */
  acl: {
    /** Creates the initial management token (once; later calls are FORBIDDEN). */
    bootstrap(): Promise<AclToken>;
    /** The caller's own token. */
    tokenSelf(): Promise<AclToken>;
    tokens: {
      list(): Promise<AclToken[]>;
      read(accessorId: string): Promise<AclToken>;
      create(token: AclTokenCreate): Promise<AclToken>;
      delete(accessorId: string): Promise<void>;
    };
    policies: {
      list(): Promise<AclPolicy[]>;
      read(policy: { id?: string | undefined; name?: string | undefined }): Promise<AclPolicy>;
      create(policy: AclPolicyCreate): Promise<AclPolicy>;
      delete(id: string): Promise<void>;
    };
    roles: {
      list(): Promise<AclRole[]>;
      create(role: AclRoleCreate): Promise<AclRole>;
      delete(id: string): Promise<void>;
    };
  };
  events: {
    members(pool: Pool, options: StreamOptions): AsyncIterable<MemberEvent>;
    leader(options: StreamOptions): AsyncIterable<LeaderEvent>;
    kv(prefix: string, options: StreamOptions & Scope): AsyncIterable<KvEvent>;
  };
}

/** Consul's read consistency modes. */
export type Consistency = 'default' | 'stale' | 'consistent';
