/**
 * A core ApiResponse turned into HTTP/1.1 bytes once, then written to as many connections as asked
 * for it: a solo request's answer, or the one answer shared by every identical blocking query.
 * Variants (gzip or not, keep-alive or close, HEAD) are built lazily and kept, so 10,000 waiters
 * released together cost 10,000 socket writes of the same Buffer, not 10,000 encodings.
 */
import { STATUS_CODES } from 'node:http';
import { promisify } from 'node:util';
import { gzip as gzipCb } from 'node:zlib';
import { type ApiHeaders, type ApiResponse, readAll } from '../../core/http/api-response.ts';

const gzip = promisify(gzipCb);

/** How a connection wants its answer framed. */
export interface WireWants {
  gzip: boolean;
  /** 'keep' (HTTP/1.1 persistent), 'keep10' (HTTP/1.0 with keep-alive), 'close'. */
  conn: 'keep' | 'keep10' | 'close';
  head: boolean;
}

/** HTTP-date for the Date header, recomputed at most once a second. */
let dateSecond = -1;
let dateText = '';
export function httpDate(): string {
  const now = Date.now();
  const s = Math.floor(now / 1000);
  if (s !== dateSecond) {
    dateSecond = s;
    dateText = new Date(now).toUTCString();
  }
  return dateText;
}

const canonical = new Map<string, string>();
/** Go's CanonicalMIMEHeaderKey (`x-consul-index` → `X-Consul-Index`), cached. */
export function canonicalName(name: string): string {
  let c = canonical.get(name);
  if (c === undefined) {
    c = name.replace(/(^|-)([a-z])/g, (_m, dash: string, ch: string) => dash + ch.toUpperCase());
    if (canonical.size < 1024) canonical.set(name, c);
  }
  return c;
}

/** Go's status texts where they differ from Node's. */
const GO_STATUS_TEXT: Record<number, string> = {
  413: 'Request Entity Too Large',
  414: 'Request URI Too Long',
  416: 'Requested Range Not Satisfiable',
};

/** The reason phrase Go's net/http writes for `status`. */
export function statusText(status: number): string {
  return GO_STATUS_TEXT[status] ?? STATUS_CODES[status] ?? 'status code ' + status;
}

/** Status codes that never carry a body. */
function bodiless(status: number): boolean {
  return status === 204 || status === 304 || (status >= 100 && status < 200);
}

/** A fully buffered response, encoded once, with its framing variants. */
export class WireResponse {
  private readonly variants = new Map<string, Buffer>();
  private gzipped: Buffer | undefined;

  private constructor(
    readonly status: number,
    /** Header lines already formatted (`Name: value\r\n`), without framing headers. */
    private readonly headerText: string,
    private readonly body: Buffer | undefined,
    private readonly gzipMinSize: number,
  ) {}

  /**
   * Encodes `response`: at once for a body in memory (the core's answers), after reading it to its
   * end for a body still in a stream (another handler's; it must not be open-ended).
   */
  static from(response: ApiResponse, gzipMinSize: number): WireResponse | Promise<WireResponse> {
    const body = response.body;
    const headerText = headerLines(response.headers);
    if (body === null) return new WireResponse(response.status, headerText, undefined, gzipMinSize);
    if (typeof body === 'string') return new WireResponse(response.status, headerText, Buffer.from(body), gzipMinSize);
    if (body instanceof Uint8Array) return new WireResponse(response.status, headerText, asBuffer(body), gzipMinSize);
    return readAll(body).then((bytes) => new WireResponse(response.status, headerText, asBuffer(bytes), gzipMinSize));
  }

  /** A plain-text answer made here (errors of the transport itself). */
  static text(status: number, body: string, extra = ''): WireResponse {
    return new WireResponse(status, `Content-Type: text/plain; charset=utf-8\r\nX-Content-Type-Options: nosniff\r\n${extra}`, Buffer.from(body), Number.POSITIVE_INFINITY);
  }

  /** Whether a client accepting gzip gets it (gziphandler's minimum size). */
  private gzips(wants: WireWants): boolean {
    return wants.gzip && this.body !== undefined && this.body.length >= this.gzipMinSize && !bodiless(this.status);
  }

  /** Whether `bytes(wants)` can be called without `prepare` first. */
  ready(wants: WireWants): boolean {
    return !this.gzips(wants) || this.gzipped !== undefined;
  }

  /** Compresses once, before `bytes` is asked for a gzip variant. */
  async prepare(wants: WireWants): Promise<void> {
    if (this.gzips(wants) && !this.gzipped) this.gzipped = await gzip(this.body as Buffer);
  }

  /** The bytes of the whole answer for `wants` (call `prepare` first when it may gzip). */
  bytes(wants: WireWants): Buffer {
    const zipped = this.gzips(wants) && this.gzipped !== undefined;
    const key = `${zipped ? 'z' : ''}${wants.conn}${wants.head ? 'h' : ''}`;
    let out = this.variants.get(key);
    if (out) return out;
    const body = zipped ? this.gzipped : this.body;
    let head = `HTTP/1.1 ${this.status} ${statusText(this.status)}\r\n${this.headerText}`;
    if (zipped) head += 'Content-Encoding: gzip\r\nVary: Accept-Encoding\r\n';
    if (!bodiless(this.status)) head += `Content-Length: ${body?.length ?? 0}\r\n`;
    if (wants.conn === 'close') head += 'Connection: close\r\n';
    else if (wants.conn === 'keep10') head += 'Connection: keep-alive\r\n';
    head += `Date: ${httpDate()}\r\n\r\n`;
    const headBuf = Buffer.from(head, 'latin1');
    out = body && !wants.head && !bodiless(this.status) ? Buffer.concat([headBuf, body]) : headBuf;
    this.variants.set(key, out);
    return out;
  }
}

/** The head of a streamed (open-ended) answer: chunked on HTTP/1.1, close-delimited on 1.0. */
export function streamHead(response: ApiResponse, chunked: boolean): Buffer {
  let head = `HTTP/1.1 ${response.status} ${statusText(response.status)}\r\n${headerLines(response.headers)}`;
  head += chunked ? 'Transfer-Encoding: chunked\r\n' : 'Connection: close\r\n';
  head += `Date: ${httpDate()}\r\n\r\n`;
  return Buffer.from(head, 'latin1');
}

/** Open-ended bodies, written as they come and never buffered: `streamResponse` ones and server-sent events. */
export function isOpenEnded(response: ApiResponse): boolean {
  if (response.streamed) return true;
  return response.body instanceof ReadableStream && /^text\/event-stream\b/i.test(response.headers.get('content-type') ?? '');
}

/** `Name: value` lines as Go's net/http spells the names, without the framing headers we set ourselves. */
function headerLines(headers: ApiHeaders): string {
  let text = '';
  headers.forEach((value, name) => {
    if (name === 'content-length' || name === 'transfer-encoding' || name === 'connection') return;
    text += `${canonicalName(name)}: ${value}\r\n`;
  });
  return text;
}

/** A Buffer view of `bytes` (no copy). */
function asBuffer(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}
