/**
 * Sessions as api/lock.go and api/semaphore.go use them: created with a name and a TTL (15s), and
 * renewed every TTL/2 until stopped; a 404 on renew means the session is gone (invalidated), after
 * which renewing stops. Invalidation itself is noticed by the lock monitors, not here.
 */
import type { ApiClient } from '../api-client.ts';

export const DEFAULT_SESSION_TTL = '15s';

/** Creates a session; returns its ID. */
export async function createSession(client: ApiClient, name: string, ttl = DEFAULT_SESSION_TTL): Promise<string> {
  const r = await client.write<{ ID: string }>('PUT', '/v1/session/create', { Name: name, TTL: ttl }, { noDatacenter: false });
  if (!r?.ID) throw new Error('session create returned no ID');
  return r.ID;
}

/** Destroys a session (idempotent on the server). */
export async function destroySession(client: ApiClient, id: string): Promise<void> {
  await client.write('PUT', `/v1/session/destroy/${id}`);
}

/** Renews `id` every `ttlMs/2` until the returned stop function is called or the session is gone. */
export function renewPeriodic(client: ApiClient, id: string, ttlMs: number): () => void {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  const tick = async () => {
    if (stopped) return;
    try {
      await client.write('PUT', `/v1/session/renew/${id}`);
    } catch (e) {
      if ((e as { code?: number }).code === 404) return; // ErrSessionExpired: nothing left to renew
    }
    if (!stopped) timer = setTimeout(tick, ttlMs / 2);
  };
  timer = setTimeout(tick, ttlMs / 2);
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
