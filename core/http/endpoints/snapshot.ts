import { SNAPSHOT_REFUSED } from '../../agent/server/endpoints/snapshot.ts';
import type { AgentApi } from '../api.ts';
import { ApiResponse } from '../api-response.ts';
import { HttpError } from '../errors.ts';
import { emptyResponse, metaHeaders } from '../response.ts';
import type { Router } from '../router.ts';
import { queryOptionsFrom, rpcRead } from '../rpc-read.ts';

/** Largest snapshot `PUT /v1/snapshot` accepts (checked before buffering more). */
export const SNAPSHOT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * `GET /v1/snapshot` saves the state as one archive file (format: core/state/snapshot-archive.ts),
 * with X-Consul-Index; `PUT /v1/snapshot` restores one. A refused file is a 400 with the reason.
 */
export function registerSnapshot(router: Router, agent: AgentApi): void {
  router.register('/v1/snapshot', ['GET', 'PUT'], async (ctx) => {
    // Snapshots hold every secret (ACL tokens included): management tokens only.
    const acl = await ctx.authorize();
    acl.requireManagement();
    if (ctx.method === 'GET') {
      const r = await rpcRead<Uint8Array>(agent, ctx, 'Snapshot.Save', { Token: acl.secret });
      const body = r.value instanceof Uint8Array ? r.value : new Uint8Array(r.value as ArrayLike<number>);
      return new ApiResponse(200, body, { 'Content-Type': 'application/octet-stream', ...metaHeaders(r.meta) });
    }
    const data = await ctx.readBody(SNAPSHOT_MAX_BYTES);
    try {
      await agent.rpc('Snapshot.Restore', { Data: data, Datacenter: queryOptionsFrom(ctx).Datacenter, Token: acl.secret });
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      if (message.startsWith(SNAPSHOT_REFUSED)) throw new HttpError(400, message);
      throw e;
    }
    return emptyResponse();
  });
}
