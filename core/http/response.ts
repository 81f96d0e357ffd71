import { encodeJson } from './json.ts';
import type { Consistency } from './query.ts';

/** What a read reports about how it was served (Consul's QueryMeta). */
export interface QueryMeta {
  index: number;
  knownLeader: boolean;
  /** Milliseconds since the serving server last heard from the leader (0 on the leader). */
  lastContactMs: number;
  consistency: Consistency;
  /** True when ACLs removed items from the result. */
  filteredByAcls?: boolean;
}

/** The response headers of a read (src: agent/http.go setMeta). X-Consul-Index is never 0. */
export function metaHeaders(meta: QueryMeta): Record<string, string> {
  const headers: Record<string, string> = {
    'X-Consul-Index': String(Math.max(1, meta.index)),
    'X-Consul-KnownLeader': meta.knownLeader ? 'true' : 'false',
    'X-Consul-LastContact': String(Math.max(0, Math.round(meta.lastContactMs))),
    'X-Consul-Effective-Consistency': meta.consistency === 'default' ? 'leader' : meta.consistency,
    'X-Consul-Query-Backend': 'blocking-query',
  };
  if (meta.filteredByAcls) headers['X-Consul-Results-Filtered-By-ACLs'] = 'true';
  return headers;
}

const builtBodies = new WeakMap<Response, string | Uint8Array | null>();

/**
 * A Response whose body a runtime adapter can take back with `builtBody` instead of reading it
 * through a web stream (measurably cheaper per request on Node). The Response itself is a normal one.
 */
export function respond(body: string | Uint8Array | null, init: ResponseInit): Response {
  const r = new Response(body as BodyInit | null, init);
  builtBodies.set(r, body);
  return r;
}

/** The body `respond` built `r` from (null: no body), or undefined if `r` came from elsewhere. */
export function builtBody(r: Response): string | Uint8Array | null | undefined {
  return builtBodies.get(r);
}

const streamed = new WeakSet<Response>();

/** A response whose body is an open-ended stream (`/v1/agent/monitor`): adapters must not buffer it. */
export function streamResponse(body: ReadableStream<Uint8Array>, init: ResponseInit): Response {
  const r = new Response(body, init);
  streamed.add(r);
  return r;
}

/** True for responses made by `streamResponse`. */
export function isStreamed(r: Response): boolean {
  return streamed.has(r);
}

/** A JSON response as Consul writes it. */
export function jsonResponse(
  value: unknown,
  options: { pretty: boolean; status?: number; meta?: QueryMeta; headers?: Record<string, string> },
): Response {
  const headers = new Headers({ 'Content-Type': 'application/json', ...options.headers });
  if (options.meta) for (const [k, v] of Object.entries(metaHeaders(options.meta))) headers.set(k, v);
  return respond(encodeJson(value, options.pretty), { status: options.status ?? 200, headers });
}

/** A plain-text response (Consul's error bodies and a few text endpoints). */
export function textResponse(status: number, body: string, headers: Record<string, string> = {}): Response {
  return respond(body, { status, headers: { 'Content-Type': 'text/plain; charset=utf-8', ...headers } });
}

/** 200 with an empty body: what most agent write endpoints return. */
export function emptyResponse(headers: Record<string, string> = {}): Response {
  return respond(null, { status: 200, headers });
}
