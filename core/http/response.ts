import { ApiHeaders, ApiResponse } from './api-response.ts';
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

/** Sets each of `extra` on `headers`, replacing what is there. */
function setAll(headers: ApiHeaders, extra: Record<string, string>): void {
  for (const k in extra) headers.set(k, extra[k] as string);
}

/** A response with `body` as built (no copy, no stream). */
export function respond(status: number, body: string | Uint8Array | null, headers?: Record<string, string>): ApiResponse {
  return new ApiResponse(status, body, headers);
}

/** A response whose body is an open-ended stream (`/v1/agent/monitor`): adapters must not buffer it. */
export function streamResponse(status: number, body: ReadableStream<Uint8Array>, headers?: Record<string, string>): ApiResponse {
  return new ApiResponse(status, body, headers, true);
}

/** A JSON response as Consul writes it. */
export function jsonResponse(
  value: unknown,
  options: { pretty: boolean; status?: number; meta?: QueryMeta; headers?: Record<string, string> },
): ApiResponse {
  const headers = new ApiHeaders({ 'Content-Type': 'application/json' });
  if (options.headers) setAll(headers, options.headers);
  if (options.meta) setAll(headers, metaHeaders(options.meta));
  return new ApiResponse(options.status ?? 200, encodeJson(value, options.pretty), headers);
}

/** A plain-text response (Consul's error bodies and a few text endpoints). */
export function textResponse(status: number, body: string, headers: Record<string, string> = {}): ApiResponse {
  return new ApiResponse(status, body, { 'Content-Type': 'text/plain; charset=utf-8', ...headers });
}

/** 200 with an empty body: what most agent write endpoints return. */
export function emptyResponse(headers: Record<string, string> = {}): ApiResponse {
  return new ApiResponse(200, null, headers);
}
