/**
 * The HTTP check (src: Consul agent/checks CheckHTTP): 2xx passing, 429 warning, anything else or
 * a connection error critical; the body (bounded) is the output. Redirects are followed only to the
 * same host (at most 10), so a check cannot be bounced to probe another machine.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { CheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { ProbeResult } from '../../core/agent/checks/check-runner.ts';

const MAX_REDIRECTS = 10;
const DEFAULT_TIMEOUT_MS = 10_000;

export function httpProbe(d: CheckDefinition, done: (r: ProbeResult) => void): void {
  const timeoutMs = d.TimeoutNs > 0 ? d.TimeoutNs / 1e6 : DEFAULT_TIMEOUT_MS;
  attempt(d, d.HTTP, 0, timeoutMs, done);
}

function attempt(d: CheckDefinition, target: string, hops: number, timeoutMs: number, done: (r: ProbeResult) => void): void {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    done({ status: 'critical', output: `Get "${target}": invalid URL` });
    return;
  }
  const method = d.Method || 'GET';
  const headers: Record<string, string | string[]> = { 'User-Agent': 'Consul Health Check', Accept: 'text/plain, text/*, */*' };
  for (const [k, v] of Object.entries(d.Header)) headers[k] = v;
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const req = send(
    url,
    { method, headers, timeout: timeoutMs, rejectUnauthorized: !d.TLSSkipVerify, servername: d.TLSServerName || undefined },
    (res) => onResponse(d, url, res, hops, timeoutMs, done),
  );
  req.on('timeout', () => req.destroy(new Error('context deadline exceeded (Client.Timeout exceeded while awaiting headers)')));
  req.on('error', (err) => done({ status: 'critical', output: `${method} ${target}: ${err.message}` }));
  req.end(d.Body || undefined);
}

function onResponse(d: CheckDefinition, url: URL, res: IncomingMessage, hops: number, timeoutMs: number, done: (r: ProbeResult) => void): void {
  const status = res.statusCode ?? 0;
  const location = res.headers.location;
  if (status >= 300 && status < 400 && location && !d.DisableRedirects && hops < MAX_REDIRECTS) {
    const next = new URL(location, url);
    if (next.host === url.host) {
      res.resume();
      attempt(d, next.toString(), hops + 1, timeoutMs, done);
      return;
    }
  }
  const chunks: Buffer[] = [];
  let size = 0;
  res.on('data', (c: Buffer) => {
    if (size < d.OutputMaxSize) chunks.push(c);
    size += c.length;
  });
  res.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8').slice(0, d.OutputMaxSize);
    const output = `HTTP ${d.Method || 'GET'} ${url}: ${status} ${res.statusMessage ?? ''} Output: ${body}`;
    if (status >= 200 && status < 300) done({ status: 'passing', output });
    else if (status === 429) done({ status: 'warning', output });
    else done({ status: 'critical', output });
  });
  res.on('error', (err) => done({ status: 'critical', output: err.message }));
}
