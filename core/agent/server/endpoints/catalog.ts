import type { DeregisterRequest, RegisterRequest } from '../../../state/catalog.ts';
import { catalogNodeServices, catalogNodes, catalogServiceNodes, catalogServices } from '../../../state/catalog-read.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

/** Node-meta and tag filters carried in args. */
function filters(args: Record<string, unknown>) {
  const nodeMeta = args.NodeMetaFilters && typeof args.NodeMetaFilters === 'object' ? (args.NodeMetaFilters as Record<string, string>) : undefined;
  const tags = Array.isArray(args.Tags) ? (args.Tags as string[]) : undefined;
  return { nodeMeta, tags };
}

/** Catalog.Register: the PUT /v1/catalog/register body. */
export const catalogRegister: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const req = args.Register as RegisterRequest | undefined;
    if (!req || typeof req !== 'object') return respond('Missing node registration');
    if (!req.Node) return respond('Must provide node');
    if (!req.Address && !req.SkipNodeUpdate) return respond('Must provide address if SkipNodeUpdate is not set');
    ctx.write({ type: 'register', req }, respond);
  },
};

/** Catalog.Deregister: node, service or check. */
export const catalogDeregister: Endpoint = {
  kind: 'write',
  handle(ctx, args, respond) {
    const req = args.Deregister as DeregisterRequest | undefined;
    if (!req?.Node) return respond('Must provide node');
    ctx.write({ type: 'deregister', req }, respond);
  },
};

export const catalogListNodes: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => catalogNodes(ctx.state, filters(args)), respond);
  },
};

export const catalogListServices: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    ctx.read(queryOf(args), () => catalogServices(ctx.state, filters(args)), respond);
  },
};

export const catalogServiceNodesEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const name = str(args.ServiceName);
    ctx.read(queryOf(args), () => catalogServiceNodes(ctx.state, name, filters(args)), respond);
  },
};

export const catalogNodeServicesEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const node = str(args.Node);
    ctx.read(queryOf(args), () => catalogNodeServices(ctx.state, node), respond);
  },
};

/**
 * Catalog.ListDatacenters: the datacenters this server can route to, nearest first. With no WAN
 * federation that is its own.
 */
export const catalogListDatacenters: Endpoint = {
  kind: 'local',
  handle(ctx, _args, respond) {
    respond(undefined, ctx.knownDatacenters());
  },
};
