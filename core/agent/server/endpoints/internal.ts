import { allChecks, type NodeInfo, nodeDump, nodeInfo } from '../../../state/node-dump.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

/** Nodes registered without a datacenter belong to this server's. */
const withDc = (n: NodeInfo, dc: string): NodeInfo => (n.Datacenter ? n : { ...n, Datacenter: dc });

/** Internal.NodeDump: every node with its services and checks (the UI's node list). */
export const internalNodeDump: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => {
      const r = nodeDump(ctx.state);
      return { ...r, value: r.value.map((n) => withDc(n, ctx.datacenter)) };
    }, respond);
  },
};

/** Internal.NodeInfo `{ Node }`: one node's dump, or null. */
export const internalNodeInfo: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const node = str(args.Node);
    ctx.read(queryOf(args), () => {
      const r = nodeInfo(ctx.state, node);
      return { ...r, value: r.value && withDc(r.value, ctx.datacenter) };
    }, respond);
  },
};

/** Internal.CatalogChecks: every health check (the catalog overview is computed from them). */
export const internalCatalogChecks: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => allChecks(ctx.state), respond);
  },
};
