/**
 * The HTTP API's own response: a status, a small header bag and a body kept as built. Building a
 * WHATWG Response (its Headers, and a ReadableStream around every body) was about a fifth of the
 * agent's CPU on a small KV read, so endpoints return this instead; a runtime adapter serializes
 * it directly (the lean server) or converts it with `toResponse()` at its boundary (Next route
 * handlers, browser tabs, edge runtimes). It offers the reading side of a Response that callers
 * use (`status`, `ok`, `headers.get`, `text()`, `json()`, `arrayBuffer()`).
 */

import { concatBytes } from '../lib/bytes.ts';

/** A body as an endpoint built it; a stream only for bodies that are not in memory. */
export type ApiBody = string | Uint8Array | ReadableStream<Uint8Array> | null;

/** Header names and values. */
export type ApiHeadersInit = Record<string, string>;

/**
 * A case-insensitive header bag: names compare lower-cased, and iterate lower-cased as a WHATWG
 * Headers does (the wire spells them as Go's net/http does, see server/http/wire-response.ts).
 * A handful of headers per response, so parallel arrays with a linear scan beat a Map.
 */
export class ApiHeaders implements Iterable<[string, string]> {
  private readonly names: string[] = [];
  private readonly values: string[] = [];

  constructor(init?: ApiHeadersInit) {
    if (init !== undefined) for (const name in init) this.set(name, init[name] as string);
  }

  /** The value of `name` (any case), or null. */
  get(name: string): string | null {
    const i = this.names.indexOf(name.toLowerCase());
    return i < 0 ? null : (this.values[i] as string);
  }

  has(name: string): boolean {
    return this.names.includes(name.toLowerCase());
  }

  /** Replaces `name`'s value (or adds it at the end). */
  set(name: string, value: string): void {
    const lower = name.toLowerCase();
    const i = this.names.indexOf(lower);
    if (i >= 0) this.values[i] = value;
    else {
      this.names.push(lower);
      this.values.push(value);
    }
  }

  /** Adds a value to `name`, joined with `, ` as Headers.append does. */
  append(name: string, value: string): void {
    const lower = name.toLowerCase();
    const i = this.names.indexOf(lower);
    if (i >= 0) this.values[i] = `${this.values[i]}, ${value}`;
    else this.set(lower, value);
  }

  delete(name: string): void {
    const i = this.names.indexOf(name.toLowerCase());
    if (i < 0) return;
    this.names.splice(i, 1);
    this.values.splice(i, 1);
  }

  /** Calls `fn(value, name)` for each header in the order they were first set (name lower-cased). */
  forEach(fn: (value: string, name: string) => void): void {
    for (let i = 0; i < this.names.length; i++) fn(this.values[i] as string, this.names[i] as string);
  }

  *entries(): IterableIterator<[string, string]> {
    for (let i = 0; i < this.names.length; i++) yield [this.names[i] as string, this.values[i] as string];
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** One answer of the HTTP API. The body is read at most once by `text`/`json`/`arrayBuffer`, like a Response's. */
export class ApiResponse {
  readonly headers: ApiHeaders;
  private used = false;

  constructor(
    readonly status: number,
    /** null: no body at all (a Response with a null body); '' is an empty body. */
    readonly body: ApiBody,
    headers?: ApiHeadersInit | ApiHeaders,
    /** An open-ended stream (`/v1/agent/monitor`): adapters write it as it comes, never buffer it. */
    readonly streamed = false,
  ) {
    this.headers = headers instanceof ApiHeaders ? headers : new ApiHeaders(headers);
  }

  /** 2xx, as Response.ok. */
  get ok(): boolean {
    return this.status >= 200 && this.status < 300;
  }

  /** The body as bytes (empty for none). */
  async bytes(): Promise<Uint8Array> {
    this.use();
    const b = this.body;
    if (b === null) return new Uint8Array(0);
    if (typeof b === 'string') return encoder.encode(b);
    if (b instanceof Uint8Array) return b;
    return readAll(b);
  }

  async arrayBuffer(): Promise<ArrayBuffer> {
    const bytes = await this.bytes();
    return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  }

  async text(): Promise<string> {
    if (typeof this.body === 'string') {
      this.use();
      return this.body;
    }
    return decoder.decode(await this.bytes());
  }

  async json(): Promise<unknown> {
    return JSON.parse(await this.text());
  }

  /** A WHATWG Response with the same status, headers and body, for APIs that need one. */
  toResponse(): Response {
    const headers = new Headers();
    this.headers.forEach((value, name) => {
      headers.append(name, value);
    });
    // A Response refuses a body (even an empty one) with 1xx, 204 and 304.
    const bodiless = this.status === 204 || this.status === 304 || this.status < 200;
    return new Response(bodiless ? null : (this.body as BodyInit | null), { status: this.status, headers });
  }

  /**
   * Wraps a WHATWG Response (another handler's, e.g. the admin API's) without reading it: its
   * body stays a stream, which an adapter buffers unless it is an event stream.
   */
  static fromResponse(response: Response): ApiResponse {
    const headers = new ApiHeaders();
    response.headers.forEach((value, name) => {
      headers.append(name, value);
    });
    return new ApiResponse(response.status, response.body, headers);
  }

  private use(): void {
    if (this.used) throw new TypeError('Body is unusable: Body has already been read');
    this.used = true;
  }
}

/** Reads a stream to its end into one array. */
export async function readAll(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  const reader = stream.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return concatBytes(chunks);
}
