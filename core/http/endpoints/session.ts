import type { Session } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import { badRequest, notFound } from '../errors.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom, rpcRead } from '../rpc-read.ts';

export function registerSession(router: Router, agent: AgentApi): void {
  router.register('/v1/session/create', ['PUT'], async (ctx) => {
    const body = await ctx.readJson();
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw badRequest('Request decode failed: expected a JSON object');
    }
    const id = await agent.rpc('Session.Apply', {
      Op: 'create',
      Session: body ?? null,
      AgentNode: agent.nodeName,
      Datacenter: queryOptionsFrom(ctx).Datacenter,
      Token: ctx.token,
    });
    return jsonResponse({ ID: id }, { pretty: ctx.pretty });
  });
  router.register('/v1/session/destroy/', ['PUT'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing session');
    await agent.rpc('Session.Apply', { Op: 'destroy', ID: ctx.suffix, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: ctx.token });
    return jsonResponse(true, { pretty: ctx.pretty });
  });
  router.register('/v1/session/renew/', ['PUT'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing session');
    try {
      const sessions = await agent.rpc('Session.Renew', { ID: ctx.suffix, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: ctx.token });
      return jsonResponse(sessions, { pretty: ctx.pretty });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message.startsWith('Session id')) throw notFound(message);
      throw e;
    }
  });
  router.register('/v1/session/info/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing session');
    const r = await rpcRead<Session[]>(agent, ctx, 'Session.Get', { ID: ctx.suffix });
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/session/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const r = await rpcRead<Session[]>(agent, ctx, 'Session.NodeSessions', { Node: ctx.suffix });
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/session/list', ['GET'], async (ctx) => {
    const r = await rpcRead<Session[]>(agent, ctx, 'Session.List', {});
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
}
