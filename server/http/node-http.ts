/**
 * The Node adapter between the agent's HTTP(S) port and the core's `fetch(Request) =>
 * Promise<ApiResponse>` API handler. Connections are served by the lean HTTP/1.1 server
 * (lean-server.ts: its own parser on node:net or node:tls, identical blocking queries shared);
 * the /ui mount and WebSocket upgrades are handed to a node:http server. Both build a web Request
 * (aborted when the client goes away, so blocking queries stop waiting), write the answer back,
 * gzip like Consul's gziphandler, and the port caps concurrent connections per client address
 * (`limits.http_max_conns_per_client`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, createServer as createNetServer, type Server as NetServer, type Socket } from 'node:net';
import { createServer as createTlsServer, type SecureVersion } from 'node:tls';
import { validateKey } from '../../core/http/endpoints/kv.ts';
import { type FetchHandler, LeanServer, mayWait } from './lean-server.ts';
import { isOpenEnded, WireResponse } from './wire-response.ts';
import { type Duplex, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { type ApiResponse, readAll } from '../../core/http/api-response.ts';

export type { FetchHandler } from './lean-server.ts';

/** A handler that takes some paths on Node's own req/res (the UI's Next.js handler). */
export interface RawMount {
  matches(pathname: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
}

export interface NodeHttpOptions {
  host: string;
  port: number;
  /** Paths served by another handler on the same port (the /ui dashboard). */
  mount?: RawMount;
  /** Consul's default is 200. 0 disables the cap. */
  maxConnsPerClient: number;
  /** Bodies smaller than this are not compressed (gziphandler's DefaultMinSize). */
  gzipMinSize: number;
  /** Serve HTTPS with these settings (the `ports.https` listener); plaintext is then refused. */
  tls?: HttpsOptions;
  /**
   * Takes an HTTP upgrade (the lab's `/lab/signal` WebSocket) and returns true, or returns false
   * without touching it; upgrades nobody takes are destroyed so they do not hang.
   */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;
}

/** The HTTPS listener's TLS settings (tls.https over tls.defaults). */
export interface HttpsOptions {
  cert: string;
  key: string;
  ca?: string[];
  minVersion: SecureVersion;
  /** verify_incoming: clients must present a certificate signed by `ca`. */
  verifyIncoming: boolean;
  /** limits.https_handshake_timeout (5 s). */
  handshakeTimeoutMs: number;
}

export const DEFAULT_NODE_HTTP: Omit<NodeHttpOptions, 'host' | 'port'> = {
  maxConnsPerClient: 200,
  gzipMinSize: 1400,
};

/**
 * The request line plus headers may take this many bytes; more is answered 431 by Node's parser
 * before any handler runs (an unbounded header block is a memory DoS).
 */
export const MAX_HEADER_BYTES = 64 * 1024;
/** A request target longer than this is answered 414 URI Too Long. */
export const MAX_URL_BYTES = 32 * 1024;

/** A running HTTP listener. */
export interface NodeHttpServer {
  readonly address: { host: string; port: number };
  close(): Promise<void>;
  /** Connections the lean server holds (not counting those handed to node:http). */
  readonly connections: number;
  /** Blocking queries parked in shared waits. */
  readonly sharedWaiters: number;
}

/**
 * Starts serving `handler` on host:port. Rejects if the port cannot be bound. Connections are served
 * by the lean HTTP/1.1 server (lean-server.ts); those for the /ui mount or a WebSocket upgrade are
 * handed, with the bytes already read, to a node:http server that also serves any later /v1
 * request on them.
 */
export async function startNodeHttp(handler: FetchHandler, options: NodeHttpOptions): Promise<NodeHttpServer> {
  const limiter = connectionLimiter(options.maxConnsPerClient);
  const fallback = nodeFallback(handler, options);
  const t = options.tls;
  const lean = new LeanServer({
    handler,
    scheme: t ? 'https' : 'http',
    defaultHost: `${options.host}:${options.port}`,
    gzipMinSize: options.gzipMinSize,
    maxHeaderBytes: MAX_HEADER_BYTES,
    maxUrlBytes: MAX_URL_BYTES,
    handOff: (pathname) => options.mount?.matches(pathname) ?? false,
    fallback,
    precheck: (target) => {
      const traversal = kvTraversal(target);
      return traversal ? WireResponse.text(400, traversal) : undefined;
    },
    keepAliveTimeoutMs: 30_000,
    headersTimeoutMs: 60_000,
    released: t ? undefined : limiter.release,
  });
  const server: NetServer = t
    ? createTlsServer(
        {
          cert: t.cert,
          key: t.key,
          ca: t.ca,
          minVersion: t.minVersion,
          requestCert: t.verifyIncoming,
          rejectUnauthorized: t.verifyIncoming,
          handshakeTimeout: t.handshakeTimeoutMs,
        },
        (socket) => lean.accept(socket, socket.remoteAddress ?? ''),
      )
    : createNetServer({ allowHalfOpen: true }, (socket) => {
        const ip = limiter.admit(socket);
        if (ip !== undefined) lean.accept(socket, ip);
      });
  // Over the cap the connection is answered 429 and never reaches the HTTP server.
  if (t) {
    server.on('connection', (socket: Socket) => {
      const ip = limiter.admit(socket);
      if (ip !== undefined) socket.once('close', () => limiter.release(ip));
    });
    server.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());
  }
  await listen(server, options.host, options.port);
  const info = server.address() as AddressInfo;
  return {
    address: { host: info.address, port: info.port },
    close: () => closeServer(server, lean, fallback),
    get connections() {
      return lean.connections;
    },
    get sharedWaiters() {
      return lean.sharedWaiters;
    },
  };
}

/**
 * The node:http server that takes handed-off connections: the /ui mount's Next.js handler, the
 * WebSocket upgrades, and whatever else those connections ask for later.
 */
function nodeFallback(handler: FetchHandler, options: NodeHttpOptions): Server {
  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    if ((req.url ?? '').length > MAX_URL_BYTES) {
      res.writeHead(414, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', Connection: 'close' });
      res.end('URI Too Long');
      return;
    }
    const traversal = kvTraversal(req.url ?? '/');
    if (traversal) {
      res.writeHead(400, { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' });
      res.end(traversal);
      return;
    }
    const mount = options.mount;
    const pathname = (req.url ?? '/').split('?')[0] ?? '/';
    const served = mount?.matches(pathname) ? mount.handle(req, res) : serve(handler, req, res, options);
    served.catch((err) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end(err instanceof Error ? err.message : String(err));
    });
  };
  const server = createServer({ maxHeaderSize: MAX_HEADER_BYTES }, onRequest);
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!options.upgrade?.(req, socket, head)) socket.destroy();
  });
  // Blocking queries hold requests for minutes: never let Node time them out underneath.
  server.requestTimeout = 0;
  server.headersTimeout = 60_000;
  server.keepAliveTimeout = 30_000;
  return server;
}

/**
 * CVE-2025-11392 on the raw request line: URL parsing would silently resolve `a/%2e%2e/b` to `b`
 * before the core sees it, so KV paths with dot segments (raw or encoded) are refused here, as
 * Consul refuses them.
 */
function kvTraversal(rawUrl: string): string | undefined {
  const raw = rawUrl.split('?')[0] ?? '';
  if (!raw.startsWith('/v1/kv/')) return undefined;
  let key: string;
  try {
    key = decodeURIComponent(raw.slice('/v1/kv/'.length));
  } catch {
    key = raw;
  }
  try {
    validateKey(key, raw);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}

/**
 * Counts open connections per client address. Over the cap a connection is answered 429 and hung
 * up, as Consul's connlimit does. Addresses are interned: 10,000 connections from one client share
 * one string.
 */
function connectionLimiter(max: number): { admit(socket: Socket): string | undefined; release(ip: string): void } {
  const perClient = new Map<string, { ip: string; n: number }>();
  const release = (ip: string) => {
    const entry = perClient.get(ip);
    if (!entry) return;
    entry.n--;
    if (entry.n <= 0) perClient.delete(ip);
  };
  return {
    /** Counts `socket` and returns its client's address; undefined (and a 429) when over the cap. */
    admit(socket: Socket) {
      const address = socket.remoteAddress ?? '';
      // Node caches the peer name object on the socket; the interned string is all we keep.
      (socket as unknown as { _peername?: unknown })._peername = undefined;
      let entry = perClient.get(address);
      if (!entry) {
        entry = { ip: address, n: 0 };
        perClient.set(address, entry);
      }
      entry.n++;
      const ip = entry.ip;
      if (max > 0 && entry.n > max) {
        socket.once('close', () => release(ip));
        socket.end('HTTP/1.1 429 Too Many Requests\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
        socket.destroySoon();
        return undefined;
      }
      return ip;
    },
    /** Uncounts one connection of `ip`. */
    release,
  };
}

/**
 * Requests that may wait for a change (blocking queries by `index` or `hash`, streams) get an abort
 * signal that fires when the client goes away (the admin API's too: its subscriptions stream). Others do not: linking a signal is most of the
 * cost of building a Request on Node.
 */
async function serve(handler: FetchHandler, req: IncomingMessage, res: ServerResponse, options: NodeHttpOptions): Promise<void> {
  let signal: AbortSignal | undefined;
  if (mayWait(req.url ?? '/')) {
    const abort = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) abort.abort();
    });
    signal = abort.signal;
  }
  const request = toRequest(req, signal, options);
  const response = await handler(request, req.socket.remoteAddress ?? '');
  await writeResponse(req, res, response, options.gzipMinSize);
}

function toRequest(req: IncomingMessage, signal: AbortSignal | undefined, options: NodeHttpOptions): Request {
  const host = req.headers.host ?? `${options.host}:${options.port}`;
  const url = `${options.tls ? 'https' : 'http'}://${host}${req.url ?? '/'}`;
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (Array.isArray(value)) for (const v of value) headers.append(name, v);
    else if (value !== undefined) headers.set(name, value);
  }
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(url, {
    method,
    headers,
    signal,
    body: hasBody ? (Readable.toWeb(req) as ReadableStream<Uint8Array>) : undefined,
    // @ts-expect-error Node's undici needs duplex for streamed request bodies.
    duplex: 'half',
  });
}

async function writeResponse(req: IncomingMessage, res: ServerResponse, response: ApiResponse, gzipMinSize: number): Promise<void> {
  const headers: Record<string, string> = {};
  response.headers.forEach((value, name) => {
    headers[name] = value;
  });
  if (isOpenEnded(response)) return streamBody(res, response, headers);
  const body = await bodyOf(response);
  // Answered before the request body was read (413, 404, 405...): the rest of that body is still
  // on the wire, so this connection cannot carry another request. Close it instead of letting the
  // client reuse it and have its next request read as the old body.
  if (!req.complete) headers.connection = 'close';
  const acceptsGzip = /\bgzip\b/.test(String(req.headers['accept-encoding'] ?? ''));
  if (body && acceptsGzip && body.length >= gzipMinSize) {
    headers['content-encoding'] = 'gzip';
    headers.vary = 'Accept-Encoding';
    res.writeHead(response.status, headers);
    const gz = createGzip();
    gz.pipe(res);
    gz.end(body);
    return;
  }
  if (body) headers['content-length'] = String(body.length);
  res.writeHead(response.status, headers);
  res.end(body);
}

/** Writes an open-ended body (`/v1/agent/monitor`) chunk by chunk until it ends or the client leaves. */
async function streamBody(res: ServerResponse, response: ApiResponse, headers: Record<string, string>): Promise<void> {
  res.writeHead(response.status, headers);
  res.flushHeaders();
  const reader = (response.body as ReadableStream<Uint8Array>).getReader();
  res.on('close', () => void reader.cancel().catch(() => {}));
  for (;;) {
    const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
    if (done || res.destroyed) break;
    res.write(value);
  }
  res.end();
}

/** The response body as bytes (undefined: none), read to its end if it is still a stream. */
async function bodyOf(response: ApiResponse): Promise<Uint8Array | undefined> {
  const body = response.body;
  if (body === null) return undefined;
  if (typeof body === 'string') return Buffer.from(body);
  return body instanceof Uint8Array ? body : readAll(body);
}

function listen(server: NetServer, host: string, port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closeServer(server: NetServer, lean: LeanServer, fallback: Server): Promise<void> {
  return new Promise((resolve) => {
    server.close(() => resolve());
    lean.close();
    fallback.closeAllConnections();
  });
}
