import { type QueryOptions, type QueryReply, withAbandon } from '../agent/server/rpc-types.ts';
import { compileFilter, FilterError } from '../filter/index.ts';
import type { AgentApi } from './api.ts';
import type { ApiContext } from './context.ts';
import { badRequest } from './errors.ts';
import { parseQueryOptions } from './query.ts';
import type { QueryMeta } from './response.ts';

/** A read's value with the meta its response headers carry. */
export interface ReadResult<T> {
  value: T;
  meta: QueryMeta;
}

/** Builds the RPC query options from the request's `?dc`, `?stale`, `?index`, `?wait`... */
export function queryOptionsFrom(ctx: ApiContext): QueryOptions {
  const q = parseQueryOptions(ctx);
  return {
    Datacenter: q.datacenter,
    Token: ctx.token,
    MinQueryIndex: q.minIndex,
    MaxQueryTimeMs: q.waitMs,
    Mode: q.consistency,
    MaxStaleMs: q.maxStaleMs,
  };
}

/**
 * The token to send with RPCs made for this request: the one it acts with after resolution (the
 * agent's default token when the request had none), so that servers checking the caller agree.
 */
export async function effectiveToken(ctx: ApiContext): Promise<string | undefined> {
  return (await ctx.authorize()).secret || ctx.token;
}

/** Runs a read RPC with the request's query options and returns its value and meta. */
export async function rpcRead<T>(agent: AgentApi, ctx: ApiContext, method: string, args: Record<string, unknown>): Promise<ReadResult<T>> {
  // A blocking query stops waiting on this agent's server when its client goes away.
  const query = withAbandon({ ...queryOptionsFrom(ctx), Token: await effectiveToken(ctx) }, ctx.request.signal);
  const reply = (await agent.rpc(method, { ...args, Query: query, Datacenter: query.Datacenter })) as QueryReply<T>;
  if (reply.FilteredByACLs) ctx.markFiltered();
  return {
    value: reply.Value,
    meta: { index: reply.Index, knownLeader: reply.KnownLeader, lastContactMs: reply.LastContact, consistency: reply.Mode },
  };
}

/** Applies `?filter=` to a list of rows; a bad expression is a 400 with bexpr's text. */
export function applyFilter<T>(ctx: ApiContext, rows: T[]): T[] {
  const expression = ctx.query.get('filter');
  if (!expression) return rows;
  try {
    const filter = compileFilter(expression);
    return rows.filter((row) => filter.match(row));
  } catch (e) {
    if (e instanceof FilterError) throw badRequest(`Failed to create boolean expression evaluator: ${e.message}`);
    throw e;
  }
}
