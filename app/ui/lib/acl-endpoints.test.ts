import { afterEach, describe, expect, it, vi } from 'vitest';
import { checkToken, cloneToken, deletePolicy, fetchTokens, savePolicy, saveRole, saveToken } from './acl-endpoints.ts';
import { ConsulError } from './errors.ts';

/** Records each request the fetchers make and answers with `reply`. */
function stubFetch(reply: (url: string) => Response) {
  const calls: { url: string; method: string; body: string | undefined; token: string | null }[] = [];
  vi.stubGlobal('fetch', async (url: string, init: RequestInit) => {
    calls.push({ url, method: init.method ?? 'GET', body: init.body as string | undefined, token: new Headers(init.headers).get('X-Consul-Token') });
    return reply(url);
  });
  return calls;
}

const json = (v: unknown, headers: Record<string, string> = {}) => new Response(JSON.stringify(v), { status: 200, headers });

afterEach(() => vi.unstubAllGlobals());

describe('ACL fetchers', () => {
  it('send the calls Consul’s UI sends', async () => {
    const calls = stubFetch(() => json({ AccessorID: 'new', ID: 'p' }));
    await fetchTokens('dc1', { policy: 'p1' });
    await saveToken('dc1', null, { Description: 'd', Policies: [{ ID: 'p1' }], Roles: [], Local: false });
    await saveToken('dc1', 'a b', { Description: 'd', Policies: [], Roles: [] });
    await cloneToken('dc1', 'acc');
    await savePolicy('dc1', null, { Name: 'n', Description: '', Rules: '', Datacenters: [] });
    await deletePolicy('dc1', 'p1');
    await saveRole('dc1', 'r1', { Name: 'r', Description: '', Policies: [] });
    expect(calls.map((c) => `${c.method} ${c.url}`)).toEqual([
      'GET /v1/acl/tokens?dc=dc1&policy=p1',
      'PUT /v1/acl/token?dc=dc1',
      'PUT /v1/acl/token/a%20b?dc=dc1',
      'PUT /v1/acl/token/acc/clone?dc=dc1',
      'PUT /v1/acl/policy?dc=dc1',
      'DELETE /v1/acl/policy/p1?dc=dc1',
      'PUT /v1/acl/role/r1?dc=dc1',
    ]);
    expect(JSON.parse(calls[1]?.body ?? '')).toEqual({ Description: 'd', Policies: [{ ID: 'p1' }], Roles: [], Local: false });
  });

  it('checks a login secret with token/self, sending that secret rather than the saved one', async () => {
    const calls = stubFetch(() => json({ AccessorID: 'acc', Description: 'me' }));
    await expect(checkToken('dc1', 's3cret')).resolves.toMatchObject({ AccessorID: 'acc' });
    expect(calls[0]).toMatchObject({ url: '/v1/acl/token/self?dc=dc1', token: 's3cret' });
    stubFetch(() => new Response('ACL not found', { status: 403 }));
    const refused = await checkToken('dc1', 'nope').catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ConsulError);
    expect((refused as ConsulError).kind).toBe('forbidden');
  });
});
