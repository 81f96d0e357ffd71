/**
 * The watch types of Consul's watch package (watch/funcs.go) as blocking queries: each type maps to
 * one endpoint and a result shape that is handed to the handler as JSON, exactly as the Go `api`
 * structs encode it (a `key` watch yields one KVPair object or null; the others yield lists or maps).
 */
import type { ApiClient } from '../api-client.ts';
import { parseJson } from '../api-client.ts';

export interface WatchParams {
  type: string;
  key?: string;
  prefix?: string;
  service?: string;
  tag?: string[];
  passingonly?: boolean;
  state?: string;
  name?: string;
}

/** One blocking fetch: returns the new index and the result. */
export type WatchFn = (client: ApiClient, index: number, waitMs: number, signal: AbortSignal) => Promise<{ index: number; result: unknown }>;

const wait = (ms: number) => `${ms}ms`;

async function blockingGet(client: ApiClient, path: string, index: number, waitMs: number, signal: AbortSignal, query: Record<string, string | boolean | string[] | undefined> = {}) {
  const r = await client.request('GET', path, { query: { ...query, index: index ? String(index) : undefined, wait: index ? wait(waitMs) : undefined, stale: client.config.stale }, accept: [404], signal });
  const text = r.body.toString('utf8');
  return { index: r.index, value: r.status === 404 || text.trim() === '' ? null : parseJson<unknown>(text) };
}

const kvPath = (key: string) => `/v1/kv/${key.split('/').map(encodeURIComponent).join('/')}`;

/** Go api.KVPair field order: Key, CreateIndex, ModifyIndex, LockIndex, Flags, Value, Session. */
function kvPairGo(p: Record<string, unknown>): Record<string, unknown> {
  return { Key: p.Key, CreateIndex: p.CreateIndex, ModifyIndex: p.ModifyIndex, LockIndex: p.LockIndex, Flags: p.Flags, Value: p.Value ?? null, Session: p.Session ?? '' };
}

/** Validates params and returns the fetch function, or throws Consul's error text. */
export function watchFn(p: WatchParams): WatchFn {
  switch (p.type) {
    case 'key': {
      if (!p.key) throw new Error('Must specify a single key to watch');
      return async (c, i, w, s) => {
        const r = await blockingGet(c, kvPath(p.key!), i, w, s);
        const first = Array.isArray(r.value) ? (r.value[0] as Record<string, unknown> | undefined) : undefined;
        return { index: r.index, result: first ? kvPairGo(first) : null };
      };
    }
    case 'keyprefix': {
      if (!p.prefix) throw new Error('Must specify a single prefix to watch');
      return async (c, i, w, s) => {
        const r = await blockingGet(c, kvPath(p.prefix!), i, w, s, { recurse: true });
        return { index: r.index, result: Array.isArray(r.value) ? r.value.map((x) => kvPairGo(x as Record<string, unknown>)) : [] };
      };
    }
    case 'services':
      return async (c, i, w, s) => {
        const r = await blockingGet(c, '/v1/catalog/services', i, w, s);
        return { index: r.index, result: r.value ?? {} };
      };
    case 'nodes':
      return async (c, i, w, s) => {
        const r = await blockingGet(c, '/v1/catalog/nodes', i, w, s);
        return { index: r.index, result: r.value ?? [] };
      };
    case 'service': {
      if (!p.service) throw new Error('Must specify a single service to watch');
      return async (c, i, w, s) => {
        const r = await blockingGet(c, `/v1/health/service/${encodeURIComponent(p.service!)}`, i, w, s, { tag: p.tag, passing: p.passingonly });
        return { index: r.index, result: r.value ?? [] };
      };
    }
    case 'checks': {
      if (p.service && p.state) throw new Error('Cannot specify service and state');
      const path = p.service ? `/v1/health/checks/${encodeURIComponent(p.service)}` : `/v1/health/state/${encodeURIComponent(p.state || 'any')}`;
      return async (c, i, w, s) => {
        const r = await blockingGet(c, path, i, w, s);
        return { index: r.index, result: r.value ?? [] };
      };
    }
    case 'event': {
      let lastIndex = 0;
      return async (c, i, w, s) => {
        const r = await blockingGet(c, '/v1/event/list', i, w, s, { name: p.name || undefined });
        let events = (Array.isArray(r.value) ? r.value : []) as { ID: string }[];
        // Only the events after the last one already handed out (event.IDToIndex of each ID).
        const at = events.findIndex((e) => eventIdToIndex(e.ID) === lastIndex);
        if (lastIndex !== 0 && at >= 0) events = events.slice(at + 1);
        lastIndex = r.index;
        return { index: r.index, result: events };
      };
    }
    default:
      throw new Error(`Unsupported watch type: ${p.type}`);
  }
}

/**
 * api.(*Event).IDToIndex: the blocking index an event ID stands for, the XOR of the UUID's two
 * 64-bit halves. Kept as a Number: only used to compare with X-Consul-Index, which is parsed the
 * same lossy way when it exceeds 2^53.
 */
export function eventIdToIndex(id: string): number {
  const hex = id.replaceAll('-', '');
  if (hex.length !== 32) return 0;
  return Number(BigInt(`0x${hex.slice(0, 16)}`) ^ BigInt(`0x${hex.slice(16)}`));
}

/** JSON as the Go handler receives it, with uint64 Flags as bare digits again. */
export function watchJson(result: unknown, indent: string | undefined): string {
  return JSON.stringify(result, null, indent).replace(/("Flags":\s*)"(\d+)"/g, '$1$2');
}
