import { healthChecksInState, healthNodeChecks, healthServiceChecks, healthServiceNodes } from '../../../state/catalog-read.ts';
import { type Endpoint, queryOf, str } from '../endpoint.ts';

function filters(args: Record<string, unknown>) {
  const nodeMeta = args.NodeMetaFilters && typeof args.NodeMetaFilters === 'object' ? (args.NodeMetaFilters as Record<string, string>) : undefined;
  const tags = Array.isArray(args.Tags) ? (args.Tags as string[]) : undefined;
  return { nodeMeta, tags, passing: args.PassingOnly === true };
}

export const healthChecksInStateEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const state = str(args.State);
    ctx.read(queryOf(args), () => healthChecksInState(ctx.state, state, filters(args)), respond);
  },
};

export const healthNodeChecksEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const node = str(args.Node);
    ctx.read(queryOf(args), () => healthNodeChecks(ctx.state, node), respond);
  },
};

export const healthServiceChecksEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const name = str(args.ServiceName);
    ctx.read(queryOf(args), () => healthServiceChecks(ctx.state, name, filters(args)), respond);
  },
};

export const healthServiceNodesEndpoint: Endpoint = {
  kind: 'read',
  handle(ctx, args, respond) {
    const name = str(args.ServiceName);
    ctx.read(queryOf(args), () => healthServiceNodes(ctx.state, name, filters(args)), respond);
  },
};
