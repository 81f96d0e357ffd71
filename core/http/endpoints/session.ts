import type { Session } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, notFound } from '../errors.ts';
import { canonicalKeys } from '../json.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { effectiveToken, queryOptionsFrom, rpcRead } from '../rpc-read.ts';

const SESSION_FIELDS = ['ID', 'Name', 'Node', 'LockDelay', 'Behavior', 'TTL', 'Checks', 'NodeChecks', 'ServiceChecks'];

export function registerSession(router: Router, agent: AgentApi): void {
  router.register('/v1/session/create', ['PUT'], async (ctx) => {
    const body = await ctx.readJson();
    if (body !== undefined && (typeof body !== 'object' || body === null || Array.isArray(body))) {
      throw badRequest('Request decode failed: expected a JSON object');
    }
    // Go decodes field names case-insensitively: python-consul sends `name`, `ttl`, `lockdelay`.
    const session = body === undefined ? null : canonicalKeys(body as Record<string, unknown>, SESSION_FIELDS);
    // session:write on the node the session is for (the agent's own by default).
    (await ctx.authorize()).require('session', typeof session?.Node === 'string' && session.Node ? session.Node : agent.nodeName, 'write');
    const id = await agent.rpc('Session.Apply', {
      Op: 'create',
      Session: session,
      AgentNode: agent.nodeName,
      Datacenter: queryOptionsFrom(ctx).Datacenter,
      Token: await effectiveToken(ctx),
    });
    return jsonResponse({ ID: id }, { pretty: ctx.pretty });
  });
  router.register('/v1/session/destroy/', ['PUT'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing session');
    await requireSessionWrite(agent, ctx);
    await agent.rpc('Session.Apply', { Op: 'destroy', ID: ctx.suffix, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: await effectiveToken(ctx) });
    return jsonResponse(true, { pretty: ctx.pretty });
  });
  router.register('/v1/session/renew/', ['PUT'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing session');
    await requireSessionWrite(agent, ctx);
    try {
      const sessions = await agent.rpc('Session.Renew', { ID: ctx.suffix, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: await effectiveToken(ctx) });
      return jsonResponse(sessions, { pretty: ctx.pretty });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message.startsWith('Session id')) throw notFound(message);
      throw e;
    }
  });
  router.register('/v1/session/info/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing session');
    const acl = await ctx.authorize();
    const r = await rpcRead<Session[]>(agent, ctx, 'Session.Get', { ID: ctx.suffix });
    return jsonResponse(ctx.keep(r.value, (x) => acl.can('session', x.Node, 'read')), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/session/node/', ['GET'], async (ctx) => {
    if (!ctx.suffix) throw badRequest('Missing node name');
    const acl = await ctx.authorize();
    const r = await rpcRead<Session[]>(agent, ctx, 'Session.NodeSessions', { Node: ctx.suffix });
    return jsonResponse(ctx.keep(r.value, (x) => acl.can('session', x.Node, 'read')), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/session/list', ['GET'], async (ctx) => {
    const acl = await ctx.authorize();
    const r = await rpcRead<Session[]>(agent, ctx, 'Session.List', {});
    return jsonResponse(ctx.keep(r.value, (x) => acl.can('session', x.Node, 'read')), { pretty: ctx.pretty, meta: r.meta });
  });
}

/**
 * Destroy and renew need session:write on the session's node (Consul's Session.Apply/Renew look
 * the session up first). An unknown session passes: the RPC reports it as Consul does.
 */
async function requireSessionWrite(agent: AgentApi, ctx: ApiContext): Promise<void> {
  const acl = await ctx.authorize();
  if (!acl.enabled) return;
  const r = await rpcRead<Session[]>(agent, ctx, 'Session.Get', { ID: ctx.suffix });
  const node = r.value[0]?.Node;
  if (node !== undefined) acl.require('session', node, 'write');
}
