/**
 * `/api/trpc/*` under `next start`: the same admin router the agent serves, over the `/v1` API of
 * the agent at CONSUL_HTTP_ADDR (read per request, as the `/v1` proxy does), so the dashboard can
 * call the typed admin API from its own origin. Inside the agent, the agent answers `/api/trpc`
 * itself and this route never runs.
 */
import { createAdminHandler } from '../../../../admin/handler.ts';
import { v1AdminCluster } from '../../../../core/admin/v1-cluster.ts';
import type { Timers } from '../../../../core/ports/clock.ts';
import { agentBaseUrl } from '../../../v1/proxy.ts';

export const dynamic = 'force-dynamic';

const timers: Timers = {
  setTimer(delayMs, callback) {
    const t = setTimeout(callback, Math.max(0, delayMs || 0));
    return { cancel: () => clearTimeout(t) };
  },
};

function handle(request: Request): Promise<Response> {
  const cluster = v1AdminCluster({ fetch: (r) => fetch(r), baseUrl: agentBaseUrl(process.env), timers });
  return createAdminHandler({ cluster })(request);
}

export const GET = handle;
export const POST = handle;
