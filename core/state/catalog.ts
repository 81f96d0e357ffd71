import { sameIgnoringIndexes } from './same.ts';
import { checkPK, coordinatePK, lc, nodePrefix, servicePK } from './schema.ts';
import { invalidateCheckSessions, invalidateNodeSessions } from './sessions.ts';
import { StateError, type StateStore } from './store.ts';
import {
  HEALTH_CRITICAL,
  HEALTH_PASSING,
  HEALTH_WARNING,
  type HealthCheck,
  SERF_CHECK_ID,
  type HealthStatus,
  type Node,
  type NodeService,
  type ServiceAddress,
} from './types.ts';

/**
 * Catalog writes (agent/consul/catalog_endpoint.go validation plus state/catalog.go rules):
 * register and deregister of nodes, services and checks. Re-registering identical data is a no-op
 * (no index moves); a check turning critical or going away invalidates the sessions bound to it;
 * deregistering a node removes its services, checks, coordinates and sessions.
 *
 * Consul also keeps a per-service-name index (`service.<name>`); it is raised whenever an instance,
 * one of its checks, or its node changes, so health queries report and block on it.
 */


/** Node part of a register request. */
export interface NodeInput {
  ID?: string;
  Node: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
}

/** A service definition as registered (NodeService without indexes; most fields optional). */
export interface ServiceInput {
  Kind?: string;
  ID?: string;
  Service: string;
  Tags?: string[] | null;
  Address?: string;
  TaggedAddresses?: Record<string, ServiceAddress> | null;
  Meta?: Record<string, string> | null;
  Port?: number;
  SocketPath?: string;
  Weights?: { Passing: number; Warning: number } | null;
  EnableTagOverride?: boolean;
  Proxy?: Record<string, unknown> | null;
  Connect?: Record<string, unknown> | null;
}

/** A check definition as registered. */
export interface CheckInput {
  Node?: string;
  CheckID: string;
  Name?: string;
  Status?: string;
  Notes?: string;
  Output?: string;
  ServiceID?: string;
  Type?: string;
  Interval?: string;
  Timeout?: string;
  ExposedPort?: number;
  Definition?: Record<string, unknown> | null;
}

/** PUT /v1/catalog/register body. */
export interface RegisterRequest {
  ID?: string;
  Node: string;
  Address: string;
  Datacenter?: string;
  TaggedAddresses?: Record<string, string> | null;
  NodeMeta?: Record<string, string> | null;
  Service?: ServiceInput | null;
  Check?: CheckInput | null;
  Checks?: CheckInput[] | null;
  SkipNodeUpdate?: boolean;
}

/** PUT /v1/catalog/deregister body. */
export interface DeregisterRequest {
  Node: string;
  ServiceID?: string;
  CheckID?: string;
}

/** Meta row holding the index at which some service last lost its last instance. */
export const SERVICE_EXTINCTION_KEY = 'service-last-extinction';

const VALID_STATUS = new Set<string>([HEALTH_PASSING, HEALTH_WARNING, HEALTH_CRITICAL]);

/** Raises the per-service index (service.<name>). */
function bumpService(s: StateStore, name: string): void {
  s.t.serviceIndexes.put({ Name: lc(name), Index: s.index() });
}

/** Raises the index of every service on a node (its node or node checks changed). */
function bumpNodeServices(s: StateStore, node: string): void {
  const names = new Set(s.t.services.prefix(nodePrefix(node)).map((r) => lc(r.Service.Service)));
  for (const n of names) bumpService(s, n);
}

/**
 * The node that reserves `name` against a node with ID `id` (Consul's
 * ensureNoNodeWithSimilarNameTxn): another node of that name and a different ID whose serfHealth
 * is not critical. A node without serfHealth is not protected (likely an external registration),
 * nor is one without an ID when `allowClashWithoutID`.
 */
function reservingNode(s: StateStore, name: string, id: string, allowClashWithoutID: boolean): Node | undefined {
  const other = s.t.nodes.get(lc(name));
  if (!other || other.ID === id) return undefined;
  if (other.ID === '' && allowClashWithoutID) return undefined;
  const serf = s.t.checks.get(checkPK(other.Node, SERF_CHECK_ID));
  return serf && serf.Status !== HEALTH_CRITICAL ? other : undefined;
}

function reservedMessage(input: NodeInput, other: Node): string {
  return `Node name ${input.Node} is reserved by node ${other.ID} with name ${other.Node} (${other.Address})`;
}

/**
 * Registers or updates a node (Consul's ensureNodeTxn); identical data changes nothing. A known ID
 * under a new name renames the node: the old registration is deleted (with its services, checks and
 * sessions, at leader time `now`), unless the new name is held by another healthy node.
 */
export function ensureNode(s: StateStore, input: NodeInput, now = 0): Node {
  if (typeof input.Node !== 'string' || input.Node === '') throw new StateError('Must provide node');
  const id = input.ID ?? '';
  if (id !== '') {
    const byID = s.t.nodes.byIndex('id', lc(id))[0];
    const other = reservingNode(s, input.Node, id, !byID);
    if (byID && lc(byID.Node) !== lc(input.Node)) {
      if (other) throw new StateError(`Error while renaming Node ID: "${id}" (${input.Address}): ${reservedMessage(input, other)}`);
      deleteNode(s, byID.Node, now);
    } else if (!byID && other) {
      throw new StateError(`Error while renaming Node ID: "${id}": ${reservedMessage(input, other)}`);
    }
  }
  const existing = s.t.nodes.get(lc(input.Node));
  const idx = s.index();
  const row: Node = {
    ID: id,
    Node: input.Node,
    Address: input.Address ?? '',
    Datacenter: input.Datacenter ?? '',
    TaggedAddresses: { ...(input.TaggedAddresses ?? {}) },
    Meta: { ...(input.Meta ?? {}) },
    CreateIndex: existing?.CreateIndex ?? idx,
    ModifyIndex: idx,
  };
  if (existing && sameIgnoringIndexes(existing, row)) return existing;
  s.t.nodes.put(row);
  bumpNodeServices(s, row.Node);
  return row;
}

/** Normalises a service definition into the stored NodeService (defaults as Consul reports them). */
export function toNodeService(input: ServiceInput, idx: number, createIndex: number): NodeService {
  const svc: NodeService = {
    ID: input.ID || input.Service,
    Service: input.Service,
    Tags: [...(input.Tags ?? [])],
    Address: input.Address ?? '',
    Meta: { ...(input.Meta ?? {}) },
    Port: input.Port ?? 0,
    Weights: input.Weights ? { Passing: input.Weights.Passing, Warning: input.Weights.Warning } : { Passing: 1, Warning: 1 },
    EnableTagOverride: input.EnableTagOverride ?? false,
    CreateIndex: createIndex,
    ModifyIndex: idx,
  };
  if (input.Kind) svc.Kind = input.Kind;
  if (input.TaggedAddresses && Object.keys(input.TaggedAddresses).length > 0) svc.TaggedAddresses = input.TaggedAddresses;
  if (input.SocketPath) svc.SocketPath = input.SocketPath;
  if (input.Proxy) svc.Proxy = input.Proxy;
  if (input.Connect) svc.Connect = input.Connect;
  return svc;
}

const META_MAX_PAIRS = 64;
const META_KEY_MAX = 128;
const META_VALUE_MAX = 512;
const META_KEY_PATTERN = /^[a-zA-Z0-9_-]+$/;

/**
 * Consul's structs.ValidateMetadata: at most 64 pairs, keys of [a-zA-Z0-9_-] up to 128 characters,
 * values up to 512, and the `consul-` key prefix reserved (allowed for node meta set by agents).
 */
export function validateMetadata(meta: Record<string, string>, allowConsulPrefix: boolean): string | null {
  const keys = Object.keys(meta);
  if (keys.length > META_MAX_PAIRS) return `Node metadata cannot contain more than ${META_MAX_PAIRS} key/value pairs`;
  for (const k of keys) {
    if (k === '') return "Key cannot be blank";
    if (!META_KEY_PATTERN.test(k)) return `Key contains invalid characters`;
    if (k.length > META_KEY_MAX) return `Key is too long (limit: ${META_KEY_MAX} characters)`;
    if (k.startsWith('consul-') && !allowConsulPrefix) return "Key prefix 'consul-' is reserved for internal use";
    if ((meta[k] ?? '').length > META_VALUE_MAX) return `Value is too long (limit: ${META_VALUE_MAX} characters)`;
  }
  return null;
}

/** Registers or updates a service instance on an existing node. */
export function ensureService(s: StateStore, node: string, input: ServiceInput): NodeService {
  if (!input || typeof input.Service !== 'string' || input.Service === '') {
    throw new StateError('Must provide service name');
  }
  const metaError = validateMetadata(input.Meta ?? {}, false);
  if (metaError) throw new StateError(`Invalid Service Meta for node ${node} and serviceID ${input.ID || input.Service}: ${metaError}`);
  const n = s.t.nodes.get(lc(node));
  if (!n) throw new StateError('Missing node registration');
  const id = input.ID || input.Service;
  const existing = s.t.services.get(servicePK(n.Node, id));
  const idx = s.index();
  const svc = toNodeService(input, idx, existing?.Service.CreateIndex ?? idx);
  if (existing && sameIgnoringIndexes(existing.Service, svc)) return existing.Service;
  s.t.services.put({ Node: n.Node, Service: svc });
  bumpService(s, svc.Service);
  if (existing && lc(existing.Service.Service) !== lc(svc.Service)) bumpService(s, existing.Service.Service);
  return svc;
}

/**
 * Registers or updates a check. Status defaults to critical. A service check needs its service on
 * the node and takes ServiceName/ServiceTags from it. Turning critical invalidates bound sessions
 * at leader time `now`.
 */
export function ensureCheck(s: StateStore, input: CheckInput, now: number): HealthCheck {
  if (!input || typeof input.CheckID !== 'string' || input.CheckID === '') {
    throw new StateError('Check is missing a CheckID');
  }
  const n = s.t.nodes.get(lc(input.Node ?? ''));
  if (!n) throw new StateError('Missing node registration');
  const status = input.Status || HEALTH_CRITICAL;
  if (!VALID_STATUS.has(status)) throw new StateError(`Invalid check status: "${status}"`);
  let serviceName = '';
  let serviceTags: string[] = [];
  let serviceID = input.ServiceID ?? '';
  if (serviceID !== '') {
    const svc = s.t.services.get(servicePK(n.Node, serviceID));
    if (!svc) throw new StateError('Missing service registration');
    serviceID = svc.Service.ID;
    serviceName = svc.Service.Service;
    serviceTags = [...svc.Service.Tags];
  }
  const existing = s.t.checks.get(checkPK(n.Node, input.CheckID));
  const idx = s.index();
  const row: HealthCheck = {
    Node: n.Node,
    CheckID: input.CheckID,
    Name: input.Name ?? '',
    Status: status as HealthStatus,
    Notes: input.Notes ?? '',
    Output: input.Output ?? '',
    ServiceID: serviceID,
    ServiceName: serviceName,
    ServiceTags: serviceTags,
    Type: input.Type ?? '',
    Interval: input.Interval ?? '',
    Timeout: input.Timeout ?? '',
    ExposedPort: input.ExposedPort ?? 0,
    Definition: { ...(input.Definition ?? {}) },
    CreateIndex: existing?.CreateIndex ?? idx,
    ModifyIndex: idx,
  };
  if (existing && sameIgnoringIndexes(existing, row)) return existing;
  s.t.checks.put(row);
  if (serviceName) bumpService(s, serviceName);
  else bumpNodeServices(s, n.Node);
  if (existing?.ServiceName && lc(existing.ServiceName) !== lc(serviceName)) bumpService(s, existing.ServiceName);
  if (row.Status === HEALTH_CRITICAL) invalidateCheckSessions(s, n.Node, row.CheckID, now);
  return row;
}

/** Validates a register request the way the Catalog.Register endpoint does. */
function validateRegister(req: RegisterRequest): CheckInput[] {
  if (!req || typeof req.Node !== 'string' || req.Node === '') throw new StateError('Must provide node');
  if (!req.Address && !req.SkipNodeUpdate) {
    throw new StateError('Must provide address if SkipNodeUpdate is not set');
  }
  if (req.Service && !req.Service.Service) throw new StateError('Must provide service name');
  const nodeMetaError = validateMetadata(req.NodeMeta ?? {}, true);
  if (nodeMetaError) throw new StateError(`Invalid node metadata: ${nodeMetaError}`);
  const checks = [...(req.Checks ?? [])];
  if (req.Check) checks.push(req.Check);
  return checks.map((c) => {
    const node = c.Node || req.Node;
    if (lc(node) !== lc(req.Node)) throw new StateError(`check node "${node}" does not match node "${req.Node}"`);
    const id = c.CheckID || c.Name || '';
    return { ...c, Node: req.Node, CheckID: id };
  });
}

/**
 * PUT /v1/catalog/register: the node (unless SkipNodeUpdate and it exists), then the service, then
 * the checks, all in the caller's write so that a failure leaves nothing behind.
 */
export function register(s: StateStore, req: RegisterRequest, now: number): void {
  const checks = validateRegister(req);
  const exists = s.t.nodes.get(lc(req.Node)) !== undefined;
  if (!req.SkipNodeUpdate || !exists) {
    ensureNode(
      s,
      {
        ID: req.ID ?? '',
        Node: req.Node,
        Address: req.Address,
        Datacenter: req.Datacenter ?? '',
        TaggedAddresses: req.TaggedAddresses ?? {},
        Meta: req.NodeMeta ?? {},
      },
      now,
    );
  }
  if (req.Service) ensureService(s, req.Node, req.Service);
  for (const c of checks) ensureCheck(s, c, now);
}

/** Deletes one check; bound sessions are invalidated. Missing checks are ignored. */
export function deleteCheck(s: StateStore, node: string, checkID: string, now: number): void {
  const old = s.t.checks.delete(checkPK(node, checkID));
  if (!old) return;
  if (old.ServiceName) bumpService(s, old.ServiceName);
  else bumpNodeServices(s, node);
  invalidateCheckSessions(s, old.Node, old.CheckID, now);
}

/** Deletes one service instance and its checks. Missing services are ignored. */
export function deleteService(s: StateStore, node: string, serviceID: string, now: number): void {
  const row = s.t.services.get(servicePK(node, serviceID));
  if (!row) return;
  for (const c of s.t.checks.prefix(nodePrefix(node))) {
    if (c.ServiceID && lc(c.ServiceID) === lc(row.Service.ID)) deleteCheck(s, node, c.CheckID, now);
  }
  s.t.services.delete(servicePK(node, serviceID));
  const name = lc(row.Service.Service);
  if (s.t.services.hasIndexValue('service', name)) {
    bumpService(s, name);
    return;
  }
  // The last instance is gone: drop the per-service index and remember when a service last went
  // extinct, which is what reads of services that do not exist report (Consul's
  // service_last_extinction), so their blocking queries still see the index move.
  s.t.serviceIndexes.delete(name);
  s.t.meta.put({ Key: SERVICE_EXTINCTION_KEY, Value: s.index() });
}

/** Deletes a node with its services, checks, coordinates and sessions. Missing nodes are ignored. */
export function deleteNode(s: StateStore, node: string, now: number): void {
  const n = s.t.nodes.get(lc(node));
  if (!n) return;
  for (const svc of s.t.services.prefix(nodePrefix(node))) deleteService(s, node, svc.Service.ID, now);
  for (const c of s.t.checks.prefix(nodePrefix(node))) deleteCheck(s, node, c.CheckID, now);
  for (const c of s.t.coordinates.byIndex('node', lc(node))) s.t.coordinates.delete(coordinatePK(c.Node, c.Segment));
  invalidateNodeSessions(s, node, now);
  s.t.nodes.delete(lc(node));
}

/** PUT /v1/catalog/deregister: a service, a check, both, or (neither given) the whole node. */
export function deregister(s: StateStore, req: DeregisterRequest, now: number): void {
  if (!req || typeof req.Node !== 'string' || req.Node === '') throw new StateError('Must provide node');
  if (!req.ServiceID && !req.CheckID) {
    deleteNode(s, req.Node, now);
    return;
  }
  if (req.ServiceID) deleteService(s, req.Node, req.ServiceID, now);
  if (req.CheckID) deleteCheck(s, req.Node, req.CheckID, now);
}
