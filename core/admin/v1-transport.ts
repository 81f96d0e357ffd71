/**
 * Requests to Consul's `/v1` HTTP API for the admin layer: one function that builds the request
 * (token in `X-Consul-Token`, exactly as an HTTP client would send it, so the agent applies the
 * same authorization) and turns a failure into an {@link AdminError} carrying Consul's text.
 */
import { AdminError, type AdminErrorCode } from './admin-cluster.ts';

/** Consul's `/v1` API as a fetch function: the agent's in-process handler, or `fetch` to an agent. */
export type V1Fetch = (request: Request) => Promise<Response>;

export interface V1Call {
  readonly method?: 'GET' | 'PUT' | 'POST' | 'DELETE';
  /** Query parameters; `true` adds a flag (`?recurse`), `undefined`/`false` leaves it out. */
  readonly query?: Record<string, string | number | boolean | undefined>;
  readonly body?: Uint8Array | string | undefined;
  /** Statuses that are answers, not failures (404 for a missing KV key, 429 for unhealthy). */
  readonly accept?: readonly number[];
}

export interface V1Transport {
  call(path: string, call?: V1Call): Promise<Response>;
  json<T>(path: string, call?: V1Call): Promise<T>;
}

/** Consul's status for a failure, as the tRPC code the admin API reports. */
export function codeForStatus(status: number, message: string): AdminErrorCode {
  if (message.includes('Permission denied') || message.includes('ACL not found')) return 'FORBIDDEN';
  switch (status) {
    case 400:
      return 'BAD_REQUEST';
    case 401:
      return 'UNAUTHORIZED';
    case 403:
      return 'FORBIDDEN';
    case 404:
      return 'NOT_FOUND';
    case 405:
      return 'METHOD_NOT_SUPPORTED';
    case 409:
      return 'CONFLICT';
    case 413:
      return 'PAYLOAD_TOO_LARGE';
    case 429:
      return 'TOO_MANY_REQUESTS';
  }
  if (message.startsWith('No path to datacenter')) return 'NOT_FOUND';
  // Consul answers 500 while a datacenter has no leader; the operation may succeed once it has one.
  if (/No cluster leader|leadership lost|node is not the leader/i.test(message)) return 'PRECONDITION_FAILED';
  return 'INTERNAL_SERVER_ERROR';
}

/** Encodes a KV key or other path remainder segment by segment, keeping the slashes. */
export function encodePath(path: string): string {
  const segments = path.split('/');
  // URL parsing resolves `.` and `..` segments (escaped or not), which would silently address
  // another key: refuse them here, with Consul's text for a traversal.
  if (segments.includes('..')) throw new AdminError('BAD_REQUEST', 'URL path contains invalid traversal sequence', 400);
  if (segments.includes('.')) throw new AdminError('BAD_REQUEST', `A "." path segment cannot be addressed over HTTP: ${path}`, 400);
  return segments.map(encodeURIComponent).join('/');
}

/** A transport for one caller (`token`), against `baseUrl` (any origin for an in-process handler). */
export function v1Transport(fetch: V1Fetch, baseUrl: string, token: string | undefined, signal: AbortSignal | undefined): V1Transport {
  const call = async (path: string, c: V1Call = {}): Promise<Response> => {
    // Flags go bare (`?recurse`), as Consul's clients send them.
    const query = Object.entries(c.query ?? {})
      .filter(([, v]) => v !== undefined && v !== false)
      .map(([k, v]) => (v === true ? k : `${k}=${encodeURIComponent(String(v))}`))
      .join('&');
    const url = `${new URL(path, baseUrl).toString()}${query ? `?${query}` : ''}`;
    const headers = new Headers();
    if (token) headers.set('X-Consul-Token', token);
    const init: RequestInit = { method: c.method ?? 'GET', headers };
    if (c.body !== undefined) init.body = c.body as BodyInit;
    if (signal) init.signal = signal;
    let response: Response;
    try {
      response = await fetch(new Request(url, init));
    } catch (e) {
      throw new AdminError('INTERNAL_SERVER_ERROR', `Error connecting to the agent: ${e instanceof Error ? e.message : String(e)}`);
    }
    if (response.ok || c.accept?.includes(response.status)) return response;
    const text = (await response.text()).trim() || `HTTP ${response.status}`;
    throw new AdminError(codeForStatus(response.status, text), text, response.status);
  };
  return {
    call,
    async json<T>(path: string, c?: V1Call): Promise<T> {
      const response = await call(path, c);
      const text = await response.text();
      if (text === '') return undefined as T;
      try {
        return JSON.parse(text) as T;
      } catch {
        throw new AdminError('INTERNAL_SERVER_ERROR', `Unexpected response from ${path}: ${text.slice(0, 200)}`, response.status);
      }
    },
  };
}
