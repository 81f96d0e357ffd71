import { type ApiContext, type ApiRequest, createContext, type TokenResolve } from './context.ts';
import { statusForError } from './errors.ts';
import { ApiResponse } from './api-response.ts';
import { textResponse } from './response.ts';

/** An endpoint handler. Throwing maps to Consul's error responses (see errors.ts). */
export type Handler = (ctx: ApiContext) => Promise<ApiResponse> | ApiResponse;

interface Route {
  pattern: string;
  prefix: boolean;
  methods: readonly string[];
  handler: Handler;
}

/** Agent-wide settings the router needs for every response. */
export interface RouterOptions {
  /** `acl.default_policy`, sent as X-Consul-Default-ACL-Policy on every response. */
  defaultAclPolicy: () => 'allow' | 'deny';
  /** Dev agents indent JSON as if `?pretty` were given. */
  devMode: boolean;
  /** Whether `GET /` redirects to the UI. */
  uiEnabled: boolean;
  /** Called after each routed request with its duration (Consul's `consul.api.http` timing). */
  onServed?: (method: string, pattern: string, startedMs: number) => void;
  /** The clock `onServed` durations are measured with. */
  now?: () => number;
  /** Resolves a request's token (the agent's ACL resolver); without it ACLs are off. */
  resolveToken?: TokenResolve;
}

const NOT_V1 = "Invalid URL path: if attempting to use the HTTP API, ensure the path starts with '/v1/'\n";
const NOT_RECOGNISED = 'Invalid URL path: not a recognized HTTP API endpoint\n';

/**
 * Consul's HTTP mux (src: agent/http.go registerEndpoint): exact patterns, and prefix patterns
 * ending in `/` whose remainder is the argument; the longest matching pattern wins, as in Go's
 * ServeMux. Handles 404, 405 with `Allow`, OPTIONS, and error mapping in one place.
 */
export class Router {
  private readonly routes: Route[] = [];

  constructor(private readonly options: RouterOptions) {}

  /** Registers `pattern` for `methods`. A pattern ending in `/` matches everything below it. */
  register(pattern: string, methods: readonly string[], handler: Handler): void {
    this.routes.push({ pattern, prefix: pattern.endsWith('/'), methods, handler });
    // Longest pattern first, so the first match is Go's choice.
    this.routes.sort((a, b) => b.pattern.length - a.pattern.length);
  }

  /** Every registered pattern with its methods (for the ACL coverage test and docs). */
  list(): Array<{ pattern: string; methods: readonly string[] }> {
    return this.routes.map((r) => ({ pattern: r.pattern, methods: r.methods }));
  }

  /** Serves one request. `remoteAddress` is the client's address as the transport saw it. */
  async handle(request: ApiRequest, remoteAddress = ''): Promise<ApiResponse> {
    const response = await this.dispatch(request, remoteAddress);
    response.headers.set('X-Consul-Default-ACL-Policy', this.options.defaultAclPolicy());
    // Never let a browser sniff API data into HTML (CVE-2024-10086): every body says what it is.
    response.headers.set('X-Content-Type-Options', 'nosniff');
    if (response.body !== null && !response.headers.has('Content-Type')) response.headers.set('Content-Type', 'text/plain; charset=utf-8');
    return response;
  }

  private async dispatch(request: ApiRequest, remoteAddress: string): Promise<ApiResponse> {
    let url: URL;
    try {
      url = new URL(request.url);
    } catch {
      return textResponse(400, 'Bad Request');
    }
    const path = url.pathname;
    if (hasUnprintable(safeDecode(path))) return textResponse(400, 'Bad Request');
    if (path === '/' && request.method === 'GET') {
      if (this.options.uiEnabled) return new ApiResponse(301, null, { Location: '/ui/' });
      return textResponse(200, 'Consul Agent: UI disabled. To enable, set ui_config.enabled=true in the agent configuration and restart.');
    }
    const route = this.match(path);
    if (!route) return textResponse(404, path.includes('/v1/') ? NOT_RECOGNISED : NOT_V1);
    const method = request.method.toUpperCase();
    const allow = `OPTIONS,${route.methods.join(',')}`;
    if (method === 'OPTIONS') return new ApiResponse(200, null, { Allow: allow });
    if (!route.methods.includes(method)) return textResponse(405, `method ${method} not allowed`, { Allow: allow });
    const suffix = route.prefix ? safeDecode(path.slice(route.pattern.length)) : '';
    const ctx = createContext(request, url, suffix, { devMode: this.options.devMode, remoteAddress, resolveToken: this.options.resolveToken });
    const started = this.options.now?.() ?? 0;
    try {
      const response = await route.handler(ctx);
      // Consul sends the header only to authenticated (non-anonymous) tokens (1.11+).
      if (ctx.filtered && !(await ctx.authorize()).anonymous) response.headers.set('X-Consul-Results-Filtered-By-ACLs', 'true');
      return response;
    } catch (err) {
      const { status, message, headers } = statusForError(err);
      return textResponse(status, message, headers);
    } finally {
      this.options.onServed?.(method, route.pattern, started);
    }
  }

  private match(path: string): Route | undefined {
    return this.routes.find((r) => (r.prefix ? path.startsWith(r.pattern) : path === r.pattern));
  }
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Paths with control characters are refused (cleanhttp's PrintablePathCheckHandler). */
function hasUnprintable(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}
