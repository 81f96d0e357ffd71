import type { KVEntry } from '../../state/types.ts';
import type { AgentApi, HttpApiOptions } from '../api.ts';
import { ApiResponse } from '../api-response.ts';
import type { ApiContext } from '../context.ts';
import { badRequest, HttpError } from '../errors.ts';
import { Uint64 } from '../json.ts';
import { jsonResponse } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom, rpcRead } from '../rpc-read.ts';

/** A KV entry as Consul's JSON shows it: Value base64 or null, Session omitted when empty. */
export function kvPairJson(e: KVEntry): Record<string, unknown> {
  const out: Record<string, unknown> = {
    LockIndex: e.LockIndex,
    Key: e.Key,
    Flags: new Uint64(e.Flags),
    Value: e.Value && e.Value.length > 0 ? toBase64(e.Value) : null,
    CreateIndex: e.CreateIndex,
    ModifyIndex: e.ModifyIndex,
  };
  if (e.Session) out.Session = e.Session;
  return out;
}

export function toBase64(bytes: Uint8Array): string {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

/**
 * Rejects key names that try to climb out of the KV namespace (CVE-2025-11392): `..` segments,
 * raw or percent-encoded, with either slash.
 */
export function validateKey(key: string, rawPath: string): void {
  const lowered = rawPath.toLowerCase();
  const traversal = /(^|[/\\])\.\.($|[/\\])/.test(key) || /%2e%2e(%2f|%5c|\/|\\|$)/.test(lowered) || /(\.\.)(%2f|%5c)/.test(lowered);
  if (traversal) throw badRequest('URL path contains invalid traversal sequence');
}

/** Consul's `Conflicting flags: <url-encoded query>` 400. */
function conflicting(ctx: ApiContext): HttpError {
  return badRequest(`Conflicting flags: ${ctx.url.search.slice(1)}\n`);
}

/** Parses a uint64 query parameter the way Go's strconv.ParseUint reports errors. */
function parseUint64(name: string, value: string): bigint {
  if (!/^\d+$/.test(value)) throw new Error(`strconv.ParseUint: parsing "${value}": invalid syntax`);
  const n = BigInt(value);
  if (n > 0xffffffffffffffffn) throw new Error(`strconv.ParseUint: parsing "${value}": value out of range`);
  void name;
  return n;
}

function parseIndex(value: string): number {
  const n = parseUint64('cas', value);
  if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`strconv.ParseUint: parsing "${value}": value out of range`);
  return Number(n);
}

async function kvGet(agent: AgentApi, ctx: ApiContext): Promise<ApiResponse> {
  const key = ctx.suffix;
  const pretty = ctx.pretty;
  const acl = await ctx.authorize();
  if (ctx.has('keys')) {
    const separator = ctx.query.get('separator') ?? ctx.query.get('seperator') ?? '';
    const r = await rpcRead<string[]>(agent, ctx, 'KVS.ListKeys', { Prefix: key, Separator: separator, Token: acl.secret });
    // Key names are filtered by key:read (a folder stays when its own name is readable).
    const keys = ctx.keep(r.value, (k) => acl.can('key', k, 'read'));
    if (keys.length === 0 && key !== '') return new ApiResponse(404, null, { 'X-Consul-Index': String(Math.max(1, r.meta.index)) });
    return jsonResponse(keys, { pretty, meta: r.meta });
  }
  if (ctx.has('recurse')) {
    const r = await rpcRead<KVEntry[]>(agent, ctx, 'KVS.List', { Prefix: key, Token: acl.secret });
    const rows = ctx.keep(r.value, (e) => acl.can('key', e.Key, 'read'));
    if (rows.length === 0) return notFoundWithMeta(r.meta.index);
    return jsonResponse(rows.map(kvPairJson), { pretty, meta: r.meta });
  }
  if (key === '') throw badRequest('Missing key name');
  acl.require('key', key, 'read');
  const r = await rpcRead<KVEntry | null>(agent, ctx, 'KVS.Get', { Key: key, Token: acl.secret });
  if (!r.value) return notFoundWithMeta(r.meta.index, r.meta);
  if (ctx.has('raw')) {
    return new ApiResponse(200, r.value.Value, {
      'Content-Type': 'text/plain',
      'Content-Security-Policy': 'sandbox',
      'X-Consul-Index': String(Math.max(1, r.meta.index)),
    });
  }
  return jsonResponse([kvPairJson(r.value)], { pretty, meta: r.meta });
}

/** KV misses still carry X-Consul-Index (python-consul reads it on a 404). */
function notFoundWithMeta(index: number, meta?: { knownLeader: boolean; lastContactMs: number }): ApiResponse {
  const headers: Record<string, string> = { 'X-Consul-Index': String(Math.max(1, index)) };
  if (meta) {
    headers['X-Consul-KnownLeader'] = String(meta.knownLeader);
    headers['X-Consul-LastContact'] = String(Math.round(meta.lastContactMs));
  }
  return new ApiResponse(404, null, headers);
}

async function kvPut(agent: AgentApi, ctx: ApiContext, options: HttpApiOptions): Promise<ApiResponse> {
  const key = ctx.suffix;
  if (key === '') throw badRequest('Missing key name');
  const q = ctx.query;
  const modes = ['cas', 'acquire', 'release'].filter((p) => q.has(p));
  if (modes.length > 1) throw conflicting(ctx);
  const acl = await ctx.authorize();
  acl.require('key', key, 'write');
  const limit = options.kvMaxValueSize;
  const value = await readValue(ctx, limit);
  const args: Record<string, unknown> = { Key: key, Value: value, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: acl.secret };
  if (q.has('flags')) args.Flags = parseUint64('flags', q.get('flags') ?? '');
  if (q.has('cas')) {
    args.Op = 'cas';
    args.Index = parseIndex(q.get('cas') ?? '');
  } else if (q.has('acquire')) {
    args.Op = 'lock';
    args.Session = q.get('acquire');
  } else if (q.has('release')) {
    args.Op = 'unlock';
    args.Session = q.get('release');
  } else args.Op = 'set';
  const result = await agent.rpc('KVS.Apply', args);
  return jsonResponse(result === true, { pretty: ctx.pretty });
}

/** Reads the value, refusing more than `limit` bytes before buffering them (CVE-2025-11374). */
async function readValue(ctx: ApiContext, limit: number): Promise<Uint8Array> {
  const tooLarge = (n: number) =>
    new HttpError(
      413,
      `Request body(${n} bytes) too large, max size: ${limit} bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#kv_max_value_size.`,
    );
  const declared = Number(ctx.request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared);
  try {
    return await ctx.readBody(limit);
  } catch (e) {
    if (e instanceof HttpError && e.status === 413) throw tooLarge(limit + 1);
    throw e;
  }
}

async function kvDelete(agent: AgentApi, ctx: ApiContext): Promise<ApiResponse> {
  const key = ctx.suffix;
  const q = ctx.query;
  const recurse = q.has('recurse');
  if (recurse && q.has('cas')) throw conflicting(ctx);
  if (key === '' && !recurse) throw badRequest('Missing key name');
  const acl = await ctx.authorize();
  // A recursive delete is a write on every key under the prefix (CVE-2019-12291).
  if (recurse) acl.requireKeyWritePrefix(key);
  else acl.require('key', key, 'write');
  const args: Record<string, unknown> = { Key: key, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: acl.secret };
  if (recurse) args.Op = 'delete-tree';
  else if (q.has('cas')) {
    args.Op = 'delete-cas';
    args.Index = parseIndex(q.get('cas') ?? '');
  } else args.Op = 'delete';
  const result = await agent.rpc('KVS.Apply', args);
  return jsonResponse(result === true, { pretty: ctx.pretty });
}

/** Registers `/v1/kv/`. */
export function registerKv(router: Router, agent: AgentApi, options: HttpApiOptions): void {
  router.register('/v1/kv/', ['GET', 'PUT', 'DELETE'], (ctx) => {
    validateKey(ctx.suffix, ctx.path);
    if (ctx.method === 'GET') return kvGet(agent, ctx);
    if (ctx.method === 'PUT') return kvPut(agent, ctx, options);
    return kvDelete(agent, ctx);
  });
}
