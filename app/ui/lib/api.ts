/**
 * The dashboard's access to the agent's `/v1` API: one request function that adds `?dc=`, the
 * blocking `?index=`, the ACL token header, and turns failures into ConsulError. Same origin: the
 * agent serves the UI, or app/v1 proxies to CONSUL_HTTP_ADDR under `next start`.
 */
import { ConsulError, classifyResponse, PROXY_ERROR_HEADER } from './errors.ts';
import { getToken } from './settings.ts';

/** Query parameter values; `true` sends a bare flag (`?keys`), undefined/false omit the param. */
export type QueryValue = string | number | boolean | undefined;

/** Options of one `/v1` request. */
export interface RequestOptions {
  method?: 'GET' | 'PUT' | 'DELETE' | 'POST';
  dc?: string;
  /** Blocking query index (from the previous X-Consul-Index); 0/undefined = return at once. */
  index?: number;
  query?: Record<string, QueryValue>;
  body?: BodyInit;
  signal?: AbortSignal;
  /** Overrides the saved token (tests, token checks); undefined = use settings. */
  token?: string;
  /** Statuses that are data, not errors (KV 404 = no such key/empty folder). */
  allow?: number[];
}

/** A response: its decoded JSON (null for an empty body), X-Consul-Index and status. */
export interface ConsulResult<T> {
  data: T;
  index: number | null;
  status: number;
  headers: Headers;
}

/** Encodes a path that may contain `/` (a KV key) segment by segment. */
export function encodePath(path: string): string {
  return path.split('/').map(encodeURIComponent).join('/');
}

/**
 * How long the agent may hold a blocking query. Consul's default is 5 minutes, but proxies in
 * between (Node's fetch gives up on headers after 300 s) would cut that; 2 minutes keeps every
 * hop inside its limits while an idle view still makes only one request per 2 minutes.
 */
export const BLOCKING_WAIT = '120s';

/** Builds `/v1/<path>?dc=..&index=..&<query>` (bare flags as `key` without `=`, as Consul's UI does). */
export function buildUrl(path: string, options: Pick<RequestOptions, 'dc' | 'index' | 'query'>): string {
  const parts: string[] = [];
  const add = (key: string, value: QueryValue) => {
    if (value === undefined || value === false) return;
    parts.push(value === true ? encodeURIComponent(key) : `${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  };
  add('dc', options.dc);
  for (const [key, value] of Object.entries(options.query ?? {})) add(key, value);
  if (options.index !== undefined && options.index > 0) {
    add('index', options.index);
    add('wait', BLOCKING_WAIT);
  }
  return `/v1/${path.replace(/^\/+/, '')}${parts.length > 0 ? `?${parts.join('&')}` : ''}`;
}

/** Reads X-Consul-Index; null when absent or not a positive integer. */
export function parseIndex(headers: Headers): number | null {
  const raw = headers.get('X-Consul-Index');
  if (raw === null || !/^\d+$/.test(raw)) return null;
  const value = Number(raw);
  return Number.isSafeInteger(value) && value > 0 ? value : null;
}

/** Issues one `/v1` request; resolves with the decoded body or rejects with a ConsulError. */
export async function consulRequest<T>(path: string, options: RequestOptions = {}): Promise<ConsulResult<T>> {
  const headers = new Headers();
  const token = options.token ?? getToken();
  if (token !== '') headers.set('X-Consul-Token', token);
  let response: Response;
  try {
    response = await fetch(buildUrl(path, options), {
      method: options.method ?? 'GET',
      headers,
      body: options.body,
      signal: options.signal,
      cache: 'no-store',
    });
  } catch (error) {
    if (options.signal?.aborted) throw error;
    throw new ConsulError('unreachable', 0, error instanceof Error ? error.message : String(error));
  }
  const text = await response.text();
  if (!response.ok && !(options.allow ?? []).includes(response.status)) {
    const kind = classifyResponse(response.status, text, response.headers.has(PROXY_ERROR_HEADER));
    throw new ConsulError(kind, response.status, text);
  }
  return { data: decodeBody(text) as T, index: parseIndex(response.headers), status: response.status, headers: response.headers };
}

function decodeBody(text: string): unknown {
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
