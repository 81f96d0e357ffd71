import { beforeAll, describe, expect, it } from 'vitest';
import { aclConfig } from './testing/acl-config.ts';
import { type SimDatacenter, simDatacenter } from './testing/sim-datacenter.ts';

/** Regression tests for the ACL CVEs of the anchors list that apply to this implementation. */

const ROOT = '11111111-2222-3333-4444-555555555555';
let dc: SimDatacenter;
let appToken = '';

const req = (path: string, method = 'GET', token?: string, body?: string) => dc.http('s1', path, { method, body, headers: token ? { 'X-Consul-Token': token } : {} });

beforeAll(async () => {
  dc = await simDatacenter(31, [], { acl: aclConfig({ initialManagement: ROOT }) });
  await dc.advance(1500);
  for (const k of ['app/one', 'app/two', 'apple', 'other/x', 'secret/k']) await req(`/v1/kv/${k}`, 'PUT', ROOT, 'v');
  await req('/v1/acl/policy', 'PUT', ROOT, JSON.stringify({ Name: 'app', Rules: 'key_prefix "app/" { policy = "write" }' }));
  appToken = ((await (await req('/v1/acl/token', 'PUT', ROOT, JSON.stringify({ Policies: [{ Name: 'app' }] }))).json()) as { SecretID: string }).SecretID;
  await req('/v1/agent/service/register', 'PUT', ROOT, JSON.stringify({ Name: 'web', Port: 80, Check: { TTL: '30s', Notes: 'private notes' } }));
}, 60_000);

const keys = async () => (await (await req('/v1/kv/?keys', 'GET', ROOT)).json()) as string[];

describe('CVE-2019-12291: a recursive delete is a write on every key it touches', () => {
  it('refuses a recursive delete of the whole store with a token limited to app/', async () => {
    const r = await req('/v1/kv/?recurse', 'DELETE', appToken);
    expect(r.status).toBe(403);
    expect(await r.text()).toMatch(/lacks permission 'key:write' on ""/);
    expect(await keys()).toEqual(['app/one', 'app/two', 'apple', 'other/x', 'secret/k']);
  });

  it('refuses a recursive delete of a shorter prefix that reaches keys outside app/', async () => {
    expect((await req('/v1/kv/a?recurse', 'DELETE', appToken)).status).toBe(403);
    expect(await keys()).toContain('apple');
  });

  it('refuses delete-tree inside a transaction too, running none of its ops', async () => {
    const ops = [
      { KV: { Verb: 'set', Key: 'app/three', Value: 'eA==' } },
      { KV: { Verb: 'delete-tree', Key: '' } },
    ];
    const r = await req('/v1/txn', 'PUT', appToken, JSON.stringify(ops));
    expect(r.status).toBe(409);
    const body = (await r.json()) as { Errors: Array<{ OpIndex: number; What: string }> };
    expect(body.Errors).toEqual([{ OpIndex: 1, What: expect.stringContaining('Permission denied') }]);
    expect(await keys()).not.toContain('app/three');
  });

  it('allows the recursive delete that stays inside the granted prefix', async () => {
    expect((await req('/v1/kv/app/?recurse', 'DELETE', appToken)).status).toBe(200);
    expect(await keys()).toEqual(['apple', 'other/x', 'secret/k']);
  });

  it('refuses a recursive delete when a deny rule sits below an allowed prefix', async () => {
    await req('/v1/acl/policy', 'PUT', ROOT, JSON.stringify({ Name: 'all-but-secret', Rules: 'key_prefix "" { policy = "write" }\nkey_prefix "secret/" { policy = "deny" }' }));
    const t = ((await (await req('/v1/acl/token', 'PUT', ROOT, JSON.stringify({ Policies: [{ Name: 'all-but-secret' }] }))).json()) as { SecretID: string }).SecretID;
    expect((await req('/v1/kv/?recurse', 'DELETE', t)).status).toBe(403);
    expect(await keys()).toContain('secret/k');
  });
});

describe('CVE-2020-7955: /v1/agent/health/service/* enforce service:read', () => {
  it('refuses anonymous requests by ID and by name without leaking service or check data', async () => {
    for (const path of ['/v1/agent/health/service/id/web', '/v1/agent/health/service/name/web', '/v1/agent/health/service/name/web?format=text']) {
      const r = await req(path);
      const text = await r.text();
      expect(r.status, path).toBe(403);
      expect(text).not.toContain('private notes');
      expect(text).toMatch(/^Permission denied: anonymous token lacks permission 'service:read' on "web"/);
      // Errors are plain text, never something a browser would render (CVE-2024-10086).
      expect(r.headers.get('content-type')).toMatch(/^text\/plain/);
    }
  });

  it('answers a token with service:read', async () => {
    await req('/v1/acl/policy', 'PUT', ROOT, JSON.stringify({ Name: 'web-read', Rules: 'service "web" { policy = "read" }' }));
    const t = ((await (await req('/v1/acl/token', 'PUT', ROOT, JSON.stringify({ Policies: [{ Name: 'web-read' }] }))).json()) as { SecretID: string }).SecretID;
    const r = await req('/v1/agent/health/service/name/web', 'GET', t);
    expect([200, 503]).toContain(r.status);
    expect(((await r.json()) as Array<{ Service: { Service: string } }>)[0]?.Service.Service).toBe('web');
  });
});

describe('tokens are checked, not trusted', () => {
  it('an unknown token is ACL not found (403), not the anonymous token', async () => {
    const r = await req('/v1/catalog/services', 'GET', 'not-a-token');
    expect(r.status).toBe(403);
    expect(await r.text()).toBe('ACL not found');
  });

  it('the filtered-results header is sent to authenticated tokens only', async () => {
    const r = await req('/v1/kv/?recurse', 'GET', appToken);
    expect(r.status).toBe(404);
    await req('/v1/kv/app/z', 'PUT', ROOT, 'v');
    const r2 = await req('/v1/kv/?recurse', 'GET', appToken);
    expect(r2.status).toBe(200);
    expect(((await r2.json()) as Array<{ Key: string }>).map((e) => e.Key)).toEqual(['app/z']);
    expect(r2.headers.get('x-consul-results-filtered-by-acls')).toBe('true');
    const anon = await req('/v1/kv/?recurse');
    expect(anon.headers.get('x-consul-results-filtered-by-acls')).toBeNull();
  });
});

describe('the servers enforce KV and txn ACLs on direct RPC too', () => {
  const call = async (method: string, args: Record<string, unknown>) => {
    let out: { v?: unknown; e?: Error } | undefined;
    dc.agent('s1').rpc(method, args).then((v) => (out = { v }), (e: Error) => (out = { e }));
    await dc.advance(200);
    return out;
  };

  it('refuses reads and writes the token does not allow, and filters lists', async () => {
    await req('/v1/kv/app/rpc', 'PUT', ROOT, 'v');
    expect((await call('KVS.Get', { Key: 'other/x' }))?.e?.message).toMatch(/^Permission denied: anonymous token lacks permission 'key:read' on "other\/x"/);
    expect((await call('KVS.Apply', { Op: 'delete-tree', Key: '', Token: appToken }))?.e?.message).toMatch(/lacks permission 'key:write' on ""/);
    expect((await call('KVS.Apply', { Op: 'set', Key: 'other/y', Value: new Uint8Array([1]), Token: appToken }))?.e?.message).toMatch(/lacks permission 'key:write' on "other\/y"/);
    const listed = (await call('KVS.List', { Prefix: '', Token: appToken }))?.v as { Value: Array<{ Key: string }>; FilteredByACLs: boolean };
    expect(listed.Value.every((e) => e.Key.startsWith('app/'))).toBe(true);
    expect(listed.FilteredByACLs).toBe(true);
    const txn = (await call('Txn.Apply', { Ops: [{ KV: { Verb: 'delete-tree', Key: '' } }], Token: appToken }))?.v as { Errors: Array<{ What: string }> };
    expect(txn.Errors[0]?.What).toMatch(/Permission denied/);
    expect(await keys()).toContain('other/x');
  });
});

describe('the servers enforce operator ACLs on direct RPC too', () => {
  it('refuses Operator.* without operator rights and answers a token that has them', async () => {
    const call = async (method: string, args: Record<string, unknown>) => {
      let out: { v?: unknown; e?: Error } | undefined;
      dc.agent('s1').rpc(method, args).then((v) => (out = { v }), (e: Error) => (out = { e }));
      await dc.advance(200);
      return out as { v?: unknown; e?: Error } | undefined;
    };
    expect((await call('Operator.RaftGetConfiguration', {}))?.e?.message).toMatch(/^Permission denied: anonymous token lacks permission 'operator:read'/);
    expect((await call('Operator.RaftRemovePeer', { ID: 'x', Token: appToken }))?.e?.message).toMatch(/lacks permission 'operator:write'/);
    expect((await call('Operator.RaftGetConfiguration', { Token: ROOT }))?.v).toBeDefined();
    // Through HTTP the default token is what the server sees when the request has none.
    const r = await req('/v1/operator/raft/configuration', 'GET', ROOT);
    expect(r.status).toBe(200);
  });
});

describe('the servers enforce session ACLs on direct RPC too', () => {
  it('refuses Session.Apply create for a node the token may not write sessions on', async () => {
    const call = async (method: string, args: Record<string, unknown>) => {
      let out: { v?: unknown; e?: Error } | undefined;
      dc.agent('s1').rpc(method, args).then((v) => (out = { v }), (e: Error) => (out = { e }));
      await dc.advance(200);
      return out as { v?: unknown; e?: Error } | undefined;
    };
    expect((await call('Session.Apply', { Op: 'create', Session: null, AgentNode: 's1' }))?.e?.message).toMatch(/lacks permission 'session:write' on "s1"/);
    const id = (await call('Session.Apply', { Op: 'create', Session: null, AgentNode: 's1', Token: ROOT }))?.v as string;
    expect(typeof id).toBe('string');
    expect((await call('Session.Apply', { Op: 'destroy', ID: id, Token: appToken }))?.e?.message).toMatch(/lacks permission 'session:write' on "s1"/);
    expect((await call('Session.Renew', { ID: id }))?.e?.message).toMatch(/Permission denied/);
    expect((await call('Session.Apply', { Op: 'destroy', ID: id, Token: ROOT }))?.v).toBe(true);
  });
});

describe('the servers enforce prepared-query ACLs on direct RPC too', () => {
  it('refuses PreparedQuery.Apply for a name the token may not write', async () => {
    const call = async (method: string, args: Record<string, unknown>) => {
      let out: { v?: unknown; e?: Error } | undefined;
      dc.agent('s1').rpc(method, args).then((v) => (out = { v }), (e: Error) => (out = { e }));
      await dc.advance(200);
      return out as { v?: unknown; e?: Error } | undefined;
    };
    const query = { Name: 'web-q', Service: { Service: 'web' } };
    expect((await call('PreparedQuery.Apply', { Op: 'create', Query: query, Token: appToken }))?.e?.message).toMatch(/lacks permission 'query:write' on "web-q"/);
    const id = (await call('PreparedQuery.Apply', { Op: 'create', Query: query, Token: ROOT }))?.v as string;
    expect(typeof id).toBe('string');
    // Deleting (or renaming) a stored query needs write on its current name.
    expect((await call('PreparedQuery.Apply', { Op: 'delete', Query: { ID: id }, Token: appToken }))?.e?.message).toMatch(/lacks permission 'query:write' on "web-q"/);
    expect((await call('PreparedQuery.Apply', { Op: 'delete', Query: { ID: id }, Token: ROOT }))?.e).toBeUndefined();
  });
});
