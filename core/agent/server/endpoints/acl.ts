import {
  BOOTSTRAP_DESCRIPTION,
  GLOBAL_MANAGEMENT_NAME,
  GLOBAL_MANAGEMENT_POLICY_ID,
} from '../../../acl/builtin.ts';
import type { ResolvedTokenWire } from '../../../acl/resolved-token.ts';
import { ACL_NOT_FOUND } from '../../../acl/token-resolver.ts';
import { aclRead } from '../../../state/acl.ts';
import type { StateStore } from '../../../state/store.ts';
import type { ACLPolicy, ACLRole, ACLToken, QueryResult } from '../../../state/types.ts';
import type { RpcRespond } from '../../rpc/rpc-server.ts';
import {
  prepareToken,
  preparePolicy,
  prepareRole,
  presentRole,
  presentToken,
  tokenExpired,
  undeletableToken,
} from '../acl/acl-objects.ts';
import { type Endpoint, type EndpointContext, queryOf, str } from '../endpoint.ts';

/**
 * The ACL RPC endpoints (Consul's agent/consul/acl_endpoint.go). Authorization of the caller is the
 * HTTP layer's job (it resolves the request's token first); these validate, commit and read.
 * Global objects are written in the primary datacenter (`primary: true` forwards them there).
 */

export const ACL_DISABLED = 'ACL support disabled';

function guarded(kind: Endpoint['kind'], primary: boolean, handle: Endpoint['handle']): Endpoint {
  return {
    kind,
    primary,
    handle(ctx, args, respond) {
      if (!ctx.acl.enabled) return respond(ACL_DISABLED);
      try {
        handle(ctx, args, respond);
      } catch (e) {
        respond(e instanceof Error ? e.message : String(e));
      }
    },
  };
}

const body = (v: unknown): Record<string, unknown> => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const first = (respond: RpcRespond) => (err: string | undefined, result?: unknown) => (err ? respond(err) : respond(undefined, Array.isArray(result) ? result[0] : result));

/** A read of one table-backed value with the table's index, for blocking queries. */
function readValue<T>(ctx: EndpointContext, args: Record<string, unknown>, run: () => QueryResult<T>, respond: RpcRespond): void {
  ctx.read(queryOf(args), run, respond);
}

/**
 * ACL.Bootstrap: creates the first management token, once. Afterwards only with the reset index
 * from the data dir's `acl-bootstrap-reset` file (then consumed).
 */
export const aclBootstrap = guarded('write', true, (ctx, _args, respond) => {
  if (ctx.datacenter !== ctx.acl.primaryDatacenter) return respond('ACL Bootstrapping is only allowed in the primary datacenter');
  const done = aclRead.bootstrapIndex(ctx.state);
  let resetIndex = 0;
  if (done > 0) {
    const raw = ctx.acl.bootstrapReset?.read()?.trim();
    if (!raw) return respond(`ACL bootstrap no longer allowed (reset index: ${done})`);
    resetIndex = Number(raw);
    if (!Number.isInteger(resetIndex) || resetIndex < 0) return respond(`failed to parse bootstrap reset index "${raw}"`);
    if (resetIndex !== done) return respond(`Invalid bootstrap reset index (specified ${resetIndex}, reset index: ${done})`);
  }
  const token = prepareToken(ctx.state, {
    body: { Description: BOOTSTRAP_DESCRIPTION, Policies: [{ ID: GLOBAL_MANAGEMENT_POLICY_ID }] },
    create: true,
    newUUID: () => ctx.newUUID(),
    nowMs: ctx.wallMs(),
  });
  ctx.write({ type: 'acl-bootstrap', token, resetIndex }, (err, result) => {
    if (err) return respond(err);
    if (resetIndex > 0) ctx.acl.bootstrapReset?.remove();
    respond(undefined, result);
  });
});

/** ACL.TokenSet: `{ ACLToken, Create }` -> the stored token. */
export const aclTokenSet = guarded('write', true, (ctx, args, respond) => {
  const token = prepareToken(ctx.state, { body: body(args.ACLToken), create: args.Create === true, newUUID: () => ctx.newUUID(), nowMs: ctx.wallMs() });
  ctx.write({ type: 'acl-token-set', tokens: [token] }, first(respond));
});

/** ACL.TokenClone: `{ TokenID, Description? }` -> a new token with the same links. */
export const aclTokenClone = guarded('write', true, (ctx, args, respond) => {
  const source = aclRead.tokenByAccessor(ctx.state, str(args.TokenID)).value;
  if (!source || tokenExpired(source, ctx.wallMs())) return respond('Cannot find token to clone');
  const b: Record<string, unknown> = {
    Description: str(args.Description) || source.Description,
    Policies: presentToken(ctx.state, source).Policies,
    Roles: presentToken(ctx.state, source).Roles,
    ServiceIdentities: source.ServiceIdentities,
    NodeIdentities: source.NodeIdentities,
    Local: source.Local,
  };
  const token = prepareToken(ctx.state, { body: b, create: true, newUUID: () => ctx.newUUID(), nowMs: ctx.wallMs() });
  if (source.ExpirationTime) token.ExpirationTime = source.ExpirationTime;
  ctx.write({ type: 'acl-token-set', tokens: [token] }, first(respond));
});

/** ACL.TokenDelete: `{ TokenID }` (AccessorID) -> true. */
export const aclTokenDelete = guarded('write', true, (ctx, args, respond) => {
  const id = str(args.TokenID);
  const refused = undeletableToken(id);
  if (refused) return respond(refused);
  if (!aclRead.tokenByAccessor(ctx.state, id).value) return respond(`Cannot find token to delete`);
  ctx.write({ type: 'acl-token-delete', ids: [id] }, (err) => (err ? respond(err) : respond(undefined, true)));
});

/** ACL.TokenRead: `{ TokenID, TokenIDType: 'accessor'|'secret' }` -> the token or null. */
export const aclTokenRead = guarded('read', false, (ctx, args, respond) => {
  const id = str(args.TokenID);
  const bySecret = args.TokenIDType === 'secret';
  readValue<ACLToken | null>(ctx, args, () => {
    const r = bySecret ? aclRead.tokenBySecret(ctx.state, id) : aclRead.tokenByAccessor(ctx.state, id);
    const t = r.value && !tokenExpired(r.value, ctx.wallMs()) ? presentToken(ctx.state, r.value) : null;
    return { ...r, value: t };
  }, respond);
});

/** ACL.TokenList: `{ Policy?, Role? }` -> tokens (unexpired), with current link names. */
export const aclTokenList = guarded('read', false, (ctx, args, respond) => {
  const policy = str(args.Policy);
  const role = str(args.Role);
  readValue<ACLToken[]>(ctx, args, () => {
    const r = aclRead.tokens(ctx.state);
    const now = ctx.wallMs();
    const rows = r.value
      .filter((t) => !tokenExpired(t, now))
      .filter((t) => !policy || t.Policies.some((p) => p.ID === policy))
      .filter((t) => !role || t.Roles.some((x) => x.ID === role))
      .map((t) => presentToken(ctx.state, t));
    return { ...r, value: rows };
  }, respond);
});

/**
 * ACL.TokenResolve: `{ SecretID }` -> what the token may do ({@link ResolvedTokenWire}), or
 * `ACL not found`. Answered from this server's state (agents resolve with stale reads).
 */
export const aclTokenResolve = guarded('local', false, (ctx, args, respond) => {
  const wire = resolveSecret(ctx.state, str(args.SecretID), str(args.ForDatacenter) || ctx.datacenter, ctx.wallMs());
  if (!wire) return respond(ACL_NOT_FOUND);
  respond(undefined, wire);
});

/** The policies a token's secret brings to `datacenter`: its own and its roles', deduplicated. */
export function resolveSecret(s: StateStore, secret: string, datacenter: string, nowMs: number): ResolvedTokenWire | undefined {
  const token = secret ? aclRead.tokenBySecret(s, secret).value : null;
  if (!token || tokenExpired(token, nowMs)) return undefined;
  const ids: string[] = token.Policies.map((p) => p.ID);
  const services = [...(token.ServiceIdentities ?? [])];
  const nodes = [...(token.NodeIdentities ?? [])];
  for (const link of token.Roles) {
    const role = aclRead.role(s, link.ID).value;
    if (!role) continue;
    for (const p of role.Policies) ids.push(p.ID);
    services.push(...(role.ServiceIdentities ?? []));
    nodes.push(...(role.NodeIdentities ?? []));
  }
  const policies: ResolvedTokenWire['Policies'] = [];
  for (const id of new Set(ids)) {
    const p = aclRead.policy(s, id).value;
    if (!p || (p.Datacenters?.length && !p.Datacenters.includes(datacenter))) continue;
    policies.push({ ID: p.ID, Name: p.Name, Rules: p.Rules });
  }
  return { AccessorID: token.AccessorID, Policies: policies, ServiceIdentities: services, NodeIdentities: nodes };
}

/** ACL.PolicySet: `{ Policy, Create }` -> the stored policy. */
export const aclPolicySet = guarded('write', true, (ctx, args, respond) => {
  const policy = preparePolicy(ctx.state, body(args.Policy), args.Create === true, () => ctx.newUUID());
  ctx.write({ type: 'acl-policy-set', policies: [policy] }, first(respond));
});

/** ACL.PolicyDelete: `{ PolicyID }`; the built-in global-management policy stays. */
export const aclPolicyDelete = guarded('write', true, (ctx, args, respond) => {
  const id = str(args.PolicyID);
  if (id === GLOBAL_MANAGEMENT_POLICY_ID) return respond(`Delete operation not permitted on the builtin ${GLOBAL_MANAGEMENT_NAME} policy`);
  if (!aclRead.policy(ctx.state, id).value) return respond('Cannot find policy to delete');
  ctx.write({ type: 'acl-policy-delete', ids: [id] }, (err) => (err ? respond(err) : respond(undefined, true)));
});

/** ACL.PolicyRead: `{ PolicyID }` or `{ PolicyName }` -> the policy or null. */
export const aclPolicyRead = guarded('read', false, (ctx, args, respond) => {
  const name = str(args.PolicyName);
  readValue<ACLPolicy | null>(ctx, args, () => (name ? aclRead.policyByName(ctx.state, name) : aclRead.policy(ctx.state, str(args.PolicyID))), respond);
});

export const aclPolicyList = guarded('read', false, (ctx, args, respond) => {
  readValue<ACLPolicy[]>(ctx, args, () => aclRead.policies(ctx.state), respond);
});

/** ACL.RoleSet: `{ Role, Create }` -> the stored role. */
export const aclRoleSet = guarded('write', true, (ctx, args, respond) => {
  const role = prepareRole(ctx.state, body(args.Role), args.Create === true, () => ctx.newUUID());
  ctx.write({ type: 'acl-role-set', roles: [role] }, first(respond));
});

export const aclRoleDelete = guarded('write', true, (ctx, args, respond) => {
  const id = str(args.RoleID);
  if (!aclRead.role(ctx.state, id).value) return respond('Cannot find role to delete');
  ctx.write({ type: 'acl-role-delete', ids: [id] }, (err) => (err ? respond(err) : respond(undefined, true)));
});

export const aclRoleRead = guarded('read', false, (ctx, args, respond) => {
  const name = str(args.RoleName);
  readValue<ACLRole | null>(ctx, args, () => {
    const r = name ? aclRead.roleByName(ctx.state, name) : aclRead.role(ctx.state, str(args.RoleID));
    return { ...r, value: r.value ? presentRole(ctx.state, r.value) : null };
  }, respond);
});

export const aclRoleList = guarded('read', false, (ctx, args, respond) => {
  const policy = str(args.Policy);
  readValue<ACLRole[]>(ctx, args, () => {
    const r = aclRead.roles(ctx.state);
    return { ...r, value: r.value.filter((x) => !policy || x.Policies.some((p) => p.ID === policy)).map((x) => presentRole(ctx.state, x)) };
  }, respond);
});
