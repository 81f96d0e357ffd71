/**
 * The typed admin client: `createAdminClient({ baseUrl, token })` talks to an agent's `/api/trpc`
 * with fetch (queries and mutations) and server-sent events (subscriptions), so it runs in Node 20
 * and in browsers alike. The token goes in `X-Consul-Token` on every request, subscriptions
 * included (the EventSource used here is fetch-based and can send headers).
 */
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink, type TRPCClient } from '@trpc/client';
import { EventSource } from 'eventsource';
import type { AdminRouter } from './router.ts';

export interface AdminClientOptions {
  /** The agent's HTTP address, e.g. `http://127.0.0.1:8500`. */
  readonly baseUrl: string;
  /** An ACL token, sent as `X-Consul-Token`. */
  readonly token?: string | undefined;
  /** Mount path on the agent (default `/api/trpc`). */
  readonly endpoint?: string;
  /** A fetch to use instead of the global one (tests, proxies, custom agents). */
  readonly fetch?: typeof globalThis.fetch;
}

export type AdminClient = TRPCClient<AdminRouter>;

/** A typed client for the admin API of the agent at `baseUrl`. */
export function createAdminClient(options: AdminClientOptions): AdminClient {
  const url = new URL(options.endpoint ?? '/api/trpc', options.baseUrl).toString().replace(/\/$/, '');
  const headers: Record<string, string> = options.token ? { 'X-Consul-Token': options.token } : {};
  const baseFetch = options.fetch ?? globalThis.fetch.bind(globalThis);
  const sseFetch: typeof globalThis.fetch = (input, init) => baseFetch(input, { ...init, headers: { ...(init?.headers as Record<string, string> | undefined), ...headers } });
  return createTRPCClient<AdminRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url, EventSource, eventSourceOptions: { fetch: sseFetch } }),
        false: httpLink({ url, headers, fetch: baseFetch }),
      }),
    ],
  });
}
