import { instanceChecks } from './catalog-read.ts';
import { nodePrefix } from './schema.ts';
import type { StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import { HEALTH_CRITICAL, HEALTH_PASSING, HEALTH_WARNING, type HealthCheck, type Node, type NodeService, type QueryResult } from './types.ts';
import { WatchSet } from './watch.ts';

/**
 * Whole-catalog reads behind the UI endpoints (agent/ui_endpoint.go): the node dump of
 * /v1/internal/ui/nodes and the service summaries of /v1/internal/ui/services. Both watch the three
 * catalog tables, since any change can alter them.
 */

/** One node with its services and checks (structs.NodeInfo). */
export interface NodeInfo {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses: Record<string, string>;
  Meta: Record<string, string>;
  Services: NodeService[];
  Checks: HealthCheck[];
}

/** A service row of the UI services list (ServiceListingSummary, peering/namespace fields omitted). */
export interface ServiceSummary {
  Kind?: string;
  Name: string;
  Datacenter: string;
  Tags: string[];
  Nodes: string[];
  ExternalSources: string[];
  InstanceCount: number;
  ChecksPassing: number;
  ChecksWarning: number;
  ChecksCritical: number;
  GatewayConfig: Record<string, unknown>;
  TransparentProxy: boolean;
  ConnectNative: boolean;
  ConnectedWithProxy: boolean;
  ConnectedWithGateway: boolean;
}

function catalogWatch(): WatchSet {
  return new WatchSet().addTopic(tableTopic('nodes')).addTopic(tableTopic('services')).addTopic(tableTopic('checks'));
}

function nodeInfo(s: StateStore, n: Node): NodeInfo {
  const p = nodePrefix(n.Node);
  return {
    ID: n.ID,
    Node: n.Node,
    Address: n.Address,
    Datacenter: n.Datacenter,
    TaggedAddresses: n.TaggedAddresses,
    Meta: n.Meta,
    Services: s.t.services.prefix(p).map((r) => r.Service),
    Checks: s.t.checks.prefix(p),
  };
}

/** Every node with services and checks, ordered by node name (NodeDump). */
export function nodeDump(s: StateStore): QueryResult<NodeInfo[]> {
  return {
    index: s.maxIndex('nodes', 'services', 'checks'),
    value: [...s.t.nodes.all()].map((n) => nodeInfo(s, n)),
    watch: catalogWatch(),
  };
}

/** One node's info, or null (/v1/internal/ui/node/:node). */
export function nodeInfoOf(s: StateStore, node: string): QueryResult<NodeInfo | null> {
  const n = s.t.nodes.get(node.toLowerCase());
  return { index: s.maxIndex('nodes', 'services', 'checks'), value: n ? nodeInfo(s, n) : null, watch: catalogWatch() };
}

/**
 * Per-service-name summaries ordered by name: distinct tags and nodes, instance count, and check
 * counts over each instance's checks (node checks included, each node+check counted once).
 */
export function serviceSummaries(s: StateStore, datacenter: string): QueryResult<ServiceSummary[]> {
  const byName = new Map<string, { sum: ServiceSummary; tags: Set<string>; nodes: Set<string>; sources: Set<string>; checks: Map<string, string> }>();
  for (const r of s.t.services.all()) {
    const svc = r.Service;
    let e = byName.get(svc.Service);
    if (!e) {
      const sum: ServiceSummary = {
        Name: svc.Service,
        Datacenter: datacenter,
        Tags: [],
        Nodes: [],
        ExternalSources: [],
        InstanceCount: 0,
        ChecksPassing: 0,
        ChecksWarning: 0,
        ChecksCritical: 0,
        GatewayConfig: {},
        TransparentProxy: false,
        ConnectNative: Boolean((svc.Connect as { Native?: boolean } | undefined)?.Native),
        ConnectedWithProxy: false,
        ConnectedWithGateway: false,
      };
      if (svc.Kind) sum.Kind = svc.Kind;
      e = { sum, tags: new Set(), nodes: new Set(), sources: new Set(), checks: new Map() };
      byName.set(svc.Service, e);
    }
    e.sum.InstanceCount++;
    for (const t of svc.Tags) e.tags.add(t);
    e.nodes.add(r.Node);
    const src = svc.Meta['external-source'];
    if (src) e.sources.add(src);
    for (const c of instanceChecks(s, r.Node, svc.ID)) e.checks.set(`${c.Node}\u0000${c.CheckID}`, c.Status);
  }
  const value = [...byName.keys()].sort().map((name) => {
    const e = byName.get(name)!;
    e.sum.Tags = [...e.tags];
    e.sum.Nodes = [...e.nodes];
    e.sum.ExternalSources = [...e.sources];
    for (const st of e.checks.values()) {
      if (st === HEALTH_PASSING) e.sum.ChecksPassing++;
      else if (st === HEALTH_WARNING) e.sum.ChecksWarning++;
      else if (st === HEALTH_CRITICAL) e.sum.ChecksCritical++;
    }
    return e.sum;
  });
  return { index: s.maxIndex('nodes', 'services', 'checks'), value, watch: catalogWatch() };
}
