/**
 * HTTP/1.1 request heads and chunked bodies, parsed from bytes (RFC 9112), for the agent's own
 * listener (lean-server.ts). Strict where Go's net/http is strict: a malformed request line or
 * header, an obsolete line fold, conflicting Content-Lengths or an unknown transfer coding is an
 * error the connection answers and closes on, never a crash.
 */

/** Why a head could not be accepted; `status` is what the connection answers before closing. */
export class HeadError extends Error {
  constructor(
    readonly status: 400 | 414 | 431 | 501 | 505,
    message: string,
  ) {
    super(message);
  }
}

/** One parsed request head. Header names are lower-case; repeated headers keep every value. */
export interface RequestHead {
  method: string;
  /** The request target as sent (`/v1/kv/a?index=3`). */
  target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  minor: 0 | 1;
  /** Flat name/value pairs in arrival order: [name0, value0, name1, value1, ...]. */
  headers: string[];
  /** How the body is framed: none, a fixed length, or chunked. */
  body: { kind: 'none' } | { kind: 'length'; length: number } | { kind: 'chunked' };
  /** Whether the connection may carry another request after this one. */
  keepAlive: boolean;
  /** `Expect: 100-continue`. */
  expectContinue: boolean;
  /** An `Upgrade` request (WebSocket): handed to Node's own server. */
  upgrade: boolean;
}

const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;
// Field values: visible ASCII, obs-text, space and tab; no CR, LF or NUL.
const FIELD_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;
const TARGET = /^[\x21-\x7e\x80-\xff]+$/;

/** Index of the blank line ending a head in `buf` (offset just past it), or -1 while incomplete. */
export function headEnd(buf: Buffer): number {
  const i = buf.indexOf('\r\n\r\n', 0, 'latin1');
  return i < 0 ? -1 : i + 4;
}

/** The value of header `name` (lower-case) in `head`, repeated values joined with ", ". */
export function headerValue(headers: readonly string[], name: string): string | undefined {
  let out: string | undefined;
  for (let i = 0; i < headers.length; i += 2) {
    if (headers[i] === name) out = out === undefined ? headers[i + 1] : `${out}, ${headers[i + 1]}`;
  }
  return out;
}

/**
 * Parses the head in `text` (latin1, without the final blank line). `maxTarget` bounds the request
 * target (414 beyond it). Written to allocate little (a string per header name and value, no line
 * array): every request, parked blocking queries included, goes through here.
 */
export function parseHead(text: string, maxTarget: number): RequestHead {
  let eol = text.indexOf('\r\n');
  if (eol < 0) eol = text.length;
  const sp1 = text.indexOf(' ');
  const sp2 = text.lastIndexOf(' ', eol - 1);
  if (sp1 <= 0 || sp1 >= eol || sp2 === sp1) throw new HeadError(400, 'malformed HTTP request');
  const method = text.slice(0, sp1);
  const target = text.slice(sp1 + 1, sp2);
  if (!TOKEN.test(method)) throw new HeadError(400, 'invalid method');
  if (target.length > maxTarget) throw new HeadError(414, 'Request URI Too Long');
  if (!TARGET.test(target)) throw new HeadError(400, 'malformed HTTP request');
  if (!target.startsWith('/') && !(method === 'OPTIONS' && target === '*')) throw new HeadError(400, 'malformed HTTP request');
  const minor = protoMinor(text, sp2 + 1, eol);
  const headers: string[] = [];
  let host = false;
  let connection = '';
  let expect = '';
  let upgrade = false;
  let te: string | undefined;
  let cl: string | undefined;
  let pos = eol + 2;
  while (pos < text.length) {
    let end = text.indexOf('\r\n', pos);
    if (end < 0) end = text.length;
    if (end === pos) {
      pos += 2;
      continue;
    }
    const first = text.charCodeAt(pos);
    if (first === 32 || first === 9) throw new HeadError(400, 'malformed MIME header: obsolete line folding');
    const colon = text.indexOf(':', pos);
    if (colon <= pos || colon > end) throw new HeadError(400, 'malformed MIME header line');
    const name = text.slice(pos, colon).toLowerCase();
    if (!TOKEN.test(name)) throw new HeadError(400, 'malformed MIME header line');
    const value = trimmed(text, colon + 1, end);
    if (!FIELD_VALUE.test(value)) throw new HeadError(400, 'invalid header value');
    headers.push(name, value);
    switch (name) {
      case 'host':
        host = true;
        break;
      case 'connection':
        connection = connection ? `${connection}, ${value}` : value;
        break;
      case 'expect':
        expect = value;
        break;
      case 'upgrade':
        upgrade = true;
        break;
      case 'transfer-encoding':
        te = te === undefined ? value : `${te}, ${value}`;
        break;
      case 'content-length':
        cl = cl === undefined ? value : `${cl}, ${value}`;
        break;
    }
    pos = end + 2;
  }
  if (minor === 1 && !host) throw new HeadError(400, 'missing required Host header');
  const keepAlive = minor === 1 ? !hasToken(connection, 'close') : hasToken(connection, 'keep-alive');
  return {
    method,
    target,
    minor,
    headers,
    body: bodyFraming(te, cl),
    keepAlive,
    expectContinue: minor === 1 && expect.toLowerCase() === '100-continue',
    upgrade: upgrade && hasToken(connection, 'upgrade'),
  };
}

/** `HTTP/1.1` → 1, `HTTP/1.0` → 0; another version is 505, anything else 400 (as Go). */
function protoMinor(text: string, from: number, to: number): 0 | 1 {
  if (to - from === 8 && text.startsWith('HTTP/1.', from)) {
    const c = text.charCodeAt(from + 7);
    if (c === 49) return 1;
    if (c === 48) return 0;
  }
  if (/^HTTP\/\d\.\d$/.test(text.slice(from, to))) throw new HeadError(505, 'unsupported protocol version');
  throw new HeadError(400, 'malformed HTTP version');
}

/** `text[from, to)` without surrounding spaces and tabs, sliced once. */
function trimmed(text: string, from: number, to: number): string {
  while (from < to && (text.charCodeAt(from) === 32 || text.charCodeAt(from) === 9)) from++;
  while (to > from && (text.charCodeAt(to - 1) === 32 || text.charCodeAt(to - 1) === 9)) to--;
  return text.slice(from, to);
}

/** Whether comma-separated `list` holds `token` (case-insensitive). */
function hasToken(list: string, token: string): boolean {
  if (list === '') return false;
  for (const part of list.split(',')) if (part.trim().toLowerCase() === token) return true;
  return false;
}

/** RFC 9112 §6.3: chunked wins over Content-Length; other codings are not supported (Go: 501). */
function bodyFraming(te: string | undefined, cl: string | undefined): RequestHead['body'] {
  if (te !== undefined) {
    if (te.trim().toLowerCase() !== 'chunked') throw new HeadError(501, 'unsupported transfer encoding');
    return { kind: 'chunked' };
  }
  if (cl === undefined) return NO_BODY;
  // Repeated identical values are tolerated (as Go does); differing ones are request smuggling.
  const values = new Set(cl.split(',').map((v) => v.trim()));
  const only = [...values][0] ?? '';
  if (values.size !== 1 || !/^\d{1,15}$/.test(only)) throw new HeadError(400, 'bad Content-Length');
  const length = Number(only);
  return length === 0 ? NO_BODY : { kind: 'length', length };
}

const NO_BODY: RequestHead['body'] = { kind: 'none' };

/**
 * Incremental decoder of a chunked body: feed it bytes, it returns the data bytes found and how
 * many input bytes it used; `done` once the last chunk and trailers are through.
 */
export class ChunkedDecoder {
  private state: 'size' | 'data' | 'data-crlf' | 'trailer' = 'size';
  private remaining = 0;
  done = false;

  /** Consumes from `buf`; returns the decoded pieces and the number of bytes used. */
  feed(buf: Buffer): { data: Buffer[]; used: number } {
    const data: Buffer[] = [];
    let pos = 0;
    while (pos < buf.length && !this.done) {
      if (this.state === 'size') {
        const eol = buf.indexOf('\r\n', pos, 'latin1');
        if (eol < 0) {
          if (buf.length - pos > 1024) throw new HeadError(400, 'chunk size line too long');
          break;
        }
        const line = buf.toString('latin1', pos, eol);
        const m = /^([0-9a-fA-F]{1,12})(;.*)?$/.exec(line);
        if (!m) throw new HeadError(400, 'invalid byte in chunk length');
        this.remaining = Number.parseInt(m[1] as string, 16);
        pos = eol + 2;
        this.state = this.remaining === 0 ? 'trailer' : 'data';
      } else if (this.state === 'data') {
        const take = Math.min(this.remaining, buf.length - pos);
        data.push(buf.subarray(pos, pos + take));
        pos += take;
        this.remaining -= take;
        if (this.remaining === 0) this.state = 'data-crlf';
      } else if (this.state === 'data-crlf') {
        if (buf.length - pos < 2) break;
        if (buf[pos] !== 13 || buf[pos + 1] !== 10) throw new HeadError(400, 'malformed chunked encoding');
        pos += 2;
        this.state = 'size';
      } else {
        // Trailer fields are read and dropped, up to the blank line.
        const eol = buf.indexOf('\r\n', pos, 'latin1');
        if (eol < 0) {
          if (buf.length - pos > 8192) throw new HeadError(400, 'trailer too long');
          break;
        }
        if (eol === pos) this.done = true;
        pos = eol + 2;
      }
    }
    return { data, used: pos };
  }
}
