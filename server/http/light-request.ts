/**
 * The request object the agent's own HTTP/1.1 server hands the core: the `ApiRequest` fields over
 * the parsed head, without building a WHATWG Request, Headers list or AbortSignal per request.
 * `asWebRequest` makes a real Request of it for code that needs one (the tRPC admin handler).
 */
import type { ApiRequest } from '../../core/http/context.ts';

/** Read-only headers over the parser's flat [name, value, ...] list (names already lower-case). */
export class LightHeaders {
  constructor(private readonly flat: readonly string[]) {}

  /** The value of `name`, repeated values joined with ", " as the Fetch standard does; else null. */
  get(name: string): string | null {
    const key = name.toLowerCase();
    let out: string | null = null;
    const h = this.flat;
    for (let i = 0; i < h.length; i += 2) {
      if (h[i] === key) out = out === null ? (h[i + 1] as string) : `${out}, ${h[i + 1]}`;
    }
    return out;
  }

  has(name: string): boolean {
    return this.get(name) !== null;
  }

  forEach(callback: (value: string, name: string) => void): void {
    const h = this.flat;
    for (let i = 0; i < h.length; i += 2) callback(h[i + 1] as string, h[i] as string);
  }
}

/** The signal of requests that cannot wait: nothing ever aborts it. */
const NEVER = new AbortController().signal;

/** One request as the core's `fetch` reads it. */
export class LightRequest implements ApiRequest {
  readonly signal: AbortSignal;

  constructor(
    readonly method: string,
    readonly url: string,
    readonly headers: LightHeaders,
    readonly body: ReadableStream<Uint8Array> | null,
    signal: AbortSignal | undefined,
  ) {
    this.signal = signal ?? NEVER;
  }
}

/** `request` as a WHATWG Request (itself when it is one). */
export function asWebRequest(request: ApiRequest): Request {
  if (request instanceof Request) return request;
  const headers = new Headers();
  if (request.headers instanceof LightHeaders) {
    request.headers.forEach((value, name) => {
      headers.append(name, value);
    });
  }
  return new Request(request.url, {
    method: request.method,
    headers,
    body: request.body,
    signal: request.signal,
    // @ts-expect-error Node's undici needs duplex for streamed request bodies.
    duplex: 'half',
  });
}
