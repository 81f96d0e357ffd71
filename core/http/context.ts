import { AclIdentity } from '../acl/identity.ts';
import { concatBytes } from '../lib/bytes.ts';
import { HttpError } from './errors.ts';
import { decodeJson } from './json.ts';

/**
 * What the API reads of a request: the part of a WHATWG Request it uses. Browsers, edge runtimes
 * and tests pass a Request; the agent's Node listener passes a lighter object with these fields
 * (building a Request, its Headers and AbortSignal is most of the per-request cost on Node).
 */
export interface ApiRequest {
  readonly method: string;
  /** Absolute URL (`http://host/v1/...`). */
  readonly url: string;
  readonly headers: { get(name: string): string | null };
  readonly body: ReadableStream<Uint8Array> | null;
  /** Fires when the client goes away (never, for requests that cannot wait). */
  readonly signal: AbortSignal;
}

/** Everything an endpoint sees of one request. */
export interface ApiContext {
  readonly request: ApiRequest;
  readonly url: URL;
  readonly method: string;
  /** The path as requested, e.g. `/v1/kv/a/b`. */
  readonly path: string;
  /** For prefix routes, the decoded remainder after the prefix (the key, name or ID). */
  readonly suffix: string;
  readonly query: URLSearchParams;
  /** The ACL token from `?token=`, `X-Consul-Token` or `Authorization: Bearer`, if any. */
  readonly token: string | undefined;
  /** Indented output: `?pretty` or a dev-mode agent. */
  readonly pretty: boolean;
  /** The client's address as the transport saw it (`ip` or `ip:port`), for caps and `?near=_ip`. */
  readonly remoteAddress: string;
  /** Reads the body, failing with 413 past `limit` bytes before buffering more than that. */
  readBody(limit?: number): Promise<Uint8Array>;
  /** Reads and parses a JSON body; a decode error is 400 `Request decode failed: <err>`. */
  readJson(limit?: number, errorPrefix?: string): Promise<unknown>;
  /** True if `name` is present in the query string, whatever its value (Consul's flag params). */
  has(name: string): boolean;
  /**
   * The identity the request acts as: its token, else the agent's default token, else anonymous
   * (resolved once per request). Rejects with `ACL not found` (403) for an unknown token.
   */
  authorize(): Promise<AclIdentity>;
  /** Keeps the rows `allowed` accepts; a dropped row marks the response as filtered by ACLs. */
  keep<T>(rows: readonly T[], allowed: (row: T) => boolean): T[];
  /** Marks the response as filtered by ACLs (X-Consul-Results-Filtered-By-ACLs). */
  markFiltered(): void;
  /** Whether rows were filtered out. */
  readonly filtered: boolean;
}

/** Turns a token secret (or none) into an identity; absent when the agent has no ACL support. */
export type TokenResolve = (secret: string | undefined) => Promise<AclIdentity>;

/** Default cap on request bodies (Consul's agent limits; KV has its own 512 KiB cap). */
export const DEFAULT_BODY_LIMIT = 4 * 1024 * 1024;

/** Consul's token lookup order (src: agent/http.go parseTokenInternal). */
export function tokenFrom(url: URL, headers: ApiRequest['headers']): string | undefined {
  const q = url.searchParams.get('token');
  if (q) return q;
  const h = headers.get('x-consul-token');
  if (h) return h;
  const auth = headers.get('authorization');
  if (auth) {
    const m = /^bearer\s+(.+)$/i.exec(auth.trim());
    if (m?.[1]) return m[1].trim();
  }
  return undefined;
}

/** Reads at most `limit` bytes of a body, checking Content-Length first and then while streaming. */
export async function readLimited(request: ApiRequest, limit: number, tooLarge: (n: number) => HttpError): Promise<Uint8Array> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge(declared);
  if (!request.body) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > limit) {
      await reader.cancel();
      throw tooLarge(total);
    }
    chunks.push(value);
  }
  return concatBytes(chunks);
}

/** Builds the context for one routed request. */
export function createContext(
  request: ApiRequest,
  url: URL,
  suffix: string,
  options: { devMode: boolean; remoteAddress: string; resolveToken?: TokenResolve },
): ApiContext {
  return new RequestContext(request, url, suffix, options);
}

/**
 * The context as a class: its methods live on the prototype, so a request (a parked blocking query
 * above all) holds one small object instead of an object literal with a closure per method.
 */
class RequestContext implements ApiContext {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly token: string | undefined;
  readonly pretty: boolean;
  readonly remoteAddress: string;
  private identity: Promise<AclIdentity> | undefined;
  private rowsFiltered = false;

  constructor(
    readonly request: ApiRequest,
    readonly url: URL,
    readonly suffix: string,
    private readonly options: { devMode: boolean; remoteAddress: string; resolveToken?: TokenResolve },
  ) {
    this.method = request.method.toUpperCase();
    this.path = url.pathname;
    this.query = url.searchParams;
    this.token = tokenFrom(url, request.headers);
    this.pretty = options.devMode || url.searchParams.has('pretty');
    this.remoteAddress = options.remoteAddress;
  }

  readBody(limit = DEFAULT_BODY_LIMIT): Promise<Uint8Array> {
    const tooLarge = (n: number) =>
      new HttpError(413, limit === DEFAULT_BODY_LIMIT ? `Request body(${n} bytes) too large, max size: ${DEFAULT_BODY_LIMIT} bytes` : `Request body(${n} bytes) too large, max size: ${limit} bytes`);
    return readLimited(this.request, limit, tooLarge);
  }

  async readJson(limit?: number, errorPrefix = 'Request decode failed'): Promise<unknown> {
    const body = await this.readBody(limit);
    const text = new TextDecoder().decode(body);
    if (text.trim() === '') return undefined;
    try {
      return decodeJson(text);
    } catch (err) {
      throw new HttpError(400, `${errorPrefix}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  has(name: string): boolean {
    return this.url.searchParams.has(name);
  }

  authorize(): Promise<AclIdentity> {
    this.identity ??= this.options.resolveToken ? this.options.resolveToken(this.token) : Promise.resolve(AclIdentity.disabled());
    return this.identity;
  }

  keep<T>(rows: readonly T[], allowed: (row: T) => boolean): T[] {
    const out = rows.filter(allowed);
    if (out.length !== rows.length) this.rowsFiltered = true;
    return out;
  }

  markFiltered(): void {
    this.rowsFiltered = true;
  }

  get filtered(): boolean {
    return this.rowsFiltered;
  }
}
