/**
 * `/v1/*` under `next start`: forwards to the agent at CONSUL_HTTP_ADDR (read per request, so one
 * build serves any agent). When the agent hosts this app it answers `/v1` itself and this route
 * never runs.
 */
import { agentBaseUrl, proxyToAgent } from '../proxy.ts';

export const dynamic = 'force-dynamic';

function handle(request: Request): Promise<Response> {
  return proxyToAgent(request, agentBaseUrl(process.env));
}

export const GET = handle;
export const PUT = handle;
export const POST = handle;
export const DELETE = handle;
export const HEAD = handle;
export const OPTIONS = handle;
export const PATCH = handle;
