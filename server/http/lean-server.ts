/**
 * The agent's HTTP/1.1 connection handler on node:net (or node:tls) sockets, below node:http: it
 * parses request heads itself, serves requests one at a time per connection (so pipelined requests
 * are answered in order), frames bodies by Content-Length or chunked coding, answers
 * `Expect: 100-continue` when the handler first reads the body, and keeps nothing but the socket
 * and a small record per parked blocking query. Identical blocking queries (same target, token and
 * client-visible inputs) share one core request and one encoded answer (shared-waits.ts).
 * Requests for other handlers on the port (the /ui mount, WebSocket upgrades) are handed to a
 * node:http server with the bytes already read put back on the socket.
 */
import type { Server as HttpServer } from 'node:http';
import type { Socket } from 'node:net';
import type { ApiResponse } from '../../core/http/api-response.ts';
import type { ApiRequest } from '../../core/http/context.ts';
import { ChunkedDecoder, HeadError, headEnd, headerValue, parseHead, type RequestHead } from './http1-parser.ts';
import { LightHeaders, LightRequest } from './light-request.ts';
import { SharedWaits } from './shared-waits.ts';
import { isOpenEnded, statusText, streamHead, WireResponse, type WireWants } from './wire-response.ts';

/** What serves one request. `remoteAddress` is the client's IP. */
export type FetchHandler = (request: ApiRequest, remoteAddress: string) => Promise<ApiResponse>;

export interface LeanOptions {
  handler: FetchHandler;
  /** The scheme and default host of request URLs (`http`/`https`, `host:port`). */
  scheme: 'http' | 'https';
  defaultHost: string;
  gzipMinSize: number;
  maxHeaderBytes: number;
  maxUrlBytes: number;
  /** Paths that belong to node:http (the /ui mount); upgrades always do. */
  handOff(pathname: string): boolean;
  /** The node:http server that takes handed-off connections. */
  fallback: HttpServer;
  /** Answers a request before the core sees it (the raw-path KV traversal check), or undefined. */
  precheck(target: string): WireResponse | undefined;
  /** Idle keep-alive connections are closed after this long (ms). */
  keepAliveTimeoutMs: number;
  /** A request head must arrive within this long (ms) of its first byte. */
  headersTimeoutMs: number;
  /** Called once when an accepted socket closes (the per-client connection count). */
  released?(ip: string): void;
}

const CONTINUE = Buffer.from('HTTP/1.1 100 Continue\r\n\r\n', 'latin1');
const EMPTY = Buffer.alloc(0);

/** Per-connection state; deliberately small, since a parked blocking query keeps one. */
export class Conn {
  /** Bytes received and not yet parsed (or the rest of a body not yet asked for). */
  buf: Buffer = EMPTY;
  /** A request is being served; the next one waits in `buf`. */
  busy = false;
  /** The body being received for the current request, if any. */
  body: BodyFeed | undefined = undefined;
  /** The client half-closed, or the answer must close the connection. */
  ended = false;
  closeAfter = false;
  /**
   * What a request in flight is waiting on: a shared wait, or its own abort or stream; told when
   * the client goes away.
   */
  waiting: Waiting | undefined = undefined;
  /** When the connection went idle (seconds on the sweeper's clock; a small integer, no heap number). */
  since = 0;
  /** How the current request wants its answer framed. */
  wants: WireWants = KEEP;

  constructor(
    readonly socket: Socket,
    /** The client's IP, read once (the socket's own cached peer name is dropped to save memory). */
    readonly ip: string,
  ) {}
}

/** Something a request in flight waits on, that must hear when its client goes away. */
export interface Waiting {
  leave(conn: Conn): void;
}

const CONN_MODES = ['keep', 'keep10', 'close'] as const;
/** The twelve framing combinations, shared so that a parked request holds no object of its own. */
const WANTS: WireWants[] = CONN_MODES.flatMap((conn) => [false, true].flatMap((gzip) => [false, true].map((head) => ({ gzip, conn, head }))));
function wantsOf(gzip: boolean, conn: WireWants['conn'], head: boolean): WireWants {
  return WANTS[CONN_MODES.indexOf(conn) * 4 + (gzip ? 2 : 0) + (head ? 1 : 0)] as WireWants;
}
const KEEP = wantsOf(false, 'keep', false);

/** Where a socket's Conn is kept, so one listener function serves every socket (no closures). */
const kConn = Symbol('conn');
type ConnSocket = Socket & { [kConn]?: Conn };

/** Feeds a request body from the connection into the web stream the core reads. */
class BodyFeed {
  private readonly chunked: ChunkedDecoder | undefined;
  private remaining: number;
  private controller: ReadableStreamDefaultController<Uint8Array> | undefined;
  private continueSent: boolean;
  done = false;
  readonly stream: ReadableStream<Uint8Array>;

  constructor(
    private readonly conn: Conn,
    head: RequestHead,
    onError: (err: HeadError) => void,
  ) {
    this.chunked = head.body.kind === 'chunked' ? new ChunkedDecoder() : undefined;
    this.remaining = head.body.kind === 'length' ? head.body.length : 0;
    this.continueSent = !head.expectContinue;
    this.stream = new ReadableStream<Uint8Array>(
      {
        start: (c) => {
          this.controller = c;
        },
        pull: () => {
          // The handler wants the body: only now is the client told to send it (Go does the same).
          if (!this.continueSent) {
            this.continueSent = true;
            if (!conn.socket.destroyed) conn.socket.write(CONTINUE);
          }
          conn.socket.resume();
          this.drain(onError);
        },
        cancel: () => {
          this.done = true;
          conn.closeAfter = true;
        },
      },
      // No read-ahead: nothing is pulled (and no 100 Continue sent) until the handler reads.
      { highWaterMark: 0 },
    );
  }

  /** Moves bytes from the connection's buffer into the stream. */
  drain(onError: (err: HeadError) => void): void {
    const conn = this.conn;
    if (this.done || !this.continueSent || conn.buf.length === 0) return;
    const c = this.controller as ReadableStreamDefaultController<Uint8Array>;
    if (this.chunked) {
      let fed: { data: Buffer[]; used: number };
      try {
        fed = this.chunked.feed(conn.buf);
      } catch (e) {
        this.done = true;
        c.error(e);
        onError(e as HeadError);
        return;
      }
      conn.buf = conn.buf.subarray(fed.used);
      for (const d of fed.data) if (d.length > 0) c.enqueue(new Uint8Array(d));
      if (this.chunked.done) this.finish();
    } else {
      const take = Math.min(this.remaining, conn.buf.length);
      c.enqueue(new Uint8Array(conn.buf.subarray(0, take)));
      conn.buf = conn.buf.subarray(take);
      this.remaining -= take;
      if (this.remaining === 0) this.finish();
    }
    // Backpressure: stop reading the socket until the handler asks for more.
    if (!this.done && (c.desiredSize ?? 0) < 0) conn.socket.pause();
  }

  private finish(): void {
    this.done = true;
    this.controller?.close();
  }
}

/**
 * Requests that may wait for a change get an abort signal that fires when the client goes away.
 * Others do not: linking a signal is most of the cost of building a Request on Node.
 */
export function mayWait(target: string): boolean {
  return /[?&](index|hash)=/.test(target) || target.startsWith('/v1/agent/monitor') || target.startsWith('/api/trpc/');
}

/** Serves HTTP/1.1 on accepted sockets. */
export class LeanServer {
  private readonly conns = new Set<Conn>();
  private readonly waits: SharedWaits;
  private readonly sweeper: ReturnType<typeof setInterval>;
  // One listener of each kind for all sockets: per-socket closures cost memory per parked request.
  private readonly listeners: {
    data: (this: ConnSocket, chunk: Buffer) => void;
    end: (this: ConnSocket) => void;
    close: (this: ConnSocket) => void;
  };

  constructor(private readonly o: LeanOptions) {
    const self = this;
    this.listeners = {
      data(chunk) {
        const c = this[kConn];
        if (c) self.onData(c, chunk);
      },
      end() {
        const c = this[kConn];
        if (c) self.onEnd(c);
      },
      close() {
        const c = this[kConn];
        if (c) self.onClose(c);
      },
    };
    this.waits = new SharedWaits(o.gzipMinSize, (conn, wire) => this.finishWith(conn, wire));
    this.sweeper = setInterval(() => this.sweep(), 1000);
    this.sweeper.unref();
  }

  /** Takes a new (plain or TLS) connection from `ip`. */
  accept(socket: Socket, ip: string): void {
    const conn = new Conn(socket, ip);
    conn.since = nowSeconds();
    this.conns.add(conn);
    socket.setNoDelay(true);
    (socket as ConnSocket)[kConn] = conn;
    socket.on('data', this.listeners.data);
    socket.on('end', this.listeners.end);
    socket.on('error', ignore);
    socket.on('close', this.listeners.close);
  }

  /** Number of open connections this server handles (tests). */
  get connections(): number {
    return this.conns.size;
  }

  /** Number of requests parked in shared blocking waits (tests). */
  get sharedWaiters(): number {
    return this.waits.waiters;
  }

  close(): void {
    clearInterval(this.sweeper);
    for (const c of this.conns) c.socket.destroy();
  }

  private onData(conn: Conn, chunk: Buffer): void {
    conn.buf = conn.buf.length === 0 ? chunk : Buffer.concat([conn.buf, chunk]);
    if (conn.body && !conn.body.done) {
      conn.body.drain((e) => this.fail(conn, e));
      // A body the handler has not asked for yet (or sent before our 100 Continue) waits in the
      // kernel, not in memory: reading resumes when the handler pulls.
      if (conn.buf.length > this.o.maxHeaderBytes) conn.socket.pause();
      return;
    }
    if (conn.busy) {
      // Pipelined requests wait their turn; a client that floods past one head's worth waits too.
      if (conn.buf.length > this.o.maxHeaderBytes) conn.socket.pause();
      return;
    }
    this.next(conn);
  }

  private onEnd(conn: Conn): void {
    conn.ended = true;
    // A client that closes its side while a blocking query waits has gone (Go cancels the
    // request's context on that EOF too): drop the waiter now rather than hold a half-open socket.
    if (conn.waiting) {
      conn.socket.destroy();
      return;
    }
    if (!conn.busy && conn.buf.length === 0) conn.socket.end();
  }

  private onClose(conn: Conn): void {
    this.conns.delete(conn);
    this.o.released?.(conn.ip);
    conn.buf = EMPTY;
    const waiting = conn.waiting;
    conn.waiting = undefined;
    waiting?.leave(conn);
  }

  /** Parses and serves the next request in the buffer, if a whole head is there. */
  private next(conn: Conn): void {
    if (conn.busy || conn.socket.destroyed) return;
    // Stray CRLFs between requests are allowed (RFC 9112 §2.2).
    let skip = 0;
    while (skip + 1 < conn.buf.length && conn.buf[skip] === 13 && conn.buf[skip + 1] === 10) skip += 2;
    if (skip > 0) conn.buf = conn.buf.subarray(skip);
    if (conn.buf.length === 0) {
      conn.since = nowSeconds();
      if (conn.ended) conn.socket.end();
      return;
    }
    const end = headEnd(conn.buf);
    if (end < 0 || end > this.o.maxHeaderBytes) {
      if (conn.buf.length > this.o.maxHeaderBytes) return this.fail(conn, new HeadError(431, 'Request Header Fields Too Large'));
      if (conn.ended) conn.socket.destroy();
      return;
    }
    let head: RequestHead;
    try {
      head = parseHead(conn.buf.toString('latin1', 0, end - 4), this.o.maxUrlBytes);
    } catch (e) {
      return this.fail(conn, e instanceof HeadError ? e : new HeadError(400, 'malformed HTTP request'));
    }
    if (head.upgrade || this.o.handOff(pathOf(head.target))) return this.handOff(conn);
    conn.buf = conn.buf.subarray(end);
    conn.busy = true;
    if (conn.buf.length === 0) conn.buf = EMPTY;
    conn.wants = wantsOf(/\bgzip\b/.test(headerValue(head.headers, 'accept-encoding') ?? ''), !head.keepAlive ? 'close' : head.minor === 0 ? 'keep10' : 'keep', head.method === 'HEAD');
    const early = this.o.precheck(head.target);
    if (early) {
      if (head.body.kind !== 'none') conn.closeAfter = true;
      void this.finishWith(conn, early);
      return;
    }
    const remote = conn.ip;
    if (head.method === 'GET' && head.body.kind === 'none' && this.waits.shareable(head.target)) {
      this.waits.join(conn, head, remote, (signal) => this.toRequest(conn, head, signal), this.o.handler);
      return;
    }
    this.serveSolo(conn, head, remote);
  }

  /** Gives the connection, with everything read so far, to node:http. */
  private handOff(conn: Conn): void {
    const socket = conn.socket as ConnSocket;
    this.conns.delete(conn);
    // node:http owns it now; the connection count is released when it closes.
    const released = this.o.released;
    if (released) socket.once('close', () => released(conn.ip));
    socket.off('data', this.listeners.data);
    socket.off('end', this.listeners.end);
    socket.off('close', this.listeners.close);
    socket.off('error', ignore);
    socket[kConn] = undefined;
    socket.pause();
    if (conn.buf.length > 0) socket.unshift(conn.buf);
    conn.buf = EMPTY;
    this.o.fallback.emit('connection', socket);
    socket.resume();
  }

  private serveSolo(conn: Conn, head: RequestHead, remote: string): void {
    let request: ApiRequest;
    try {
      let signal: AbortSignal | undefined;
      if (mayWait(head.target)) {
        const abort = new AbortController();
        conn.waiting = { leave: () => abort.abort() };
        signal = abort.signal;
      }
      request = this.toRequest(conn, head, signal);
    } catch {
      return this.fail(conn, new HeadError(400, 'malformed HTTP request'));
    }
    this.o
      .handler(request, remote)
      .then((response) => this.writeResponse(conn, response))
      .catch((err: unknown) => this.finishWith(conn, WireResponse.text(500, err instanceof Error ? err.message : String(err))));
  }

  /** Builds the request the core's `fetch` takes (a light one: see light-request.ts). */
  toRequest(conn: Conn, head: RequestHead, signal: AbortSignal | undefined): ApiRequest {
    const host = headerValue(head.headers, 'host') ?? this.o.defaultHost;
    let body: ReadableStream<Uint8Array> | null = null;
    if (head.method !== 'GET' && head.method !== 'HEAD') {
      if (head.body.kind === 'none') body = new ReadableStream({ start: (c) => c.close() });
      else {
        conn.body = new BodyFeed(conn, head, (e) => this.fail(conn, e));
        body = conn.body.stream;
      }
    } else if (head.body.kind !== 'none') {
      // A GET with a body: nothing reads it, so the connection cannot be reused after the answer.
      conn.closeAfter = true;
    }
    return new LightRequest(head.method, `${this.o.scheme}://${host}${head.target}`, new LightHeaders(head.headers), body, signal);
  }

  private writeResponse(conn: Conn, response: ApiResponse): Promise<void> | undefined {
    if (isOpenEnded(response)) return this.stream(conn, response);
    const wire = WireResponse.from(response, this.o.gzipMinSize);
    if (wire instanceof WireResponse) return this.finishWith(conn, wire);
    return wire.then((w) => this.finishWith(conn, w));
  }

  /** Writes a whole answer, then moves on to the next request (or closes). */
  finishWith(conn: Conn, wire: WireResponse): Promise<void> | undefined {
    conn.waiting = undefined;
    // Answered before its body was all read (413, 404, 405...): the rest is still on the wire, so
    // this connection cannot carry another request.
    if (conn.body && !conn.body.done) conn.closeAfter = true;
    conn.body = undefined;
    const close = conn.closeAfter || conn.wants.conn === 'close';
    const wants: WireWants = close ? wantsOf(conn.wants.gzip, 'close', conn.wants.head) : conn.wants;
    // Already compressed (or nothing to compress): written now, with no promise per connection, so
    // that releasing thousands of waiters at once is a plain loop of socket writes.
    if (wire.ready(wants)) {
      this.writeAndContinue(conn, wire.bytes(wants), close);
      return undefined;
    }
    return wire.prepare(wants).then(() => this.writeAndContinue(conn, wire.bytes(wants), close));
  }

  /** Writes `bytes` and serves the next pipelined request, or ends the connection. */
  writeAndContinue(conn: Conn, bytes: Buffer, close: boolean): void {
    const socket = conn.socket;
    if (socket.destroyed) return;
    socket.write(bytes);
    conn.busy = false;
    if (conn.buf.length === 0) conn.buf = EMPTY;
    if (close) {
      socket.end();
      socket.destroySoon();
      return;
    }
    conn.since = nowSeconds();
    if (socket.isPaused()) socket.resume();
    if (conn.buf.length > 0 || conn.ended) this.next(conn);
  }

  /** An open-ended body (`/v1/agent/monitor`, server-sent events): written as it comes. */
  private async stream(conn: Conn, response: ApiResponse): Promise<void> {
    const chunked = conn.wants.conn !== 'keep10' && conn.wants.conn !== 'close';
    const socket = conn.socket;
    if (conn.body && !conn.body.done) conn.closeAfter = true;
    socket.write(streamHead(response, chunked));
    const reader = (response.body as ReadableStream<Uint8Array>).getReader();
    conn.waiting = { leave: () => void reader.cancel().catch(() => {}) };
    for (;;) {
      const { done, value } = await reader.read().catch(() => ({ done: true, value: undefined }));
      if (done || !value || socket.destroyed) break;
      if (value.length === 0) continue;
      if (chunked) socket.write(`${value.length.toString(16)}\r\n`);
      socket.write(value);
      if (chunked) socket.write('\r\n');
    }
    conn.waiting = undefined;
    conn.body = undefined;
    if (!chunked) {
      socket.end();
      return;
    }
    this.writeAndContinue(conn, Buffer.from('0\r\n\r\n', 'latin1'), conn.closeAfter);
  }

  /** A malformed request: Go's plain answer, then the connection is closed. */
  private fail(conn: Conn, err: HeadError): void {
    const socket = conn.socket;
    if (socket.destroyed) return;
    const reason = statusText(err.status);
    // Go's plain answers: "400 Bad Request", or e.g. "505 HTTP Version Not Supported: <why>".
    const text = err.status === 400 || err.message === reason ? `${err.status} ${reason}` : `${err.status} ${reason}: ${err.message}`;
    socket.end(`HTTP/1.1 ${err.status} ${reason}\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n${text}`);
    conn.busy = true;
    conn.buf = EMPTY;
    socket.destroySoon();
  }

  /** Closes keep-alive connections idle too long and heads that take too long to arrive. */
  private sweep(): void {
    const now = nowSeconds();
    for (const conn of this.conns) {
      if (conn.busy) continue;
      const limit = conn.buf.length > 0 ? this.o.headersTimeoutMs : this.o.keepAliveTimeoutMs;
      if ((now - conn.since) * 1000 > limit) conn.socket.destroy();
    }
  }
}

function ignore(): void {}

/** Whole seconds since the process started, for idle accounting. */
function nowSeconds(): number {
  return Math.floor(performance.now() / 1000);
}

/** The path part of a request target (no allocation when there is no query). */
function pathOf(target: string): string {
  const q = target.indexOf('?');
  return q < 0 ? target : target.slice(0, q);
}
