import {
  BOOTSTRAP_DESCRIPTION,
  GLOBAL_MANAGEMENT_NAME,
  GLOBAL_MANAGEMENT_POLICY_ID,
} from '../../../acl/builtin.ts';
import type { ResolvedTokenWire } from '../../../acl/resolved-token.ts';
import { ACL_NOT_FOUND } from '../../../acl/token-resolver.ts';
import { formatRfc3339 } from '../../../lib/rfc3339.ts';
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
import { type Endpoint, type EndpointContext, queryOf, type ServerAclConfig, str } from '../endpoint.ts';
import { ANONYMOUS_SECRET_ID } from '../../../acl/builtin.ts';
import { permissionDenied } from '../../../acl/authorizer.ts';
import { identityFrom } from '../../../acl/resolved-token.ts';
import { AclIdentity } from '../../../acl/identity.ts';

/**
 * The ACL RPC endpoints (Consul's agent/consul/acl_endpoint.go). Authorization of the caller is the
 * HTTP layer's job (it resolves the request's token first); these validate, commit and read.
 * Global objects are written in the primary datacenter (`primary: true` forwards them there).
 */

export const ACL_DISABLED = 'ACL support disabled';

/** Reads run where tokens resolve: locally in the primary or once tokens are replicated. */
const readsAtPrimary = (acl: ServerAclConfig) => !(acl.resolvesLocally?.() ?? true);

/**
 * The caller's rights on the RPC itself (agent/consul/acl_endpoint.go checks acl:read/acl:write
 * on every call), so that a client reaching the server port directly gets no more than through
 * HTTP: the token comes from `Token` (or `Query.Token`); none means the anonymous token.
 */
function callerDenied(ctx: EndpointContext, args: Record<string, unknown>, need: 'read' | 'write'): string | undefined {
  const secret = str(args.Token) || queryOf(args).Token || ANONYMOUS_SECRET_ID;
  const wire = resolveSecret(ctx.state, secret, ctx.datacenter, ctx.wallMs());
  if (!wire) return ACL_NOT_FOUND;
  const identity = identityFrom(wire, ctx.acl.defaultPolicy ?? 'deny', ctx.datacenter);
  if (identity.canSingle('acl', need)) return undefined;
  return permissionDenied(wire.AccessorID, 'acl', need).message;
}

/**
 * The caller's identity on a server, for endpoints that enforce ACLs themselves (KV, txn):
 * allow-all with ACLs off, else its token (`Token` or `Query.Token`; none is anonymous), or the
 * error text (`ACL not found`).
 */
export function callerIdentity(ctx: EndpointContext, args: Record<string, unknown>): AclIdentity | string {
  if (!ctx.acl.enabled) return AclIdentity.disabled();
  const secret = str(args.Token) || queryOf(args).Token || ANONYMOUS_SECRET_ID;
  const wire = resolveSecret(ctx.state, secret, ctx.datacenter, ctx.wallMs());
  if (!wire) return ACL_NOT_FOUND;
  return identityFrom(wire, ctx.acl.defaultPolicy ?? 'deny', ctx.datacenter, secret);
}

/**
 * For other server endpoints that hold secrets (snapshots): the caller's denial text when ACLs
 * are enabled and its token lacks `acl:<need>`, else undefined.
 */
export function aclCallerDenied(ctx: EndpointContext, args: Record<string, unknown>, need: 'read' | 'write'): string | undefined {
  return ctx.acl.enabled ? callerDenied(ctx, args, need) : undefined;
}

/** Whether the caller may see secrets (acl:write); others get `<hidden>` SecretIDs. */
function redact(ctx: EndpointContext, args: Record<string, unknown>, t: ACLToken): ACLToken {
  return callerDenied(ctx, args, 'write') ? { ...t, SecretID: '<hidden>' } : t;
}

function guarded(kind: Endpoint['kind'], primary: Endpoint['primary'], need: 'read' | 'write' | undefined, handle: Endpoint['handle']): Endpoint {
  return {
    kind,
    primary,
    handle(ctx, args, respond) {
      if (!ctx.acl.enabled) return respond(ACL_DISABLED);
      try {
        const denied = need ? callerDenied(ctx, args, need) : undefined;
        if (denied) return respond(denied);
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
export const aclBootstrap = guarded('write', true, undefined, (ctx, _args, respond) => {
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
export const aclTokenSet = guarded('write', true, 'write', (ctx, args, respond) => {
  const token = prepareToken(ctx.state, { body: body(args.ACLToken), create: args.Create === true, newUUID: () => ctx.newUUID(), nowMs: ctx.wallMs() });
  ctx.write({ type: 'acl-token-set', tokens: [token] }, first(respond));
});

/** ACL.TokenClone: `{ TokenID, Description? }` -> a new token with the same links. */
export const aclTokenClone = guarded('write', true, 'write', (ctx, args, respond) => {
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
export const aclTokenDelete = guarded('write', true, 'write', (ctx, args, respond) => {
  const id = str(args.TokenID);
  const refused = undeletableToken(id);
  if (refused) return respond(refused);
  if (!aclRead.tokenByAccessor(ctx.state, id).value) return respond(`Cannot find token to delete`);
  ctx.write({ type: 'acl-token-delete', ids: [id] }, (err) => (err ? respond(err) : respond(undefined, true)));
});

/** ACL.TokenRead: `{ TokenID, TokenIDType: 'accessor'|'secret' }` -> the token or null. */
export const aclTokenRead = guarded('read', readsAtPrimary, undefined, (ctx, args, respond) => {
  const id = str(args.TokenID);
  const bySecret = args.TokenIDType === 'secret';
  // Reading one's own token by its secret (token/self) needs no rights; anything else acl:read.
  const own = bySecret && id !== '' && id === (str(args.Token) || queryOf(args).Token);
  const denied = own ? undefined : callerDenied(ctx, args, 'read');
  if (denied) return respond(denied);
  readValue<ACLToken | null>(ctx, args, () => {
    const r = bySecret ? aclRead.tokenBySecret(ctx.state, id) : aclRead.tokenByAccessor(ctx.state, id);
    const t = r.value && !tokenExpired(r.value, ctx.wallMs()) ? presentToken(ctx.state, r.value) : null;
    return { ...r, value: t && !own ? redact(ctx, args, t) : t };
  }, respond);
});

/** ACL.TokenList: `{ Policy?, Role? }` -> tokens (unexpired), with current link names. */
export const aclTokenList = guarded('read', readsAtPrimary, 'read', (ctx, args, respond) => {
  const policy = str(args.Policy);
  const role = str(args.Role);
  readValue<ACLToken[]>(ctx, args, () => {
    const r = aclRead.tokens(ctx.state);
    const now = ctx.wallMs();
    const rows = r.value
      .filter((t) => !tokenExpired(t, now))
      .filter((t) => !policy || t.Policies.some((p) => p.ID === policy))
      .filter((t) => !role || t.Roles.some((x) => x.ID === role))
      .map((t) => redact(ctx, args, presentToken(ctx.state, t)));
    return { ...r, value: rows };
  }, respond);
});

/**
 * ACL.TokenResolve: `{ SecretID }` -> what the token may do ({@link ResolvedTokenWire}), or
 * `ACL not found`. Answered from this server's state (agents resolve with stale reads).
 */
export const aclTokenResolve = guarded('local', false, undefined, (ctx, args, respond) => {
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
export const aclPolicySet = guarded('write', true, 'write', (ctx, args, respond) => {
  const policy = preparePolicy(ctx.state, body(args.Policy), args.Create === true, () => ctx.newUUID());
  ctx.write({ type: 'acl-policy-set', policies: [policy] }, first(respond));
});

/** ACL.PolicyDelete: `{ PolicyID }`; the built-in global-management policy stays. */
export const aclPolicyDelete = guarded('write', true, 'write', (ctx, args, respond) => {
  const id = str(args.PolicyID);
  if (id === GLOBAL_MANAGEMENT_POLICY_ID) return respond(`Delete operation not permitted on the builtin ${GLOBAL_MANAGEMENT_NAME} policy`);
  if (!aclRead.policy(ctx.state, id).value) return respond('Cannot find policy to delete');
  ctx.write({ type: 'acl-policy-delete', ids: [id] }, (err) => (err ? respond(err) : respond(undefined, true)));
});

/** ACL.PolicyRead: `{ PolicyID }` or `{ PolicyName }` -> the policy or null. */
export const aclPolicyRead = guarded('read', readsAtPrimary, 'read', (ctx, args, respond) => {
  const name = str(args.PolicyName);
  readValue<ACLPolicy | null>(ctx, args, () => (name ? aclRead.policyByName(ctx.state, name) : aclRead.policy(ctx.state, str(args.PolicyID))), respond);
});

export const aclPolicyList = guarded('read', readsAtPrimary, 'read', (ctx, args, respond) => {
  readValue<ACLPolicy[]>(ctx, args, () => aclRead.policies(ctx.state), respond);
});

/** ACL.RoleSet: `{ Role, Create }` -> the stored role. */
export const aclRoleSet = guarded('write', true, 'write', (ctx, args, respond) => {
  const role = prepareRole(ctx.state, body(args.Role), args.Create === true, () => ctx.newUUID());
  ctx.write({ type: 'acl-role-set', roles: [role] }, first(respond));
});

export const aclRoleDelete = guarded('write', true, 'write', (ctx, args, respond) => {
  const id = str(args.RoleID);
  if (!aclRead.role(ctx.state, id).value) return respond('Cannot find role to delete');
  ctx.write({ type: 'acl-role-delete', ids: [id] }, (err) => (err ? respond(err) : respond(undefined, true)));
});

export const aclRoleRead = guarded('read', readsAtPrimary, 'read', (ctx, args, respond) => {
  const name = str(args.RoleName);
  readValue<ACLRole | null>(ctx, args, () => {
    const r = name ? aclRead.roleByName(ctx.state, name) : aclRead.role(ctx.state, str(args.RoleID));
    return { ...r, value: r.value ? presentRole(ctx.state, r.value) : null };
  }, respond);
});

export const aclRoleList = guarded('read', readsAtPrimary, 'read', (ctx, args, respond) => {
  const policy = str(args.Policy);
  readValue<ACLRole[]>(ctx, args, () => {
    const r = aclRead.roles(ctx.state);
    return { ...r, value: r.value.filter((x) => !policy || x.Policies.some((p) => p.ID === policy)).map((x) => presentRole(ctx.state, x)) };
  }, respond);
});

/**
 * ACL.ReplicationStatus: a secondary's leader reports its replicator (followers forward there);
 * the primary reports replication as not enabled.
 */
export const aclReplicationStatus = guarded('write', false, 'read', (ctx, _args, respond) => {
  const running = ctx.aclReplicationStatus();
  const zero = '0001-01-01T00:00:00Z';
  const time = (ms: number) => (ms > 0 ? formatRfc3339(ms) : zero);
  if (!running) {
    return respond(undefined, {
      Enabled: false,
      Running: false,
      SourceDatacenter: ctx.acl.primaryDatacenter,
      ReplicationType: '',
      ReplicatedIndex: 0,
      ReplicatedRoleIndex: 0,
      ReplicatedTokenIndex: 0,
      LastSuccess: zero,
      LastError: zero,
      LastErrorMessage: '',
    });
  }
  const { LastSuccessUnixMs, LastErrorUnixMs, ...rest } = running;
  respond(undefined, { ...rest, LastSuccess: time(LastSuccessUnixMs), LastError: time(LastErrorUnixMs) });
});
