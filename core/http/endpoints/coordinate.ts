import type { Coordinate } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import { ApiResponse } from '../api-response.ts';
import { badRequest, HttpError } from '../errors.ts';
import { canonicalKeys, isObject } from '../json.ts';
import { emptyResponse, jsonResponse, metaHeaders } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter, queryOptionsFrom, rpcRead } from '../rpc-read.ts';

/**
 * `/v1/coordinate/*` (agent/coordinate_endpoint.go): the servers' WAN coordinates per datacenter,
 * every node's LAN coordinate (blocking), one node's, and the update agents send.
 */
export function registerCoordinate(router: Router, agent: AgentApi): void {
  router.register('/v1/coordinate/datacenters', ['GET'], async (ctx) => {
    const dcs = await agent.rpc('Coordinate.ListDatacenters', {});
    return jsonResponse(dcs, { pretty: ctx.pretty });
  });
  router.register('/v1/coordinate/nodes', ['GET'], async (ctx) => {
    const segment = ctx.query.get('segment');
    const acl = await ctx.authorize();
    const r = await rpcRead<Coordinate[]>(agent, ctx, 'Coordinate.ListNodes', segment === null ? {} : { Segment: segment });
    return jsonResponse(applyFilter(ctx, ctx.keep(r.value, (c) => acl.can('node', c.Node, 'read'))), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/coordinate/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const segment = ctx.query.get('segment');
    const acl = await ctx.authorize();
    const r = await rpcRead<Coordinate[]>(agent, ctx, 'Coordinate.Node', { Node: ctx.suffix });
    const visible = ctx.keep(r.value, (c) => acl.can('node', c.Node, 'read'));
    const rows = segment === null ? visible : visible.filter((c) => c.Segment === segment);
    // An unknown node is a 404 with the query meta but no body (coordinate_endpoint.go).
    if (rows.length === 0) return new ApiResponse(404, null, metaHeaders(r.meta));
    return jsonResponse(applyFilter(ctx, rows), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/coordinate/update', ['PUT'], async (ctx) => {
    const raw = await ctx.readJson();
    if (!isObject(raw)) throw badRequest('Request decode failed: expected a JSON object');
    const body = canonicalKeys(raw, ['Node', 'Segment', 'Coord', 'Datacenter']);
    const coord = isObject(body.Coord) ? canonicalKeys(body.Coord, ['Vec', 'Error', 'Adjustment', 'Height']) : body.Coord;
    if (typeof body.Node !== 'string' || body.Node === '') throw new HttpError(400, 'Missing node name');
    (await ctx.authorize()).require('node', body.Node, 'write');
    await agent.rpc('Coordinate.Update', {
      Node: body.Node,
      Segment: typeof body.Segment === 'string' ? body.Segment : '',
      Coord: coord,
      Datacenter: (typeof body.Datacenter === 'string' && body.Datacenter) || queryOptionsFrom(ctx).Datacenter,
      Token: ctx.token,
    });
    return emptyResponse();
  });
}
