import { attempt, httpCommand } from '../../http-command.ts';
import { columnize } from '../../lib/columnize.ts';
import { mapToKv, nodeMetaQuery, setMapFlag } from '../../lib/flag-map.ts';
import { readDataArg } from '../../lib/read-input.ts';

interface CatalogNode {
  ID: string;
  Node: string;
  Address: string;
  Datacenter: string;
  TaggedAddresses?: Record<string, string> | null;
  Meta?: Record<string, string> | null;
}

const SEP = '\x1f';

/** Consul's catalog NodesHeader/NodeRow table; the short form shows the ID's first octet only. */
export function formatNodes(nodes: readonly CatalogNode[], detailed: boolean): string {
  const rows = [detailed ? ['Node', 'ID', 'Address', 'DC', 'TaggedAddresses', 'Meta'].join(SEP) : ['Node', 'ID', 'Address', 'DC'].join(SEP)];
  for (const n of nodes) {
    if (detailed) rows.push([n.Node, n.ID, n.Address, n.Datacenter, mapToKv(n.TaggedAddresses, ', '), mapToKv(n.Meta, ', ')].join(SEP));
    else {
      const idx = n.ID.indexOf('-');
      rows.push([n.Node, idx > 0 ? n.ID.slice(0, idx) : n.ID, n.Address, n.Datacenter].join(SEP));
    }
  }
  return columnize(rows, SEP);
}

/** `consul catalog nodes [-service S] [-near N] [-node-meta k=v] [-filter F] [-detailed]`. */
export const catalogNodesCommand = httpCommand({
  help: `
Usage: consul catalog nodes [options]

  Retrieves the list nodes registered in a given datacenter. By default, the
  datacenter of the local agent is queried.

  To retrieve the list of nodes:

      $ consul catalog nodes

  To print detailed information including full node IDs, tagged addresses, and
  metadata information:

      $ consul catalog nodes -detailed

  To list nodes which are running a particular service:

      $ consul catalog nodes -service=web

  To filter by node metadata:

      $ consul catalog nodes -node-meta="foo=bar"

  To sort nodes by estimated round-trip time from node-web:

      $ consul catalog nodes -near=node-web

  For a full list of options and examples, please see the Consul documentation.
`,
  defaults: () => ({ detailed: false, near: '', nodeMeta: new Map<string, string>(), service: '', filter: '' }),
  flags: (fs, o) =>
    fs
      .add({ name: 'filter', usage: 'Filter to use with the request', set: (v) => void (o.filter = v) })
      .add({ name: 'detailed', bool: true, usage: 'Output detailed information about the nodes including their addresses and metadata.', set: (v) => void (o.detailed = v === 'true' || v === '1' || v === 't') })
      .add({ name: 'near', usage: 'Node name to sort the node list in ascending order based on estimated round-trip time from that node. Passing "_agent" will use this agent\'s node for sorting.', set: (v) => void (o.near = v) })
      .add({ name: 'node-meta', usage: 'Metadata to filter nodes with the given `key=value` pairs. This flag may be specified multiple times to filter on multiple sources of metadata.', set: (v) => setMapFlag(o.nodeMeta, v) })
      .add({ name: 'service', usage: 'Service `id or name` to filter nodes. Only nodes which are providing the given service will be returned.', set: (v) => void (o.service = v) }),
  async run({ args, opts, io, client }) {
    if (args.length > 0) {
      io.stderr(`Too many arguments (expected 0, got ${args.length})\n`);
      return 1;
    }
    let filter = opts.filter;
    if (filter.startsWith('@') || filter === '-') {
      try {
        filter = (await readDataArg(filter)).toString('utf8');
      } catch (e) {
        io.stderr(`Could not process filter argument: ${(e as Error).message}\n`);
        return 1;
      }
    }
    const query = { near: opts.near || undefined, 'node-meta': nodeMetaQuery(opts.nodeMeta), filter: filter || undefined };
    let nodes: CatalogNode[];
    if (opts.service) {
      const r = await attempt(io, 'Error listing nodes for service', () =>
        client.getJson<(CatalogNode & { NodeMeta?: Record<string, string> })[]>(`/v1/catalog/service/${encodeURIComponent(opts.service)}`, { query }),
      );
      if (!r.ok) return 1;
      nodes = (r.value.value ?? []).map((s) => ({ ...s, Meta: s.NodeMeta ?? null }));
    } else {
      const r = await attempt(io, 'Error listing nodes', () => client.getJson<CatalogNode[]>('/v1/catalog/nodes', { query }));
      if (!r.ok) return 1;
      nodes = r.value.value ?? [];
    }
    if (nodes.length === 0) {
      io.stderr('No nodes match the given query - try expanding your search.\n');
      return 0;
    }
    io.stdout(`${formatNodes(nodes, opts.detailed)}\n`);
    return 0;
  },
});
