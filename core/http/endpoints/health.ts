import type { HealthCheck, ServiceEntry } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiContext } from '../context.ts';
import { badRequest } from '../errors.ts';
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

export function registerHealth(router: Router, agent: AgentApi): void {
  router.register('/v1/health/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Health.NodeChecks', { Node: ctx.suffix });
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/health/checks/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing service name');
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Health.ServiceChecks', { ServiceName: ctx.suffix, ...listFilters(ctx) });
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/health/state/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing check state');
    if (!STATES.includes(ctx.suffix)) throw badRequest('Invalid check state');
    const r = await rpcRead<HealthCheck[]>(agent, ctx, 'Health.ChecksInState', { State: ctx.suffix, ...listFilters(ctx) });
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/health/service/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing service name');
    const passing = passingOnly(ctx);
    const r = await rpcRead<ServiceEntry[]>(agent, ctx, 'Health.ServiceNodes', { ServiceName: ctx.suffix, PassingOnly: passing, ...listFilters(ctx) });
    return jsonResponse(applyFilter(ctx, r.value), { pretty: ctx.pretty, meta: r.meta });
  });
}
