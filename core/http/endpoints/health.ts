import type { AclIdentity } from '../../acl/identity.ts';
import type { HealthCheck, ServiceEntry } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiContext } from '../context.ts';
import { badRequest } from '../errors.ts';
import { applyNear } from '../near.ts';
import { parseGoBool } from '../query.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { applyFilter, rpcRead } from '../rpc-read.ts';
import { listFilters } from './catalog.ts';

/** `?passing`: present with no value means true; otherwise Go's ParseBool (health_endpoint.go). */
function passingOnly(ctx: ApiContext): boolean {
  if (!ctx.has('passing')) return false;
  const v = ctx.query.get('passing') ?? '';
  if (v === '') return true;
  const b = parseGoBool(v);
  if (b === undefined) throw badRequest('Invalid value for ?passing');
  return b;
}

const STATES = ['any', 'passing', 'warning', 'critical'];

/** A check is visible with node:read on its node and, for a service check, service:read. */
export function checkVisible(acl: AclIdentity, c: Pick<HealthCheck, 'Node' | 'ServiceName' | 'ServiceID'>): boolean {
  return acl.can('node', c.Node, 'read') && (!c.ServiceID || acl.can('service', c.ServiceName, 'read'));
}

export function registerHealth(router: Router, agent: AgentApi): void {
  router.register('/v1/health/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const acl = await ctx.authorize();
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Health.NodeChecks', { Node: ctx.suffix });
    return jsonResponse(applyFilter(ctx, ctx.keep(r.value, (c) => checkVisible(acl, c))), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/health/checks/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing service name');
    const acl = await ctx.authorize();
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Health.ServiceChecks', { ServiceName: ctx.suffix, ...listFilters(ctx) });
    const rows = await applyNear(agent, ctx, applyFilter(ctx, ctx.keep(r.value, (c) => checkVisible(acl, c))), (c) => c.Node);
    return jsonResponse(rows, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/health/state/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing check state');
    if (!STATES.includes(ctx.suffix)) throw badRequest('Invalid check state');
    const acl = await ctx.authorize();
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Health.ChecksInState', { State: ctx.suffix, ...listFilters(ctx) });
    const rows = await applyNear(agent, ctx, applyFilter(ctx, ctx.keep(r.value, (c) => checkVisible(acl, c))), (c) => c.Node);
    return jsonResponse(rows, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/health/service/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing service name');
    const passing = passingOnly(ctx);
    const acl = await ctx.authorize();
    const r = await rpcRead<ServiceEntry[]>(agent, ctx, 'Health.ServiceNodes', { ServiceName: ctx.suffix, PassingOnly: passing, ...listFilters(ctx) });
    const visible = acl.enabled
      ? ctx
          .keep(r.value, (e) => acl.can('node', e.Node.Node, 'read') && acl.can('service', e.Service.Service, 'read'))
          .map((e) => ({ ...e, Checks: ctx.keep(e.Checks ?? [], (c) => checkVisible(acl, c)) }))
      : r.value;
    const rows = await applyNear(agent, ctx, applyFilter(ctx, visible), (e) => e.Node.Node);
    return jsonResponse(rows, { pretty: ctx.pretty, meta: r.meta });
  });
}
