/**
 * The admin API as a tRPC v11 router over one {@link AdminCluster}: inputs validated with zod,
 * outputs typed by the cluster interface, {@link AdminError}s turned into tRPC errors with
 * Consul's message. Web-standard only (no Node APIs), so the same router runs in an agent, an edge
 * runtime or the browser lab.
 */
import { initTRPC, TRPCError } from '@trpc/server';
import { z } from 'zod';
import { type AdminCluster, AdminError } from '../core/admin/admin-cluster.ts';

/** What every procedure sees: the cluster, already bound to the caller's token. */
export interface AdminContext {
  readonly cluster: AdminCluster;
}

const t = initTRPC.context<AdminContext>().create({
  // The lab runs the router inside a browser tab against its simulated cluster.
  allowOutsideOfServer: true,
  isServer: true,
  // No server stack traces in error responses.
  isDev: false,
  // Comments keep SSE connections open through proxies; the client reconnects if they stop.
  sse: { ping: { enabled: true, intervalMs: 10_000 }, client: { reconnectAfterInactivityMs: 25_000 } },
  errorFormatter({ shape, error }) {
    const cause = error.cause;
    // Invalid input: one line per problem (`key: Too small...`) instead of zod's JSON dump.
    const message = cause instanceof z.ZodError ? cause.issues.map((i) => `${i.path.join('.') || 'input'}: ${i.message}`).join('; ') : shape.message;
    return { ...shape, message, data: { ...shape.data, consulStatus: cause instanceof AdminError ? (cause.status ?? null) : null } };
  },
});

/** Reports an AdminError under its own code and Consul's text instead of a generic 500. */
const procedure = t.procedure.use(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof AdminError) throw toTrpcError(result.error.cause);
  return result;
});

/** The tRPC error for an AdminError (its own code and Consul's text); anything else unchanged. */
function toTrpcError(e: unknown): unknown {
  return e instanceof AdminError ? new TRPCError({ code: e.code, message: e.message, cause: e }) : e;
}

/** A cluster event stream as a subscription: a final failure reaches the client as its tRPC error. */
async function* stream<T>(events: AsyncIterable<T>): AsyncGenerator<T> {
  try {
    yield* events;
  } catch (e) {
    throw toTrpcError(e);
  }
}

const pool = z.enum(['lan', 'wan']);
const consistency = z.enum(['default', 'stale', 'consistent']).optional();
const index = z.number().int().nonnegative();
const name = z.string().min(1);
/** A Go duration such as `15s` or `1m30s` (Consul's TTL and LockDelay syntax). */
const duration = z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/, 'expected a duration such as 15s');
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'expected base64');
const gossipKey = base64.min(1);
/** Another datacenter to address (Consul's `?dc=`); absent: the agent's own. */
const dc = name.optional();
/** Input of a procedure whose only parameter is the datacenter. */
const scopeOnly = z.object({ dc }).optional();

/** A policy or role link: by ID or by name. */
const aclLink = z
  .object({ ID: name.optional(), Name: name.optional() })
  .strict()
  .refine((l) => l.ID !== undefined || l.Name !== undefined, 'give the ID or the Name');

const autopilotConfig = z
  .object({
    CleanupDeadServers: z.boolean(),
    LastContactThreshold: duration,
    MaxTrailingLogs: index,
    MinQuorum: index,
    ServerStabilizationTime: duration,
    RedundancyZoneTag: z.string(),
    DisableUpgradeMigration: z.boolean(),
    UpgradeVersionTag: z.string(),
  })
  .partial()
  .strict();

export const adminRouter = t.router({
  cluster: t.router({
    overview: procedure.query(({ ctx }) => ctx.cluster.cluster.overview()),
  }),
  members: t.router({
    list: procedure.input(z.object({ pool: pool.optional() }).optional()).query(({ ctx, input }) => ctx.cluster.members.list(input?.pool ?? 'lan')),
    join: procedure.input(z.object({ address: name, pool: pool.optional() })).mutation(({ ctx, input }) => ctx.cluster.members.join(input.address, input.pool ?? 'lan')),
    leave: procedure.mutation(({ ctx }) => ctx.cluster.members.leave()),
    forceLeave: procedure.input(z.object({ node: name, prune: z.boolean().optional() })).mutation(({ ctx, input }) => ctx.cluster.members.forceLeave(input.node, input.prune ?? false)),
  }),
  raft: t.router({
    configuration: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.raft.configuration(input)),
    removePeer: procedure
      .input(z.object({ id: name.optional(), address: name.optional(), dc }).refine((p) => p.id !== undefined || p.address !== undefined, 'give the id or the address of the peer'))
      .mutation(({ ctx, input }) => ctx.cluster.raft.removePeer(input, input)),
    transferLeader: procedure.input(z.object({ id: name.optional(), dc }).optional()).mutation(({ ctx, input }) => ctx.cluster.raft.transferLeader(input?.id, input)),
  }),
  autopilot: t.router({
    state: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.autopilot.state(input)),
    getConfig: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.autopilot.getConfig(input)),
    setConfig: procedure.input(z.object({ config: autopilotConfig, cas: index.optional(), dc })).mutation(({ ctx, input }) => ctx.cluster.autopilot.setConfig(input.config, input.cas, input)),
  }),
  kv: t.router({
    get: procedure.input(z.object({ key: name, consistency, dc })).query(async ({ ctx, input }) => (await ctx.cluster.kv.get(input.key, input.consistency, input)) ?? null),
    list: procedure.input(z.object({ prefix: z.string(), consistency, dc })).query(({ ctx, input }) => ctx.cluster.kv.list(input.prefix, input.consistency, input)),
    put: procedure
      .input(
        z.object({
          key: name,
          value: z.string(),
          base64: z.boolean().optional(),
          flags: index.optional(),
          cas: index.optional(),
          acquire: name.optional(),
          release: name.optional(),
          dc,
        }),
      )
      .mutation(({ ctx, input }) => ctx.cluster.kv.put(input, input)),
    delete: procedure
      .input(z.object({ key: z.string(), recurse: z.boolean().optional(), cas: index.optional(), dc }).refine((d) => d.key !== '' || d.recurse === true, 'an empty key deletes everything: pass recurse: true to mean it'))
      .mutation(({ ctx, input }) => ctx.cluster.kv.delete(input, input)),
  }),
  catalog: t.router({
    services: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.catalog.services(input)),
    nodes: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.catalog.nodes(input)),
    service: procedure.input(z.object({ name, tag: name.optional(), dc })).query(({ ctx, input }) => ctx.cluster.catalog.service(input.name, input.tag, input)),
  }),
  health: t.router({
    service: procedure.input(z.object({ name, passing: z.boolean().optional(), dc })).query(({ ctx, input }) => ctx.cluster.health.service(input.name, input.passing ?? false, input)),
    node: procedure.input(z.object({ node: name, dc })).query(({ ctx, input }) => ctx.cluster.health.node(input.node, input)),
    checks: procedure.input(z.object({ service: name, dc })).query(({ ctx, input }) => ctx.cluster.health.checks(input.service, input)),
  }),
  sessions: t.router({
    list: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.sessions.list(input)),
    create: procedure
      .input(
        z
          .object({
            name: z.string().optional(),
            node: name.optional(),
            behavior: z.enum(['release', 'delete']).optional(),
            ttl: duration.optional(),
            lockDelay: duration.optional(),
            checks: z.array(name).optional(),
            dc,
          })
          .optional(),
      )
      .mutation(async ({ ctx, input }) => ({ id: await ctx.cluster.sessions.create(input ?? {}, input) })),
    destroy: procedure.input(z.object({ id: name, dc })).mutation(({ ctx, input }) => ctx.cluster.sessions.destroy(input.id, input)),
  }),
  snapshot: t.router({
    save: procedure.input(scopeOnly).query(({ ctx, input }) => ctx.cluster.snapshot.save(input)),
    restore: procedure.input(z.object({ data: base64.min(1), dc })).mutation(({ ctx, input }) => ctx.cluster.snapshot.restore(input.data, input)),
  }),
  keyring: t.router({
    list: procedure.query(({ ctx }) => ctx.cluster.keyring.list()),
    install: procedure.input(z.object({ key: gossipKey })).mutation(({ ctx, input }) => ctx.cluster.keyring.install(input.key)),
    use: procedure.input(z.object({ key: gossipKey })).mutation(({ ctx, input }) => ctx.cluster.keyring.use(input.key)),
    remove: procedure.input(z.object({ key: gossipKey })).mutation(({ ctx, input }) => ctx.cluster.keyring.remove(input.key)),
  }),
  acl: t.router({
    bootstrap: procedure.mutation(({ ctx }) => ctx.cluster.acl.bootstrap()),
    tokenSelf: procedure.query(({ ctx }) => ctx.cluster.acl.tokenSelf()),
    tokens: t.router({
      list: procedure.query(({ ctx }) => ctx.cluster.acl.tokens.list()),
      read: procedure.input(z.object({ accessorId: name })).query(({ ctx, input }) => ctx.cluster.acl.tokens.read(input.accessorId)),
      create: procedure
        .input(
          z
            .object({
              description: z.string().optional(),
              policies: z.array(aclLink).optional(),
              roles: z.array(aclLink).optional(),
              local: z.boolean().optional(),
              expirationTTL: duration.optional(),
            })
            .optional(),
        )
        .mutation(({ ctx, input }) => ctx.cluster.acl.tokens.create(input ?? {})),
      delete: procedure.input(z.object({ accessorId: name })).mutation(({ ctx, input }) => ctx.cluster.acl.tokens.delete(input.accessorId)),
    }),
    policies: t.router({
      list: procedure.query(({ ctx }) => ctx.cluster.acl.policies.list()),
      read: procedure
        .input(z.object({ id: name.optional(), name: name.optional() }).refine((p) => (p.id === undefined) !== (p.name === undefined), 'give the id or the name of the policy'))
        .query(({ ctx, input }) => ctx.cluster.acl.policies.read(input)),
      create: procedure
        .input(z.object({ name, description: z.string().optional(), rules: z.string(), datacenters: z.array(name).optional() }))
        .mutation(({ ctx, input }) => ctx.cluster.acl.policies.create(input)),
      delete: procedure.input(z.object({ id: name })).mutation(({ ctx, input }) => ctx.cluster.acl.policies.delete(input.id)),
    }),
    roles: t.router({
      list: procedure.query(({ ctx }) => ctx.cluster.acl.roles.list()),
      create: procedure
        .input(z.object({ name, description: z.string().optional(), policies: z.array(aclLink).optional() }))
        .mutation(({ ctx, input }) => ctx.cluster.acl.roles.create(input)),
      delete: procedure.input(z.object({ id: name })).mutation(({ ctx, input }) => ctx.cluster.acl.roles.delete(input.id)),
    }),
  }),
  events: t.router({
    members: procedure.input(z.object({ pool: pool.optional() }).optional()).subscription(async function* ({ ctx, input, signal }) {
      yield* stream(ctx.cluster.events.members(input?.pool ?? 'lan', { signal }));
    }),
    leader: procedure.subscription(async function* ({ ctx, signal }) {
      yield* stream(ctx.cluster.events.leader({ signal }));
    }),
    kv: procedure.input(z.object({ prefix: z.string(), dc })).subscription(async function* ({ ctx, input, signal }) {
      yield* stream(ctx.cluster.events.kv(input.prefix, { signal, dc: input.dc }));
    }),
  }),
});

/** The router's type, for typed clients (`createAdminClient`). */
export type AdminRouter = typeof adminRouter;
