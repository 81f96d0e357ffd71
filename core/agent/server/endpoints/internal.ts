import { nodePrefix, lc } from '../../../state/schema.ts';
import type { StateStore } from '../../../state/store.ts';
import { tableTopic } from '../../../state/table.ts';
import type { HealthCheck, Node, NodeService, QueryResult } from '../../../state/types.ts';
import { WatchSet } from '../../../state/watch.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

/** A node with its services and checks (structs.NodeInfo), as the UI endpoints serve it. */
export interface NodeInfo extends Omit<Node, 'CreateIndex' | 'ModifyIndex'> {
  Services: NodeService[];
  Checks: HealthCheck[];
}

function nodeInfo(s: StateStore, n: Node, datacenter: string): NodeInfo {
  return {
    ID: n.ID,
    Node: n.Node,
    Address: n.Address,
    Datacenter: n.Datacenter || datacenter,
    TaggedAddresses: n.TaggedAddresses,
    Meta: n.Meta,
    Services: s.t.services.prefix(nodePrefix(n.Node)).map((r) => r.Service),
    Checks: s.t.checks.prefix(nodePrefix(n.Node)),
  } as NodeInfo;
}

/**
 * Internal.NodeDump / Internal.NodeInfo (agent/consul/internal_endpoint.go): every node (or one)
 * with its services and checks, in node order; blocks on the nodes, services and checks tables.
 */
export function nodeDump(s: StateStore, datacenter: string, node?: string): QueryResult<NodeInfo[]> {
  const watch = new WatchSet().addTopic(tableTopic('nodes')).addTopic(tableTopic('services')).addTopic(tableTopic('checks'));
  const index = s.maxIndex('nodes', 'services', 'checks');
  if (node !== undefined) {
    const n = s.t.nodes.get(lc(node));
    return { index, value: n ? [nodeInfo(s, n, datacenter)] : [], watch };
  }
  return { index, value: [...s.t.nodes.all()].map((n) => nodeInfo(s, n, datacenter)), watch };
}

export const internalNodeDump: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => nodeDump(ctx.state, ctx.datacenter), respond);
  },
};

export const internalNodeInfo: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const node = str(args.Node);
    ctx.read(queryOf(args), () => nodeDump(ctx.state, ctx.datacenter, node), respond);
  },
};
