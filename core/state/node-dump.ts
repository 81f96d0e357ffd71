import { lc, nodePrefix, topic } from './schema.ts';
import type { StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import type { HealthCheck, Node, NodeService, QueryResult } from './types.ts';
import { WatchSet } from './watch.ts';

/** A node with its services and checks (structs.NodeInfo), as `/v1/internal/ui/nodes` shows it. */
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

function info(s: StateStore, n: Node): NodeInfo {
  return {
    ID: n.ID,
    Node: n.Node,
    Address: n.Address,
    Datacenter: n.Datacenter,
    TaggedAddresses: n.TaggedAddresses,
    Meta: n.Meta,
    Services: s.t.services.prefix(nodePrefix(n.Node)).map((r) => r.Service),
    Checks: s.t.checks.prefix(nodePrefix(n.Node)),
  };
}

/** Every node with its services and checks (state NodeDump), ordered by node name. */
export function nodeDump(s: StateStore): QueryResult<NodeInfo[]> {
  const watch = new WatchSet().addTopic(tableTopic('nodes')).addTopic(tableTopic('services')).addTopic(tableTopic('checks'));
  return { index: s.maxIndex('nodes', 'services', 'checks'), value: [...s.t.nodes.all()].map((n) => info(s, n)), watch };
}

/** One node's dump (NodeInfo), or null when the catalog does not know it. */
export function nodeInfo(s: StateStore, node: string): QueryResult<NodeInfo | null> {
  const n = s.t.nodes.get(lc(node));
  const watch = new WatchSet().addTopic(topic.nodeAll(node));
  return { index: s.maxIndex('nodes', 'services', 'checks'), value: n ? info(s, n) : null, watch };
}

/** Every check in the catalog (for the catalog overview). */
export function allChecks(s: StateStore): QueryResult<HealthCheck[]> {
  return { index: s.t.checks.maxIndex, value: [...s.t.checks.all()], watch: new WatchSet().addTopic(tableTopic('checks')) };
}
