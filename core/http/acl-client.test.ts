import { describe, expect, it } from 'vitest';
import { aclConfig } from './testing/acl-config.ts';
import { simDatacenter } from './testing/sim-datacenter.ts';

const ROOT = '11111111-2222-3333-4444-555555555555';

describe('ACLs on a client agent', () => {
  it('resolves tokens through the servers, caches them for token_ttl, and extends the cache while servers are unreachable', async () => {
    const dc = await simDatacenter(51, ['c1'], { acl: aclConfig({ initialManagement: ROOT, tokenTtlMs: 10_000 }) });
    await dc.advance(3000);
    const put = (body: unknown, token: string): RequestInit => ({ method: 'PUT', body: JSON.stringify(body), headers: { 'X-Consul-Token': token } });
    // Writes through the client reach the primary's leader.
    await dc.http('c1', '/v1/acl/policy', put({ Name: 'kv', Rules: 'key_prefix "" { policy = "write" }\nagent_prefix "" { policy = "read" }' }, ROOT));
    const token = (await (await dc.http('c1', '/v1/acl/token', put({ Policies: [{ Name: 'kv' }] }, ROOT))).json()) as { AccessorID: string; SecretID: string };
    const self = () => dc.http('c1', '/v1/agent/self', { headers: { 'X-Consul-Token': token.SecretID } });
    expect((await dc.http('c1', '/v1/kv/k', { method: 'PUT', body: 'v', headers: { 'X-Consul-Token': token.SecretID } })).status).toBe(200);
    expect((await self()).status).toBe(200);
    expect((await dc.http('c1', '/v1/kv/k', { method: 'PUT', body: 'v' })).status).toBe(403);

    // Deleted on the servers: the client's own endpoints keep the cached answer until token_ttl
    // runs out, while the servers, which check KV writes themselves, refuse at once.
    await dc.http('s1', `/v1/acl/token/${token.AccessorID}`, { method: 'DELETE', headers: { 'X-Consul-Token': ROOT } });
    expect((await self()).status).toBe(200);
    const serverSide = await dc.http('c1', '/v1/kv/k', { method: 'PUT', body: 'v', headers: { 'X-Consul-Token': token.SecretID } });
    expect(await serverSide.text()).toBe('ACL not found');
    await dc.advance(10_500);
    const gone = await self();
    expect(gone.status).toBe(403);
    expect(await gone.text()).toBe('ACL not found');

    // down_policy = extend-cache: with the servers cut off, an expired entry is still used.
    const second = (await (await dc.http('c1', '/v1/acl/token', put({ Policies: [{ Name: 'kv' }] }, ROOT))).json()) as { SecretID: string };
    const read = () => dc.http('c1', '/v1/agent/self', { headers: { 'X-Consul-Token': second.SecretID } });
    expect((await read()).status).toBe(200);
    dc.sim.net.partition([['s1'], ['c1']]);
    await dc.advance(11_000);
    expect((await read()).status).toBe(200);
    // An unknown token while the servers are unreachable: denied (extend-cache without an entry).
    const unknown = await dc.http('c1', '/v1/agent/self', { headers: { 'X-Consul-Token': 'never-seen' } });
    expect(unknown.status).toBe(403);
    dc.sim.net.heal();
  }, 60_000);
});
