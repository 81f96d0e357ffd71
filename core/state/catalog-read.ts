import { SERVICE_EXTINCTION_KEY } from './catalog.ts';
import { lc, nodePrefix, servicePK, topic } from './schema.ts';
import type { StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import {
  HEALTH_ANY,
  HEALTH_CRITICAL,
  HEALTH_MAINT,
  HEALTH_PASSING,
  HEALTH_WARNING,
  NODE_MAINT_CHECK_ID,
  SERVICE_MAINT_CHECK_PREFIX,
  type CatalogService,
  type HealthCheck,
  type Node,
  type NodeService,
  type QueryResult,
  type ServiceEntry,
  type ServiceRow,
} from './types.ts';
import { WatchSet } from './watch.ts';

/**
 * Catalog and health reads (state/catalog.go). Results are ordered by node name then service ID
 * (Consul's index order); every result carries the index to report and the watch set to block on.
 */

/** Options shared by list queries. */
export interface CatalogFilter {
  /** node-meta=key:value pairs; all must match. */
  nodeMeta?: Record<string, string>;
}

export interface ServiceFilter extends CatalogFilter {
  /** ?tag= values; every tag must be present (case-insensitive). */
  tags?: string[];
}

export interface HealthServiceFilter extends ServiceFilter {
  /** ?passing: drop entries with any non-passing check (warning included). */
  passing?: boolean;
}

function metaMatches(node: Node | undefined, meta: Record<string, string> | undefined): boolean {
  if (!meta) return true;
  if (!node) return false;
  for (const k in meta) if (node.Meta[k] !== meta[k]) return false;
  return true;
}

function tagsMatch(svc: NodeService, tags: string[] | undefined): boolean {
  if (!tags || tags.length === 0) return true;
  const have = new Set(svc.Tags.map(lc));
  return tags.every((t) => have.has(lc(t)));
}

/**
 * Index for a service-scoped read (Consul's maxIndexForService): for a service with no instances,
 * the last extinction index; otherwise service.<name>; falling back to the tables' index.
 */
function serviceIndex(s: StateStore, name: string, withChecks: boolean): number {
  const exists = s.t.services.hasIndexValue('service', lc(name));
  const extinct = s.t.meta.get(SERVICE_EXTINCTION_KEY);
  if (!exists && extinct) return extinct.Value;
  const row = s.t.serviceIndexes.get(lc(name));
  if (row) return row.Index;
  return withChecks ? s.maxIndex('nodes', 'services', 'checks') : s.maxIndex('nodes', 'services');
}

/** Nodes with meta matching (by the meta index when filtering). */
function filteredNodes(s: StateStore, meta: Record<string, string> | undefined): Node[] {
  const entries = Object.entries(meta ?? {});
  if (entries.length === 0) return [...s.t.nodes.all()];
  const [k, v] = entries[0]!;
  return s.t.nodes.byIndex('meta', `${k}\u0000${v}`).filter((n) => metaMatches(n, meta));
}

/** GET /v1/catalog/nodes. */
export function catalogNodes(s: StateStore, f: CatalogFilter = {}): QueryResult<Node[]> {
  return { index: s.t.nodes.maxIndex, value: filteredNodes(s, f.nodeMeta), watch: new WatchSet().addTopic(tableTopic('nodes')) };
}

/** GET /v1/catalog/services: name -> distinct tags (sorted). */
export function catalogServices(s: StateStore, f: CatalogFilter = {}): QueryResult<Record<string, string[]>> {
  const out = new Map<string, Set<string>>();
  const watch = new WatchSet().addTopic(tableTopic('services'));
  const add = (r: ServiceRow) => {
    let tags = out.get(r.Service.Service);
    if (!tags) out.set(r.Service.Service, (tags = new Set()));
    for (const t of r.Service.Tags) tags.add(t);
  };
  if (f.nodeMeta) {
    watch.addTopic(tableTopic('nodes'));
    for (const n of filteredNodes(s, f.nodeMeta)) for (const r of s.t.services.prefix(nodePrefix(n.Node))) add(r);
  } else {
    for (const r of s.t.services.all()) add(r);
  }
  const value: Record<string, string[]> = {};
  for (const name of [...out.keys()].sort()) value[name] = [...out.get(name)!].sort();
  const index = f.nodeMeta ? s.maxIndex('nodes', 'services') : s.t.services.maxIndex;
  return { index, value, watch };
}

/** Joins a service row with its node (structs.ServiceNode). */
export function toCatalogService(node: Node, svc: NodeService): CatalogService {
  const out: CatalogService = {
    ID: node.ID,
    Node: node.Node,
    Address: node.Address,
    Datacenter: node.Datacenter,
    TaggedAddresses: node.TaggedAddresses,
    NodeMeta: node.Meta,
    ServiceKind: svc.Kind ?? '',
    ServiceID: svc.ID,
    ServiceName: svc.Service,
    ServiceTags: svc.Tags,
    ServiceAddress: svc.Address,
    ServiceWeights: svc.Weights,
    ServiceMeta: svc.Meta,
    ServicePort: svc.Port,
    ServiceSocketPath: svc.SocketPath ?? '',
    ServiceEnableTagOverride: svc.EnableTagOverride,
    ServiceProxy: svc.Proxy ?? {},
    ServiceConnect: svc.Connect ?? {},
    CreateIndex: svc.CreateIndex,
    ModifyIndex: svc.ModifyIndex,
  };
  if (svc.TaggedAddresses) out.ServiceTaggedAddresses = svc.TaggedAddresses;
  return out;
}

/**
 * Past this many nodes a read watches whole tables instead of each node, like Consul's watchLimit:
 * a waiter on a 10,000-instance service then costs a few registrations, not 10,000.
 */
export const WATCH_LIMIT = 2048;

/** Instances of a service name (ordered by node, service ID) that pass the filters, with watches. */
function instances(s: StateStore, name: string, f: ServiceFilter, watch: WatchSet): Array<[Node, ServiceRow]> {
  watch.addTopic(topic.service(name));
  const rows = s.t.services.byIndex('service', lc(name));
  const perNode = rows.length <= WATCH_LIMIT;
  if (!perNode) watch.addTopic(tableTopic('nodes')).addTopic(tableTopic('checks'));
  const out: Array<[Node, ServiceRow]> = [];
  for (const r of rows) {
    const node = s.t.nodes.get(lc(r.Node));
    if (!node) continue;
    if (perNode) watch.addTopic(topic.node(node.Node));
    if (metaMatches(node, f.nodeMeta) && tagsMatch(r.Service, f.tags)) out.push([node, r]);
  }
  return out;
}

/** GET /v1/catalog/service/:name. Unknown names give []. */
export function catalogServiceNodes(s: StateStore, name: string, f: ServiceFilter = {}): QueryResult<CatalogService[]> {
  const watch = new WatchSet();
  const value = instances(s, name, f, watch).map(([n, r]) => toCatalogService(n, r.Service));
  return { index: serviceIndex(s, name, false), value, watch };
}

/** GET /v1/catalog/node/:node: the node and its services by ID, or null. */
export function catalogNodeServices(
  s: StateStore,
  node: string,
): QueryResult<{ Node: Node; Services: Record<string, NodeService> } | null> {
  const watch = new WatchSet().addTopic(topic.nodeAll(node));
  const index = s.maxIndex('nodes', 'services');
  const n = s.t.nodes.get(lc(node));
  if (!n) return { index, value: null, watch };
  const Services: Record<string, NodeService> = {};
  for (const r of s.t.services.prefix(nodePrefix(node))) Services[r.Service.ID] = r.Service;
  return { index, value: { Node: n, Services }, watch };
}

/** GET /v1/catalog/node-services/:node: the node and its services as a list, or null. */
export function catalogNodeServiceList(
  s: StateStore,
  node: string,
): QueryResult<{ Node: Node; Services: NodeService[] } | null> {
  const r = catalogNodeServices(s, node);
  const value = r.value ? { Node: r.value.Node, Services: Object.values(r.value.Services) } : null;
  return { ...r, value };
}

/** One service instance on a node, or null. */
export function nodeService(s: StateStore, node: string, serviceID: string): NodeService | null {
  return s.t.services.get(servicePK(node, serviceID))?.Service ?? null;
}

/** GET /v1/health/node/:node. */
export function healthNodeChecks(s: StateStore, node: string): QueryResult<HealthCheck[]> {
  return {
    index: s.t.checks.maxIndex,
    value: s.t.checks.prefix(nodePrefix(node)),
    watch: new WatchSet().addTopic(topic.nodeAll(node)),
  };
}

/**
 * GET /v1/health/checks/:service. Index: the checks table (ServiceChecks), or the service index
 * when filtering by node meta (ServiceChecksByNodeMeta), as in Consul.
 */
export function healthServiceChecks(s: StateStore, name: string, f: CatalogFilter = {}): QueryResult<HealthCheck[]> {
  const watch = new WatchSet().addTopic(topic.service(name));
  const value = s.t.checks.byIndex('service', lc(name));
  if (!f.nodeMeta) return { index: s.t.checks.maxIndex, value, watch };
  watch.addTopic(tableTopic('nodes'));
  const filtered = value.filter((c) => metaMatches(s.t.nodes.get(lc(c.Node)), f.nodeMeta));
  return { index: serviceIndex(s, name, true), value: filtered, watch };
}

/** GET /v1/health/state/:state (`any`, passing, warning, critical). Ordered by node, check ID. */
export function healthChecksInState(s: StateStore, state: string, f: CatalogFilter = {}): QueryResult<HealthCheck[]> {
  const watch = new WatchSet().addTopic(tableTopic('checks'));
  let value = state === HEALTH_ANY ? [...s.t.checks.all()] : s.t.checks.byIndex('status', state);
  if (f.nodeMeta) {
    watch.addTopic(tableTopic('nodes'));
    value = value.filter((c) => metaMatches(s.t.nodes.get(lc(c.Node)), f.nodeMeta));
  }
  return { index: s.t.checks.maxIndex, value, watch };
}

/** The checks of one instance: node-level checks plus checks bound to its service ID. */
export function instanceChecks(s: StateStore, node: string, serviceID: string): HealthCheck[] {
  const sid = lc(serviceID);
  // The node index (cached sorted) beats a prefix scan on the hot path of health queries.
  return s.t.checks.byIndex('node', lc(node)).filter((c) => c.ServiceID === '' || c.ServiceID === serviceID || lc(c.ServiceID) === sid);
}

/** GET /v1/health/service/:name: ServiceEntry per instance. */
export function healthServiceNodes(s: StateStore, name: string, f: HealthServiceFilter = {}): QueryResult<ServiceEntry[]> {
  const watch = new WatchSet();
  const value: ServiceEntry[] = [];
  for (const [node, r] of instances(s, name, f, watch)) {
    const Checks = instanceChecks(s, node.Node, r.Service.ID);
    if (f.passing && Checks.some((c) => c.Status !== HEALTH_PASSING)) continue;
    value.push({ Node: node, Service: r.Service, Checks });
  }
  return { index: serviceIndex(s, name, true), value, watch };
}

/**
 * Consul's aggregated status (api.HealthChecks.AggregatedStatus): `maintenance` if a node or
 * service maintenance check is present, else the worst of critical > warning > passing.
 */
export function aggregatedStatus(checks: readonly HealthCheck[]): string {
  let critical = false;
  let warning = false;
  for (const c of checks) {
    if (c.CheckID === NODE_MAINT_CHECK_ID || c.CheckID.startsWith(SERVICE_MAINT_CHECK_PREFIX)) return HEALTH_MAINT;
    if (c.Status === HEALTH_CRITICAL) critical = true;
    else if (c.Status === HEALTH_WARNING) warning = true;
  }
  return critical ? HEALTH_CRITICAL : warning ? HEALTH_WARNING : HEALTH_PASSING;
}
