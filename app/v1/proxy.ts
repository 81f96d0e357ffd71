/**
 * The `/v1/*` pass-through used when the dashboard runs under plain `next start` (or an edge
 * deployment) instead of inside the agent: requests go to the agent named by CONSUL_HTTP_ADDR, as
 * the `consul` CLI reads it (`127.0.0.1:8500`, `http://host:port`, `https://host:port`;
 * CONSUL_HTTP_SSL=true picks https for a bare host:port). Pure helpers plus one fetch.
 */

/** Header marking an answer that came from this proxy because the agent did not answer. */
export const PROXY_ERROR_HEADER = 'X-Consul-UI-Proxy-Error';

/** Hop-by-hop and transport headers that must not be forwarded either way. */
const DROP = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'transfer-encoding',
  'upgrade',
  'host',
  'content-length',
  'accept-encoding',
  'content-encoding',
  'te',
  'trailer',
]);

/** The agent's base URL from the environment (default http://127.0.0.1:8500, as the CLI). */
export function agentBaseUrl(env: Record<string, string | undefined>): string {
  const raw = (env.CONSUL_HTTP_ADDR ?? '').trim() || '127.0.0.1:8500';
  if (raw.startsWith('unix://')) throw new Error('CONSUL_HTTP_ADDR: unix sockets are not supported by the /v1 proxy');
  if (/^https?:\/\//i.test(raw)) return raw.replace(/\/+$/, '');
  const ssl = /^(1|true)$/i.test(env.CONSUL_HTTP_SSL ?? '');
  return `${ssl ? 'https' : 'http'}://${raw.replace(/\/+$/, '')}`;
}

/** The agent URL for an incoming `/v1/...` request URL (path and query kept byte for byte). */
export function targetUrl(base: string, requestUrl: string): string {
  const url = new URL(requestUrl);
  return `${base}${url.pathname}${url.search}`;
}

/** Copies headers, leaving out hop-by-hop ones. */
export function forwardHeaders(headers: Headers): Headers {
  const out = new Headers();
  headers.forEach((value, key) => {
    if (!DROP.has(key.toLowerCase())) out.append(key, value);
  });
  return out;
}

/** Forwards one request to the agent; a failure to connect becomes a marked 502. */
export async function proxyToAgent(request: Request, base: string): Promise<Response> {
  const hasBody = request.method !== 'GET' && request.method !== 'HEAD';
  let upstream: Response;
  try {
    upstream = await fetch(targetUrl(base, request.url), {
      method: request.method,
      headers: forwardHeaders(request.headers),
      body: hasBody ? await request.arrayBuffer() : undefined,
      signal: request.signal,
      redirect: 'manual',
      cache: 'no-store',
    });
  } catch (error) {
    const reason = error instanceof Error ? ((error.cause as Error | undefined)?.message ?? error.message) : String(error);
    return new Response(`Consul agent at ${base} unreachable: ${reason}`, {
      status: 502,
      headers: { 'Content-Type': 'text/plain; charset=utf-8', [PROXY_ERROR_HEADER]: '1', 'Cache-Control': 'no-store' },
    });
  }
  const headers = forwardHeaders(upstream.headers);
  headers.set('Cache-Control', 'no-store');
  return new Response(upstream.body, { status: upstream.status, statusText: upstream.statusText, headers });
}
