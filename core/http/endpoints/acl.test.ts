import type { ApiResponse } from '../api-response.ts';
import { describe, expect, it } from 'vitest';
import { aclConfig } from '../testing/acl-config.ts';
import { simDatacenter } from '../testing/sim-datacenter.ts';

const json = (r: ApiResponse) => r.json() as Promise<Record<string, unknown>>;
const put = (body: unknown, token?: string): RequestInit => ({ method: 'PUT', body: JSON.stringify(body), headers: token ? { 'X-Consul-Token': token } : {} });
const get = (token?: string): RequestInit => ({ headers: token ? { 'X-Consul-Token': token } : {} });

describe('ACL bootstrap', () => {
  it('bootstraps once, then refuses with the reset index; the reset file allows one more', async () => {
    let resetFile: string | undefined;
    const reset = {
      read: () => resetFile,
      remove: () => {
        resetFile = undefined;
      },
    };
    const dc = await simDatacenter(11, [], { acl: aclConfig(), aclBootstrapReset: reset });
    await dc.advance(1500);
    const first = await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' });
    expect(first.status).toBe(200);
    const token = await json(first);
    expect(token.Description).toBe('Bootstrap Token (Global Management)');
    expect(token.Policies).toEqual([{ ID: '00000000-0000-0000-0000-000000000001', Name: 'global-management' }]);
    expect(token.SecretID).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    expect(token.Local).toBe(false);
    expect(typeof token.CreateIndex).toBe('number');

    const second = await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' });
    expect(second.status).toBe(403);
    const text = await second.text();
    const m = /^Permission denied: ACL bootstrap no longer allowed \(reset index: (\d+)\)$/.exec(text);
    expect(m).not.toBeNull();
    resetFile = '1\n';
    const wrong = await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' });
    expect(await wrong.text()).toBe(`Permission denied: Invalid bootstrap reset index (specified 1, reset index: ${m?.[1]})`);
    resetFile = `${m?.[1]}\n`;
    const again = await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' });
    expect(again.status).toBe(200);
    expect(resetFile).toBeUndefined();
    expect((await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' })).status).toBe(403);
    // Both management tokens work.
    const self = await json(await dc.http('s1', '/v1/acl/token/self', get(token.SecretID as string)));
    expect(self.AccessorID).toBe(token.AccessorID);
  }, 30_000);

  it('is refused after the leader created the initial management token; the token works', async () => {
    const dc = await simDatacenter(12, [], { acl: aclConfig({ initialManagement: '11111111-2222-3333-4444-555555555555' }) });
    await dc.advance(1500);
    const r = await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' });
    expect(r.status).toBe(403);
    const self = await json(await dc.http('s1', '/v1/acl/token/self', get('11111111-2222-3333-4444-555555555555')));
    expect(self.Description).toBe('Initial Management Token');
    const anon = await json(await dc.http('s1', '/v1/acl/token/00000000-0000-0000-0000-000000000002', get('11111111-2222-3333-4444-555555555555')));
    expect(anon).toMatchObject({ AccessorID: '00000000-0000-0000-0000-000000000002', SecretID: 'anonymous', Description: 'Anonymous Token' });
  }, 30_000);

  it('answers 401 ACL support disabled when ACLs are off', async () => {
    const dc = await simDatacenter(13);
    const r = await dc.http('s1', '/v1/acl/bootstrap', { method: 'PUT' });
    expect(r.status).toBe(401);
    expect(await r.text()).toBe('ACL support disabled');
    expect((await dc.http('s1', '/v1/acl/tokens')).status).toBe(401);
    // Everything else is unaffected.
    expect((await dc.http('s1', '/v1/kv/a', { method: 'PUT', body: 'x' })).status).toBe(200);
  }, 30_000);
});

describe('ACL tokens, policies and roles over HTTP', () => {
  const ROOT = '11111111-2222-3333-4444-555555555555';
  it('creates, reads, lists, updates, clones and deletes', async () => {
    const dc = await simDatacenter(14, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    const policy = await json(await dc.http('s1', '/v1/acl/policy', put({ Name: 'kv-app', Description: 'app keys', Rules: 'key_prefix "app/" { policy = "write" }' }, ROOT)));
    expect(policy).toMatchObject({ Name: 'kv-app', Description: 'app keys', Datacenters: null });
    expect(typeof policy.ID).toBe('string');
    const byName = await json(await dc.http('s1', '/v1/acl/policy/name/kv-app', get(ROOT)));
    expect(byName.ID).toBe(policy.ID);
    const bad = await dc.http('s1', '/v1/acl/policy', put({ Name: 'bad', Rules: 'nope "x" { policy = "write" }' }, ROOT));
    expect(bad.status).toBe(500);
    expect(await bad.text()).toContain('Failed to parse ACL rules');
    const dup = await dc.http('s1', '/v1/acl/policy', put({ Name: 'kv-app' }, ROOT));
    expect(await dup.text()).toBe('Invalid Policy: A Policy with Name "kv-app" already exists');

    const role = await json(await dc.http('s1', '/v1/acl/role', put({ Name: 'app', Policies: [{ Name: 'kv-app' }] }, ROOT)));
    expect(role.Policies).toEqual([{ ID: policy.ID, Name: 'kv-app' }]);

    const token = await json(await dc.http('s1', '/v1/acl/token', put({ Description: 'app token', Roles: [{ Name: 'app' }] }, ROOT)));
    expect(token.Roles).toEqual([{ ID: role.ID, Name: 'app' }]);
    const secret = token.SecretID as string;
    expect((await dc.http('s1', '/v1/kv/app/x', { method: 'PUT', body: '1', headers: { 'X-Consul-Token': secret } })).status).toBe(200);
    const denied = await dc.http('s1', '/v1/kv/other', { method: 'PUT', body: '1', headers: { 'X-Consul-Token': secret } });
    expect(denied.status).toBe(403);
    expect(await denied.text()).toBe(`Permission denied: token with AccessorID '${token.AccessorID}' lacks permission 'key:write' on "other"`);

    const list = (await (await dc.http('s1', '/v1/acl/tokens', get(ROOT))).json()) as Array<Record<string, unknown>>;
    expect(list.map((t) => t.Description)).toEqual(expect.arrayContaining(['app token', 'Anonymous Token', 'Initial Management Token']));
    const byRole = (await (await dc.http('s1', `/v1/acl/tokens?role=${role.ID}`, get(ROOT))).json()) as Array<Record<string, unknown>>;
    expect(byRole.map((t) => t.AccessorID)).toEqual([token.AccessorID]);

    const updated = await json(await dc.http('s1', `/v1/acl/token/${token.AccessorID}`, put({ Description: 'renamed', Policies: [{ ID: policy.ID }] }, ROOT)));
    expect(updated).toMatchObject({ AccessorID: token.AccessorID, SecretID: secret, Description: 'renamed', Policies: [{ ID: policy.ID, Name: 'kv-app' }] });
    expect(updated.Roles).toBeUndefined();

    const clone = await json(await dc.http('s1', `/v1/acl/token/${token.AccessorID}/clone`, put({ Description: 'copy' }, ROOT)));
    expect(clone.AccessorID).not.toBe(token.AccessorID);
    expect(clone).toMatchObject({ Description: 'copy', Policies: [{ ID: policy.ID, Name: 'kv-app' }] });

    expect(await json(await dc.http('s1', `/v1/acl/token/${token.AccessorID}`, { method: 'DELETE', headers: { 'X-Consul-Token': ROOT } }))).toBe(true);
    const gone = await dc.http('s1', `/v1/acl/token/${token.AccessorID}`, get(ROOT));
    expect(gone.status).toBe(403);
    expect(await gone.text()).toBe('ACL not found');
    const unknown = await dc.http('s1', '/v1/kv/app/x', get(secret));
    expect(unknown.status).toBe(403);
    expect(await unknown.text()).toBe('ACL not found');

    expect((await dc.http('s1', '/v1/acl/policy/00000000-0000-0000-0000-000000000001', { method: 'DELETE', headers: { 'X-Consul-Token': ROOT } })).status).toBe(500);
    expect((await dc.http('s1', `/v1/acl/role/${role.ID}`, { method: 'DELETE', headers: { 'X-Consul-Token': ROOT } })).status).toBe(200);
    expect((await dc.http('s1', `/v1/acl/policy/${policy.ID}`, { method: 'DELETE', headers: { 'X-Consul-Token': ROOT } })).status).toBe(200);
    const roles = (await (await dc.http('s1', '/v1/acl/roles', get(ROOT))).json()) as unknown[];
    expect(roles).toEqual([]);
  }, 30_000);

  it('hides secrets from acl:read tokens and refuses ACL reads to others', async () => {
    const dc = await simDatacenter(15, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    await dc.http('s1', '/v1/acl/policy', put({ Name: 'acl-read', Rules: 'acl = "read"' }, ROOT));
    const reader = await json(await dc.http('s1', '/v1/acl/token', put({ Policies: [{ Name: 'acl-read' }] }, ROOT)));
    const list = (await (await dc.http('s1', '/v1/acl/tokens', get(reader.SecretID as string))).json()) as Array<Record<string, unknown>>;
    expect(list.every((t) => t.SecretID === '<hidden>')).toBe(true);
    const write = await dc.http('s1', '/v1/acl/token', put({}, reader.SecretID as string));
    expect(write.status).toBe(403);
    expect(await write.text()).toBe(`Permission denied: token with AccessorID '${reader.AccessorID}' lacks permission 'acl:write'`);
    const anon = await dc.http('s1', '/v1/acl/tokens');
    expect(await anon.text()).toBe(
      "Permission denied: anonymous token lacks permission 'acl:read'. The anonymous token is used implicitly when a request does not specify a token.",
    );
  }, 30_000);
});

describe('POST /v1/internal/acl/authorize', () => {
  it("answers what the caller's token may do", async () => {
    const ROOT = '11111111-2222-3333-4444-555555555555';
    const dc = await simDatacenter(16, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    await dc.http('s1', '/v1/acl/policy', put({ Name: 'app', Rules: 'key_prefix "app/" { policy = "write" }\noperator = "read"' }, ROOT));
    const t = await json(await dc.http('s1', '/v1/acl/token', put({ Policies: [{ Name: 'app' }] }, ROOT)));
    const ask = [
      { Resource: 'key', Segment: 'app/x', Access: 'write' },
      { Resource: 'key', Segment: 'other', Access: 'read' },
      { Resource: 'operator', Access: 'read' },
      { Resource: 'operator', Access: 'write' },
    ];
    const r = await dc.http('s1', '/v1/internal/acl/authorize', { method: 'POST', body: JSON.stringify(ask), headers: { 'X-Consul-Token': t.SecretID as string } });
    expect(((await r.json()) as Array<{ Allowed: boolean }>).map((x) => x.Allowed)).toEqual([true, false, true, false]);
    const anon = await dc.http('s1', '/v1/internal/acl/authorize', { method: 'POST', body: JSON.stringify(ask) });
    expect(((await anon.json()) as Array<{ Allowed: boolean }>).map((x) => x.Allowed)).toEqual([false, false, false, false]);
    const bad = await dc.http('s1', '/v1/internal/acl/authorize', { method: 'POST', body: JSON.stringify([{ Resource: 'nope', Access: 'read' }]) });
    expect(bad.status).toBe(400);
  }, 30_000);
});

describe('ACL RPC endpoints check the caller themselves', () => {
  it('refuses ACL.TokenList without a token and hides secrets from acl:read tokens', async () => {
    const ROOT = '11111111-2222-3333-4444-555555555555';
    const dc = await simDatacenter(17, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    await dc.http('s1', '/v1/acl/policy', put({ Name: 'acl-read', Rules: 'acl = "read"' }, ROOT));
    const reader = await json(await dc.http('s1', '/v1/acl/token', put({ Policies: [{ Name: 'acl-read' }] }, ROOT)));
    const call = async (args: Record<string, unknown>) => {
      let out: { v?: unknown; e?: Error } | undefined;
      dc.agent('s1').rpc('ACL.TokenList', args).then((v) => (out = { v }), (e: Error) => (out = { e }));
      await dc.advance(200);
      return out;
    };
    expect((await call({}))?.e?.message).toMatch(/^Permission denied: anonymous token lacks permission 'acl:read'/);
    expect((await call({ Token: 'bogus' }))?.e?.message).toBe('ACL not found');
    const listed = (await call({ Token: reader.SecretID }))?.v as { Value: Array<{ SecretID: string }> };
    expect(listed.Value.length).toBeGreaterThan(1);
    expect(listed.Value.every((t) => t.SecretID === '<hidden>')).toBe(true);
    const full = (await call({ Token: ROOT }))?.v as { Value: Array<{ SecretID: string }> };
    expect(full.Value.some((t) => t.SecretID === ROOT)).toBe(true);
  }, 30_000);
});

describe('agent tokens', () => {
  it('uses the default token for requests without one, set through /v1/agent/token/default', async () => {
    const ROOT = '11111111-2222-3333-4444-555555555555';
    const dc = await simDatacenter(18, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    await dc.http('s1', '/v1/acl/policy', put({ Name: 'kv-read', Rules: 'key_prefix "" { policy = "read" }' }, ROOT));
    const t = await json(await dc.http('s1', '/v1/acl/token', put({ Policies: [{ Name: 'kv-read' }] }, ROOT)));
    await dc.http('s1', '/v1/kv/k', { method: 'PUT', body: 'v', headers: { 'X-Consul-Token': ROOT } });
    expect((await dc.http('s1', '/v1/kv/k')).status).toBe(403);
    const denied = await dc.http('s1', '/v1/agent/token/default', put({ Token: t.SecretID }, t.SecretID as string));
    expect(denied.status).toBe(403);
    expect((await dc.http('s1', '/v1/agent/token/nope', put({ Token: 'x' }, ROOT))).status).toBe(404);
    expect((await dc.http('s1', '/v1/agent/token/default', put({ Token: t.SecretID }, ROOT))).status).toBe(200);
    expect(dc.agent('s1').tokens.default).toBe(t.SecretID);
    // Now a request without a token acts as the default token.
    expect((await dc.http('s1', '/v1/kv/k')).status).toBe(200);
    expect((await dc.http('s1', '/v1/kv/k', { method: 'PUT', body: 'w' })).status).toBe(403);
    // ...and the token can read itself through token/self only when it is sent.
    expect((await dc.http('s1', '/v1/acl/token/self')).status).toBe(403);
  }, 30_000);

  it('answers 401 for agent tokens when ACLs are disabled', async () => {
    const dc = await simDatacenter(19);
    const r = await dc.http('s1', '/v1/agent/token/default', { method: 'PUT', body: JSON.stringify({ Token: 'x' }) });
    expect(r.status).toBe(401);
    expect(await r.text()).toBe('ACL support disabled');
  }, 30_000);
});

describe('snapshots over RPC', () => {
  it('refuse Snapshot.Save to a caller without a management token (the archive holds every secret)', async () => {
    const ROOT = '11111111-2222-3333-4444-555555555555';
    const dc = await simDatacenter(20, [], { acl: aclConfig({ initialManagement: ROOT }) });
    await dc.advance(1500);
    const call = async (method: string, args: Record<string, unknown>) => {
      let out: { v?: unknown; e?: Error } | undefined;
      dc.agent('s1').rpc(method, args).then((v) => (out = { v }), (e: Error) => (out = { e }));
      await dc.advance(200);
      return out;
    };
    expect((await call('Snapshot.Save', {}))?.e?.message).toMatch(/^Permission denied: anonymous token lacks permission 'acl:write'/);
    expect((await call('Snapshot.Restore', { Data: new Uint8Array([1]) }))?.e?.message).toMatch(/^Permission denied/);
    expect((await call('Snapshot.Save', { Token: ROOT }))?.v).toBeDefined();
    const http = await dc.http('s1', '/v1/snapshot', { headers: { 'X-Consul-Token': ROOT } });
    expect(http.status).toBe(200);
  }, 30_000);
});
