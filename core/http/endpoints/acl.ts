import type { ACLPolicy, ACLRole, ACLToken } from '../../state/types.ts';
import type { AgentApi } from '../api.ts';
import type { ApiResponse } from '../api-response.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, HttpError } from '../errors.ts';
import { isObject } from '../json.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom, rpcRead } from '../rpc-read.ts';

/**
 * `/v1/acl/*` (agent/acl_endpoint.go): bootstrap, tokens, policies and roles. Reads need acl:read,
 * writes acl:write; `token/self` needs only a valid token. With ACLs off every endpoint is a 401
 * `ACL support disabled`. Missing objects are 403 `ACL not found`, as Consul reports them.
 */

const ACL_NOT_FOUND = new HttpError(403, 'ACL not found');
const HIDDEN = '<hidden>';

/** A token as Consul's JSON shows it (empty link lists and identities omitted). */
export function tokenJson(t: ACLToken, showSecret = true): Record<string, unknown> {
  const out: Record<string, unknown> = { AccessorID: t.AccessorID, SecretID: showSecret ? t.SecretID : HIDDEN, Description: t.Description };
  if (t.Policies.length > 0) out.Policies = t.Policies;
  if (t.Roles.length > 0) out.Roles = t.Roles;
  if (t.ServiceIdentities?.length) out.ServiceIdentities = t.ServiceIdentities;
  if (t.NodeIdentities?.length) out.NodeIdentities = t.NodeIdentities;
  out.Local = t.Local;
  if (t.ExpirationTime) out.ExpirationTime = t.ExpirationTime;
  out.CreateTime = t.CreateTime;
  out.Hash = t.Hash;
  out.CreateIndex = t.CreateIndex;
  out.ModifyIndex = t.ModifyIndex;
  return out;
}

export function roleJson(r: ACLRole): Record<string, unknown> {
  const out: Record<string, unknown> = { ID: r.ID, Name: r.Name, Description: r.Description };
  if (r.Policies.length > 0) out.Policies = r.Policies;
  if (r.ServiceIdentities?.length) out.ServiceIdentities = r.ServiceIdentities;
  if (r.NodeIdentities?.length) out.NodeIdentities = r.NodeIdentities;
  out.Hash = r.Hash;
  out.CreateIndex = r.CreateIndex;
  out.ModifyIndex = r.ModifyIndex;
  return out;
}

/** A policy list entry (ACLPolicyListStub: no Rules). */
function policyStub(p: ACLPolicy): Record<string, unknown> {
  const { Rules: _rules, ...rest } = p;
  return rest;
}

async function body(ctx: ApiContext): Promise<Record<string, unknown>> {
  const raw = await ctx.readJson();
  if (raw === undefined) return {};
  if (!isObject(raw)) throw badRequest('Request decode failed: expected a JSON object');
  return raw;
}

/** Bootstrap refusals are 403 Permission denied with the reason (acl_endpoint.go ACLBootstrap). */
function bootstrapError(e: unknown): unknown {
  const message = e instanceof Error ? e.message : String(e);
  if (message.includes('ACL bootstrap no longer allowed') || message.includes('Invalid bootstrap reset index')) return new HttpError(403, `Permission denied: ${message}`);
  return e;
}

export function registerAcl(router: Router, agent: AgentApi): void {
  const enabled = () => {
    if (!agent.aclsEnabled) throw new HttpError(401, 'ACL support disabled');
  };
  const dc = (ctx: ApiContext) => queryOptionsFrom(ctx).Datacenter;
  const need = async (ctx: ApiContext, level: 'read' | 'write') => {
    enabled();
    const acl = await ctx.authorize();
    acl.requireSingle('acl', level);
    return acl;
  };
  // The RPCs check the caller again on the server: send the token the request acts with.
  const write = async (ctx: ApiContext, method: string, args: Record<string, unknown>) => agent.rpc(method, { ...args, Datacenter: dc(ctx), Token: (await ctx.authorize()).secret });
  const read = async <T>(ctx: ApiContext, method: string, args: Record<string, unknown>) => rpcRead<T>(agent, ctx, method, { ...args, Token: (await ctx.authorize()).secret });

  router.register('/v1/acl/bootstrap', ['PUT'], async (ctx) => {
    enabled();
    const token = await write(ctx, 'ACL.Bootstrap', {}).catch((e) => {
      throw bootstrapError(e);
    });
    return jsonResponse(tokenJson(token as ACLToken), { pretty: ctx.pretty });
  });

  router.register('/v1/acl/replication', ['GET'], async (ctx) => {
    await need(ctx, 'read');
    return jsonResponse(await write(ctx, 'ACL.ReplicationStatus', {}), { pretty: ctx.pretty });
  });
  router.register('/v1/internal/acl/authorize', ['POST'], async (ctx) => authorizeBatch(ctx));

  // Tokens.
  router.register('/v1/acl/tokens', ['GET'], async (ctx) => {
    const acl = await need(ctx, 'read');
    const r = await read<ACLToken[]>(ctx, 'ACL.TokenList', { Policy: ctx.query.get('policy') ?? '', Role: ctx.query.get('role') ?? '' });
    const showSecrets = acl.canSingle('acl', 'write');
    return jsonResponse(r.value.map((t) => tokenJson(t, showSecrets)), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/acl/token', ['PUT'], async (ctx) => {
    await need(ctx, 'write');
    const token = await write(ctx, 'ACL.TokenSet', { ACLToken: await body(ctx), Create: true });
    return jsonResponse(tokenJson(token as ACLToken), { pretty: ctx.pretty });
  });
  router.register('/v1/acl/token/self', ['GET'], async (ctx) => {
    enabled();
    // Resolving first gives `ACL not found` for an unknown secret, like Consul's TokenRead; no
    // token at all is not found either (the anonymous token has no "self").
    await ctx.authorize();
    if (!ctx.token) throw ACL_NOT_FOUND;
    const r = await read<ACLToken | null>(ctx, 'ACL.TokenRead', { TokenID: ctx.token, TokenIDType: 'secret' });
    if (!r.value) throw ACL_NOT_FOUND;
    return jsonResponse(tokenJson(r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/acl/token/', ['GET', 'PUT', 'DELETE'], async (ctx) => {
    const path = ctx.suffix;
    if (path.endsWith('/clone')) {
      if (ctx.method !== 'PUT') throw new HttpError(405, `method ${ctx.method} not allowed`, { Allow: 'OPTIONS,PUT' });
      await need(ctx, 'write');
      const b = await body(ctx);
      const token = await write(ctx, 'ACL.TokenClone', { TokenID: path.slice(0, -'/clone'.length), Description: typeof b.Description === 'string' ? b.Description : '' });
      return jsonResponse(tokenJson(token as ACLToken), { pretty: ctx.pretty });
    }
    if (!path) throw badRequest('Missing token ID');
    if (ctx.method === 'GET') {
      const acl = await need(ctx, 'read');
      const r = await read<ACLToken | null>(ctx, 'ACL.TokenRead', { TokenID: path, TokenIDType: 'accessor' });
      if (!r.value) throw ACL_NOT_FOUND;
      return jsonResponse(tokenJson(r.value, acl.canSingle('acl', 'write')), { pretty: ctx.pretty, meta: r.meta });
    }
    await need(ctx, 'write');
    if (ctx.method === 'DELETE') {
      await write(ctx, 'ACL.TokenDelete', { TokenID: path });
      return jsonResponse(true, { pretty: ctx.pretty });
    }
    const b = await body(ctx);
    if (b.AccessorID !== undefined && b.AccessorID !== '' && b.AccessorID !== path) throw badRequest('Token Accessor ID in URL and payload do not match');
    const token = await write(ctx, 'ACL.TokenSet', { ACLToken: { ...b, AccessorID: path }, Create: false });
    return jsonResponse(tokenJson(token as ACLToken), { pretty: ctx.pretty });
  });

  // Policies.
  router.register('/v1/acl/policies', ['GET'], async (ctx) => {
    await need(ctx, 'read');
    const r = await read<ACLPolicy[]>(ctx, 'ACL.PolicyList', {});
    return jsonResponse(r.value.map(policyStub), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/acl/policy', ['PUT'], async (ctx) => {
    await need(ctx, 'write');
    const policy = await write(ctx, 'ACL.PolicySet', { Policy: await body(ctx), Create: true });
    return jsonResponse(policy, { pretty: ctx.pretty });
  });
  router.register('/v1/acl/policy/name/', ['GET'], async (ctx) => {
    await need(ctx, 'read');
    if (!ctx.suffix) throw badRequest('Missing policy Name');
    const r = await read<ACLPolicy | null>(ctx, 'ACL.PolicyRead', { PolicyName: ctx.suffix });
    if (!r.value) throw ACL_NOT_FOUND;
    return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/acl/policy/', ['GET', 'PUT', 'DELETE'], async (ctx) => {
    const id = ctx.suffix;
    if (!id) throw badRequest('Missing policy ID');
    if (ctx.method === 'GET') {
      await need(ctx, 'read');
      const r = await read<ACLPolicy | null>(ctx, 'ACL.PolicyRead', { PolicyID: id });
      if (!r.value) throw ACL_NOT_FOUND;
      return jsonResponse(r.value, { pretty: ctx.pretty, meta: r.meta });
    }
    await need(ctx, 'write');
    if (ctx.method === 'DELETE') {
      await write(ctx, 'ACL.PolicyDelete', { PolicyID: id });
      return jsonResponse(true, { pretty: ctx.pretty });
    }
    const b = await body(ctx);
    if (b.ID !== undefined && b.ID !== '' && b.ID !== id) throw badRequest('Policy ID in URL and payload do not match');
    const policy = await write(ctx, 'ACL.PolicySet', { Policy: { ...b, ID: id }, Create: false });
    return jsonResponse(policy, { pretty: ctx.pretty });
  });

  // Roles.
  router.register('/v1/acl/roles', ['GET'], async (ctx) => {
    await need(ctx, 'read');
    const r = await read<ACLRole[]>(ctx, 'ACL.RoleList', { Policy: ctx.query.get('policy') ?? '' });
    return jsonResponse(r.value.map(roleJson), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/acl/role', ['PUT'], async (ctx) => {
    await need(ctx, 'write');
    const role = await write(ctx, 'ACL.RoleSet', { Role: await body(ctx), Create: true });
    return jsonResponse(roleJson(role as ACLRole), { pretty: ctx.pretty });
  });
  router.register('/v1/acl/role/name/', ['GET'], async (ctx) => {
    await need(ctx, 'read');
    if (!ctx.suffix) throw badRequest('Missing role Name');
    const r = await read<ACLRole | null>(ctx, 'ACL.RoleRead', { RoleName: ctx.suffix });
    if (!r.value) throw ACL_NOT_FOUND;
    return jsonResponse(roleJson(r.value), { pretty: ctx.pretty, meta: r.meta });
  });
  router.register('/v1/acl/role/', ['GET', 'PUT', 'DELETE'], async (ctx) => {
    const id = ctx.suffix;
    if (!id) throw badRequest('Missing role ID');
    if (ctx.method === 'GET') {
      await need(ctx, 'read');
      const r = await read<ACLRole | null>(ctx, 'ACL.RoleRead', { RoleID: id });
      if (!r.value) throw ACL_NOT_FOUND;
      return jsonResponse(roleJson(r.value), { pretty: ctx.pretty, meta: r.meta });
    }
    await need(ctx, 'write');
    if (ctx.method === 'DELETE') {
      await write(ctx, 'ACL.RoleDelete', { RoleID: id });
      return jsonResponse(true, { pretty: ctx.pretty });
    }
    const b = await body(ctx);
    if (b.ID !== undefined && b.ID !== '' && b.ID !== id) throw badRequest('Role ID in URL and payload do not match');
    const role = await write(ctx, 'ACL.RoleSet', { Role: { ...b, ID: id }, Create: false });
    return jsonResponse(roleJson(role as ACLRole), { pretty: ctx.pretty });
  });
}

const MAX_AUTHORIZATIONS = 64;
const SEGMENTED = new Set(['agent', 'event', 'key', 'node', 'query', 'service', 'session']);
const SINGLE = new Set(['acl', 'keyring', 'mesh', 'operator', 'peering']);

/**
 * `POST /v1/internal/acl/authorize` (agent/acl_endpoint.go ACLAuthorize): what the request's own
 * token may do, for the UI's permission model. `[{Resource, Segment?, Access}]` ->
 * the same with `Allowed`. It reveals nothing but the caller's own rights, so no ACL guards it.
 */
async function authorizeBatch(ctx: ApiContext): Promise<ApiResponse> {
  const raw = await ctx.readJson();
  if (!Array.isArray(raw)) throw badRequest('Request decode failed: expected a JSON array');
  if (raw.length > MAX_AUTHORIZATIONS) throw badRequest(`Refusing to process more than ${MAX_AUTHORIZATIONS} authorizations at once`);
  const acl = await ctx.authorize();
  const out = raw.map((item) => {
    if (!isObject(item)) throw badRequest('Request decode failed: expected objects');
    const resource = String(item.Resource ?? '');
    const segment = String(item.Segment ?? '');
    const access = String(item.Access ?? '');
    if (access !== 'read' && access !== 'write' && access !== 'list') throw badRequest(`Invalid access level: "${access}"`);
    let allowed: boolean;
    if (SINGLE.has(resource)) allowed = acl.canSingle(resource as 'acl', access);
    else if (SEGMENTED.has(resource)) allowed = acl.can(resource as 'key', segment, access);
    else throw badRequest(`Invalid ACL resource: "${resource}"`);
    return { Resource: resource, Segment: segment, Access: access, Allowed: allowed };
  });
  return jsonResponse(out, { pretty: ctx.pretty });
}
