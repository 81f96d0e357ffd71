/**
 * The HTTP API client the `consul` subcommands share, after Consul's api.Client as
 * command/flags.HTTPFlags configures it: the agent address from `-http-addr` or `CONSUL_HTTP_ADDR`
 * (`host:port`, `http://host:port`, `https://…` or `unix:///path`), the token from `-token-file`,
 * `CONSUL_HTTP_TOKEN_FILE`, `-token` or `CONSUL_HTTP_TOKEN` (sent as `X-Consul-Token`), `?dc=` from
 * `-datacenter`, `?stale` from `-stale`. Non-2xx answers become {@link StatusError} with the Go
 * client's text `Unexpected response code: <code> (<body>)`; transport failures keep Go's
 * `Get "<url>": dial tcp <addr>: connect: connection refused` shape so that messages read the same.
 *
 * Uses node:http rather than fetch: it is already in Node's start-up snapshot, and `consul kv get`
 * must start fast.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type request as RequestFn } from 'node:http';
import { join } from 'node:path';

/** Where and as whom to talk to the agent. */
export interface ClientConfig {
  /** `http` or `https`. */
  scheme: string;
  /** `host:port`, or the socket path when {@link socketPath} is set. */
  address: string;
  socketPath?: string;
  token: string;
  datacenter: string;
  stale: boolean;
  /** TLS for https (Go's api.TLSConfig): CA bundle, client certificate, SNI name, verification. */
  tls?: ClientTls;
}

/** The CLI's TLS settings (`-ca-file`, `-ca-path`, `-client-cert`, `-client-key`, `-tls-server-name`). */
export interface ClientTls {
  caFile: string;
  caPath: string;
  certFile: string;
  keyFile: string;
  serverName: string;
  /** CONSUL_HTTP_SSL_VERIFY=false. */
  insecureSkipVerify: boolean;
}

/** Go api.StatusError: a non-2xx answer. */
export class StatusError extends Error {
  constructor(
    readonly code: number,
    readonly body: string,
  ) {
    super(`Unexpected response code: ${code} (${body})`);
  }
}

/** One answer: status, headers and the raw body. */
export interface ApiResponse {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** `X-Consul-Index` (0 when absent). */
  index: number;
}

export interface RequestOptions {
  query?: Record<string, string | number | boolean | undefined | string[]>;
  body?: string | Uint8Array;
  /** Status codes that are answers rather than errors (e.g. 404 for a missing KV key). */
  accept?: number[];
  /** Leave out `?dc=` (agent-local endpoints ignore it anyway). */
  noDatacenter?: boolean;
  /** Called with each chunk as it arrives (streaming endpoints such as monitor). */
  onChunk?: (chunk: Buffer) => void;
  signal?: AbortSignal;
}

/** Parses a `CONSUL_HTTP_ADDR`-style address into scheme and address, as api.NewClient does. */
export function parseAddress(raw: string, sslEnv?: string): Pick<ClientConfig, 'scheme' | 'address' | 'socketPath'> {
  let scheme = sslEnv !== undefined && ['1', 't', 'T', 'true', 'TRUE', 'True'].includes(sslEnv) ? 'https' : 'http';
  let address = raw;
  const parts = /^([a-z][a-z0-9+.-]*):\/\/(.*)$/i.exec(raw);
  if (parts) {
    const s = parts[1]!.toLowerCase();
    if (s === 'unix') return { scheme: 'http', address: parts[2]!, socketPath: parts[2]! };
    scheme = s;
    address = parts[2]!.replace(/\/+$/, '');
  }
  return { scheme, address };
}

/** node:https options from the CLI's TLS settings; unreadable files throw Go-like errors. */
function tlsOptions(t: ClientTls | undefined): Record<string, unknown> {
  if (!t) return {};
  const read = (f: string) => readFileSync(f, 'utf8');
  const ca: string[] = [];
  if (t.caFile) ca.push(read(t.caFile));
  if (t.caPath) for (const f of readdirSync(t.caPath).sort()) if (/\.(pem|crt)$/.test(f)) ca.push(read(join(t.caPath, f)));
  const out: Record<string, unknown> = { rejectUnauthorized: !t.insecureSkipVerify };
  if (ca.length > 0) out.ca = ca;
  if (t.certFile) out.cert = read(t.certFile);
  if (t.keyFile) out.key = read(t.keyFile);
  if (t.serverName) out.servername = t.serverName;
  return out;
}

/** The agent's HTTP API as the CLI uses it. */
export class ApiClient {
  constructor(readonly config: ClientConfig) {}

  /** Builds `path?query`, adding `dc` and `stale` the way the Go client does. */
  url(path: string, opts: RequestOptions = {}): string {
    const params: string[] = [];
    const add = (k: string, v: string) => params.push(v === '' ? encodeURIComponent(k) : `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
    if (this.config.datacenter && !opts.noDatacenter) add('dc', this.config.datacenter);
    for (const [k, v] of Object.entries(opts.query ?? {})) {
      if (v === undefined || v === false) continue;
      if (Array.isArray(v)) for (const item of v) add(k, item);
      else add(k, v === true ? '' : String(v));
    }
    const q = params.join('&');
    return q ? `${path}?${q}` : path;
  }

  /** Performs one request; rejects with {@link StatusError} unless the status is 2xx or accepted. */
  async request(method: string, path: string, opts: RequestOptions = {}): Promise<ApiResponse> {
    // node:https (and TLS) only when asked for: most runs talk plain HTTP to a local agent.
    const send: typeof RequestFn = this.config.scheme === 'https' ? (await import('node:https')).request : httpRequest;
    return this.send(send, method, path, opts);
  }

  private send(send: typeof RequestFn, method: string, path: string, opts: RequestOptions): Promise<ApiResponse> {
    const target = this.url(path, opts);
    const [host, port] = splitHostPort(this.config.address, this.config.scheme === 'https' ? 443 : 80);
    const headers: Record<string, string> = {};
    if (this.config.token) headers['X-Consul-Token'] = this.config.token;
    if (opts.body !== undefined) headers['Content-Length'] = String(Buffer.byteLength(opts.body));
    const where = { ...(this.config.socketPath ? { socketPath: this.config.socketPath } : { host, port }), ...(this.config.scheme === 'https' ? tlsOptions(this.config.tls) : {}) };
    return new Promise((resolve, reject) => {
      // No keep-alive: a CLI run is short, and an idle pooled socket would hold the agent's shutdown.
      const req = send({ ...where, method, path: target, headers, signal: opts.signal, agent: false }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => {
          if (opts.onChunk && (res.statusCode ?? 0) < 300) opts.onChunk(c);
          else chunks.push(c);
        });
        res.on('error', (e) => reject(transportError(method, this.display(target), e)));
        res.on('end', () => {
          const status = res.statusCode ?? 0;
          const body = Buffer.concat(chunks);
          if ((status < 200 || status >= 300) && !opts.accept?.includes(status)) {
            reject(new StatusError(status, body.toString('utf8').trim()));
            return;
          }
          resolve({ status, headers: res.headers, body, index: Number(res.headers['x-consul-index'] ?? 0) });
        });
      });
      req.on('error', (e) => reject(transportError(method, this.display(target), e, this.config)));
      req.end(opts.body);
    });
  }

  /** GET and parse JSON (`null` for an accepted non-2xx such as a 404). */
  async getJson<T>(path: string, opts: RequestOptions = {}): Promise<{ value: T | null; index: number }> {
    const query = this.config.stale ? { stale: true, ...opts.query } : opts.query;
    const r = await this.request('GET', path, { ...opts, query });
    if (r.status < 200 || r.status >= 300) return { value: null, index: r.index };
    return { value: parseJson<T>(r.body.toString('utf8')), index: r.index };
  }

  /** PUT (or another write method) with an optional JSON or raw body; returns the parsed JSON answer, if any. */
  async write<T>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T | null> {
    const raw = body === undefined ? undefined : typeof body === 'string' || body instanceof Uint8Array ? body : JSON.stringify(body);
    const r = await this.request(method, path, { ...opts, body: raw });
    const text = r.body.toString('utf8').trim();
    return text === '' ? null : parseJson<T>(text);
  }

  private display(target: string): string {
    return `${this.config.scheme}://${this.config.socketPath ? 'unix' : this.config.address}${target}`;
  }
}

/**
 * JSON.parse that keeps uint64 `Flags` exact: Consul's lock and semaphore flags exceed 2^53, so
 * every `"Flags": <digits>` becomes a decimal string before parsing.
 */
export function parseJson<T>(text: string): T {
  return JSON.parse(text.replace(/([{,]\s*"Flags"\s*:\s*)(\d+)/g, '$1"$2"')) as T;
}

function splitHostPort(address: string, defaultPort: number): [string, number] {
  const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(address) ?? /^([^:]+)(?::(\d+))?$/.exec(address);
  if (!m) return [address, defaultPort];
  return [m[1]!, m[2] ? Number(m[2]) : defaultPort];
}

/** Go's net/http error text: `Get "<url>": dial tcp <addr>: connect: connection refused`. */
function transportError(method: string, url: string, e: unknown, config?: ClientConfig): Error {
  const verb = method.charAt(0) + method.slice(1).toLowerCase();
  const err = e as NodeJS.ErrnoException;
  let why = err.message;
  if (err.code === 'ECONNREFUSED') why = `dial ${config?.socketPath ? 'unix' : 'tcp'} ${config?.socketPath ?? config?.address}: connect: connection refused`;
  else if (err.code === 'ENOTFOUND') why = `dial tcp: lookup ${config?.address.split(':')[0]}: no such host`;
  else if (err.code === 'ECONNRESET') why = 'EOF';
  else if (err.name === 'AbortError') why = 'context canceled';
  return new Error(`${verb} "${url}": ${why}`);
}

/** The message of any thrown value. */
export function errorText(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}
