/**
 * Serves the admin router as `fetch(Request) => Promise<Response>` under `/api/trpc` (the fetch
 * adapter: Node through server/http, edge runtimes, a Next route, the lab's tab). The caller's ACL
 * token is read exactly as the `/v1` API reads it (`?token=`, `X-Consul-Token`, `Authorization:
 * Bearer`), or from tRPC's connection params (`{ token }`) for a browser EventSource, which cannot
 * set headers; the cluster is then bound to that token for the request.
 */
import { fetchRequestHandler } from '@trpc/server/adapters/fetch';
import type { AdminClusterFactory } from '../core/admin/admin-cluster.ts';
import { tokenFrom } from '../core/http/context.ts';
import { adminRouter } from './router.ts';

/** Where the admin API is mounted on an agent's HTTP port. */
export const ADMIN_ENDPOINT = '/api/trpc';

export interface AdminHandlerOptions {
  /** The cluster for one caller (e.g. `v1AdminCluster({ fetch: api.fetch, timers })`). */
  readonly cluster: AdminClusterFactory;
  /** Mount path (default `/api/trpc`). */
  readonly endpoint?: string;
}

/** True when `pathname` belongs to the admin API. */
export function isAdminPath(pathname: string, endpoint = ADMIN_ENDPOINT): boolean {
  return pathname === endpoint || pathname.startsWith(`${endpoint}/`);
}

/** The admin API as a fetch handler. */
export function createAdminHandler(options: AdminHandlerOptions): (request: Request) => Promise<Response> {
  const endpoint = options.endpoint ?? ADMIN_ENDPOINT;
  return (req) =>
    fetchRequestHandler({
      endpoint,
      req,
      router: adminRouter,
      createContext: ({ info }) => {
        const token = tokenFrom(new URL(req.url), req.headers) ?? info.connectionParams?.token ?? undefined;
        return { cluster: options.cluster({ token, signal: req.signal }) };
      },
    });
}
