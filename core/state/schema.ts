import { Table, type WriteSlot } from './table.ts';
import type {
  ACLPolicy,
  ACLRole,
  ACLToken,
  AutopilotConfig,
  Coordinate,
  HealthCheck,
  KVEntry,
  LockDelay,
  Node,
  PreparedQuery,
  Session,
  ServiceRow,
  SystemMetadataEntry,
  Tombstone,
} from './types.ts';

/**
 * The tables of the state store, their keys, secondary indexes and watch topics.
 *
 * Node names, service IDs, service names and check IDs are matched case-insensitively, as in
 * Consul's memdb schema (lower-cased index fields). KV keys are case-sensitive.
 */

const NUL = '\u0000';

/** Lower-cased identity used by Consul's case-insensitive indexes. */
export function lc(s: string): string {
  return s.toLowerCase();
}

export function servicePK(node: string, serviceID: string): string {
  return lc(node) + NUL + lc(serviceID);
}

export function checkPK(node: string, checkID: string): string {
  return lc(node) + NUL + lc(checkID);
}

/** Prefix of all services or checks of one node. */
export function nodePrefix(node: string): string {
  return lc(node) + NUL;
}

export function coordinatePK(node: string, segment: string): string {
  return lc(node) + NUL + segment;
}

/** Topics: what reads register and writes announce. */
export const topic = {
  kv: (key: string) => `kv:${key}`,
  /** A node row and its node-level (service-less) checks: what a ServiceEntry includes of a node. */
  node: (node: string) => `node:${lc(node)}`,
  /** Anything on a node: its row, services and checks (catalog node, health node). */
  nodeAll: (node: string) => `nodeall:${lc(node)}`,
  /** Instances of one service name and their service checks. */
  service: (name: string) => `svc:${lc(name)}`,
  session: (id: string) => `session:${id}`,
  sessionNode: (node: string) => `sessionnode:${lc(node)}`,
} as const;

/** Internal: the per-service-name index Consul keeps in its index table (`service.<name>`). */
export interface ServiceIndexRow {
  Name: string;
  Index: number;
}

/** Internal singleton values (ACL bootstrap reset index and such). */
export interface MetaRow {
  Key: string;
  Value: number;
}

export interface Tables {
  nodes: Table<Node>;
  services: Table<ServiceRow>;
  checks: Table<HealthCheck>;
  serviceIndexes: Table<ServiceIndexRow>;
  kvs: Table<KVEntry>;
  tombstones: Table<Tombstone>;
  lockDelays: Table<LockDelay>;
  sessions: Table<Session>;
  aclTokens: Table<ACLToken>;
  aclPolicies: Table<ACLPolicy>;
  aclRoles: Table<ACLRole>;
  preparedQueries: Table<PreparedQuery>;
  coordinates: Table<Coordinate>;
  autopilot: Table<AutopilotConfig>;
  systemMetadata: Table<SystemMetadataEntry>;
  meta: Table<MetaRow>;
}

const none: readonly string[] = [];

/** Creates an empty set of tables bound to a write slot. */
export function createTables(slot: WriteSlot): Tables {
  return {
    nodes: new Table<Node>(
      {
        name: 'nodes',
        pk: (r) => lc(r.Node),
        topics: (r) => [topic.node(r.Node), topic.nodeAll(r.Node)],
        indexes: {
          id: (r) => (r.ID ? [lc(r.ID)] : none),
          meta: (r) => Object.entries(r.Meta).map(([k, v]) => k + NUL + v),
        },
      },
      slot,
    ),
    services: new Table<ServiceRow>(
      {
        name: 'services',
        pk: (r) => servicePK(r.Node, r.Service.ID),
        topics: (r) => [topic.service(r.Service.Service), topic.nodeAll(r.Node)],
        indexes: {
          service: (r) => [lc(r.Service.Service)],
          kind: (r) => (r.Service.Kind ? [r.Service.Kind] : none),
        },
      },
      slot,
    ),
    checks: new Table<HealthCheck>(
      {
        name: 'checks',
        pk: (r) => checkPK(r.Node, r.CheckID),
        topics: (r) =>
          r.ServiceID
            ? [topic.service(r.ServiceName), topic.nodeAll(r.Node)]
            : [topic.node(r.Node), topic.nodeAll(r.Node)],
        indexes: {
          status: (r) => [r.Status],
          service: (r) => (r.ServiceID ? [lc(r.ServiceName)] : none),
          node: (r) => [lc(r.Node)],
        },
      },
      slot,
    ),
    serviceIndexes: new Table<ServiceIndexRow>({ name: 'serviceIndexes', pk: (r) => r.Name }, slot),
    kvs: new Table<KVEntry>(
      {
        name: 'kvs',
        pk: (r) => r.Key,
        topics: (r) => [topic.kv(r.Key)],
        prefixWatch: 'kvs',
        indexes: { session: (r) => (r.Session ? [r.Session] : none) },
      },
      slot,
    ),
    tombstones: new Table<Tombstone>(
      { name: 'tombstones', pk: (r) => r.Key, topics: (r) => [topic.kv(r.Key)], prefixWatch: 'kvs' },
      slot,
    ),
    lockDelays: new Table<LockDelay>({ name: 'lockDelays', pk: (r) => r.Key }, slot),
    sessions: new Table<Session>(
      {
        name: 'sessions',
        pk: (r) => r.ID,
        topics: (r) => [topic.session(r.ID), topic.sessionNode(r.Node)],
        indexes: {
          node: (r) => [lc(r.Node)],
          check: (r) => [
            ...r.NodeChecks.map((c) => checkPK(r.Node, c)),
            ...(r.ServiceChecks ?? []).map((c) => checkPK(r.Node, c.ID)),
          ],
        },
      },
      slot,
    ),
    aclTokens: new Table<ACLToken>(
      {
        name: 'acl-tokens',
        pk: (r) => r.AccessorID,
        indexes: {
          secret: (r) => (r.SecretID ? [r.SecretID] : none),
          policy: (r) => r.Policies.map((p) => p.ID),
          role: (r) => r.Roles.map((p) => p.ID),
        },
      },
      slot,
    ),
    aclPolicies: new Table<ACLPolicy>(
      { name: 'acl-policies', pk: (r) => r.ID, indexes: { name: (r) => [r.Name] } },
      slot,
    ),
    aclRoles: new Table<ACLRole>(
      {
        name: 'acl-roles',
        pk: (r) => r.ID,
        indexes: { name: (r) => [r.Name], policy: (r) => r.Policies.map((p) => p.ID) },
      },
      slot,
    ),
    preparedQueries: new Table<PreparedQuery>(
      {
        name: 'prepared-queries',
        pk: (r) => r.ID,
        indexes: {
          name: (r) => (r.Name ? [lc(r.Name)] : none),
          session: (r) => (r.Session ? [r.Session] : none),
        },
      },
      slot,
    ),
    coordinates: new Table<Coordinate>(
      {
        name: 'coordinates',
        pk: (r) => coordinatePK(r.Node, r.Segment),
        indexes: { node: (r) => [lc(r.Node)] },
      },
      slot,
    ),
    autopilot: new Table<AutopilotConfig>({ name: 'autopilot-config', pk: () => 'config' }, slot),
    systemMetadata: new Table<SystemMetadataEntry>({ name: 'system-metadata', pk: (r) => r.Key }, slot),
    meta: new Table<MetaRow>({ name: 'meta', pk: (r) => r.Key }, slot),
  };
}

/** Table names in snapshot order (fixed, so snapshots are canonical). */
export const TABLE_ORDER: ReadonlyArray<keyof Tables> = [
  'nodes',
  'services',
  'checks',
  'serviceIndexes',
  'kvs',
  'tombstones',
  'lockDelays',
  'sessions',
  'aclTokens',
  'aclPolicies',
  'aclRoles',
  'preparedQueries',
  'coordinates',
  'autopilot',
  'systemMetadata',
  'meta',
];
