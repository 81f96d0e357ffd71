import { DurationError, parseGoDuration } from '../lib/duration.ts';
import type { ApiContext } from './context.ts';
import { badRequest } from './errors.ts';

/** Consistency modes (src: agent/http.go parseConsistency). */
export type Consistency = 'default' | 'stale' | 'consistent';

/** The cross-cutting options of a read (Consul's QueryOptions). */
export interface QueryOptions {
  datacenter: string | undefined;
  consistency: Consistency;
  /** `?max_stale=D` in ms (implies stale), or undefined. */
  maxStaleMs: number | undefined;
  /** Blocking: `?index=N` (0 = do not block). */
  minIndex: number;
  /** Blocking: `?wait=D` in ms (0 = the agent default). */
  waitMs: number;
  filter: string | undefined;
  near: string | undefined;
  /** `?node-meta=k:v`, repeatable. */
  nodeMeta: Record<string, string>;
  /** `?tag=`, repeatable; ANDed. */
  tags: string[];
  /** Hash-based blocking for agent endpoints. */
  hash: string | undefined;
}


/** Go's strconv.ParseBool. */
export function parseGoBool(value: string): boolean | undefined {
  if (['1', 't', 'T', 'TRUE', 'true', 'True'].includes(value)) return true;
  if (['0', 'f', 'F', 'FALSE', 'false', 'False'].includes(value)) return false;
  return undefined;
}

/** Parses the cross-cutting query options, raising Consul's 400 texts. */
export function parseQueryOptions(ctx: ApiContext): QueryOptions {
  const q = ctx.query;
  return {
    datacenter: q.get('dc') || undefined,
    ...parseConsistency(ctx),
    ...parseWait(ctx),
    filter: q.get('filter') ?? undefined,
    near: q.get('near') || undefined,
    nodeMeta: parseNodeMeta(q.getAll('node-meta')),
    tags: q.getAll('tag'),
    hash: q.get('hash') ?? undefined,
  };
}

function parseConsistency(ctx: ApiContext): Pick<QueryOptions, 'consistency' | 'maxStaleMs'> {
  const stale = ctx.has('stale');
  const consistent = ctx.has('consistent');
  const maxStale = ctx.query.get('max_stale');
  if (stale && consistent) throw badRequest('Cannot specify ?stale with ?consistent, conflicting semantics.');
  if (maxStale !== null) {
    if (consistent) throw badRequest('Cannot specify ?consistent with ?max_stale, conflicting semantics.');
    try {
      return { consistency: 'stale', maxStaleMs: parseGoDuration(maxStale) / 1e6 };
    } catch {
      throw badRequest(`Invalid max_stale value "${maxStale}"`);
    }
  }
  return { consistency: stale ? 'stale' : consistent ? 'consistent' : 'default', maxStaleMs: undefined };
}

function parseWait(ctx: ApiContext): Pick<QueryOptions, 'minIndex' | 'waitMs'> {
  const wait = ctx.query.get('wait');
  const index = ctx.query.get('index');
  let waitMs = 0;
  let minIndex = 0;
  if (wait !== null && wait !== '') {
    try {
      waitMs = parseGoDuration(wait) / 1e6;
    } catch (err) {
      if (err instanceof DurationError) throw badRequest('Invalid wait time');
      throw err;
    }
    if (waitMs < 0) throw badRequest('Invalid wait time');
  }
  if (index !== null && index !== '') {
    if (!/^\d+$/.test(index) || !Number.isSafeInteger(Number(index))) throw badRequest('Invalid index');
    minIndex = Number(index);
  }
  return { minIndex, waitMs };
}

function parseNodeMeta(values: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const v of values) {
    const i = v.indexOf(':');
    if (i < 0) out[v] = '';
    else out[v.slice(0, i)] = v.slice(i + 1);
  }
  return out;
}
