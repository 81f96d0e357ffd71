import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../testing/agent-process.ts';

// A real `consul agent -dev` process on loopback, driven over HTTP as Consul's clients do.
let agent: AgentProcess;
beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-node', 'dev1']);
}, 60_000);
afterAll(async () => {
  expect(await agent.stop()).toBe(0);
});

const api = (path: string, init?: RequestInit) => fetch(`${agent.http}${path}`, init);

describe('consul agent -dev over HTTP', () => {
  it('elects itself and registers itself in the catalog with serfHealth', async () => {
    expect(await (await api('/v1/status/leader')).json()).toMatch(/^127\.0\.0\.1:\d+$/);
    const nodes = await (await api('/v1/catalog/nodes')).json();
    expect(nodes.map((n: { Node: string }) => n.Node)).toEqual(['dev1']);
    expect(nodes[0].Datacenter).toBe('dc1');
    const checks = await (await api('/v1/health/node/dev1')).json();
    expect(checks[0]).toMatchObject({ CheckID: 'serfHealth', Name: 'Serf Health Status', Status: 'passing', Output: 'Agent alive and reachable' });
    expect(await (await api('/v1/catalog/services')).json()).toEqual({ consul: [] });
  });

  it('writes, reads, lists and deletes KV entries with Consul’s status codes and headers', async () => {
    expect(await (await api('/v1/kv/app/config?flags=3304740253564472344', { method: 'PUT', body: 'v1' })).json()).toBe(true);
    const get = await api('/v1/kv/app/config');
    expect(get.status).toBe(200);
    expect(get.headers.get('x-consul-knownleader')).toBe('true');
    const text = await get.text();
    expect(text).toContain('"Flags": 3304740253564472344');
    const [pair] = JSON.parse(text);
    expect(Buffer.from(pair.Value, 'base64').toString()).toBe('v1');
    expect(await (await api('/v1/kv/app/config?raw')).text()).toBe('v1');
    const miss = await api('/v1/kv/nope');
    expect(miss.status).toBe(404);
    expect(Number(miss.headers.get('x-consul-index'))).toBeGreaterThan(0);
    expect(await (await api(`/v1/kv/app/config?cas=1`, { method: 'PUT', body: 'stale' })).json()).toBe(false);
    expect(await (await api('/v1/kv/?keys&separator=/')).json()).toEqual(['app/']);
    expect(await (await api('/v1/kv/app?recurse', { method: 'DELETE' })).json()).toBe(true);
    expect((await api('/v1/kv/app/config')).status).toBe(404);
  });

  it('wakes a blocking query when the key changes', async () => {
    await api('/v1/kv/watched', { method: 'PUT', body: 'a' });
    const index = (await api('/v1/kv/watched')).headers.get('x-consul-index');
    const started = Date.now();
    const blocked = api(`/v1/kv/watched?index=${index}&wait=30s`);
    await new Promise((r) => setTimeout(r, 300));
    await api('/v1/kv/watched', { method: 'PUT', body: 'b' });
    const res = await blocked;
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(Buffer.from((await res.json())[0].Value, 'base64').toString()).toBe('b');
  });

  it('creates sessions and locks keys with them', async () => {
    const { ID } = await (await api('/v1/session/create', { method: 'PUT', body: JSON.stringify({ Name: 'lock', TTL: '15s' }) })).json();
    expect(ID).toMatch(/^[0-9a-f-]{36}$/);
    expect(await (await api(`/v1/kv/locks/a?acquire=${ID}`, { method: 'PUT', body: 'me' })).json()).toBe(true);
    const [info] = await (await api(`/v1/session/info/${ID}`)).json();
    expect(info).toMatchObject({ ID, Name: 'lock', Node: 'dev1', Behavior: 'release', TTL: '15s' });
    const [locked] = await (await api('/v1/kv/locks/a')).json();
    expect(locked.Session).toBe(ID);
    expect(locked.LockIndex).toBe(1);
    expect(await (await api(`/v1/session/destroy/${ID}`, { method: 'PUT' })).json()).toBe(true);
    const [released] = await (await api('/v1/kv/locks/a')).json();
    expect(released.Session).toBeUndefined();
  });

  it('registers catalog services and answers health queries', async () => {
    const reg = await api('/v1/catalog/register', {
      method: 'PUT',
      body: JSON.stringify({ Node: 'ext', Address: '10.1.2.3', Service: { Service: 'web', Tags: ['v1'], Port: 80 }, Check: { CheckID: 'web-up', Name: 'web up', Status: 'passing', ServiceID: 'web' } }),
    });
    expect(await reg.json()).toBe(true);
    const entries = await (await api('/v1/health/service/web?passing')).json();
    expect(entries).toHaveLength(1);
    expect(entries[0].Service).toMatchObject({ Service: 'web', Port: 80, Tags: ['v1'] });
    expect((await (await api('/v1/catalog/service/web?tag=v1')).json())[0]).toMatchObject({ ServiceName: 'web', ServiceAddress: '', Address: '10.1.2.3' });
    expect(await (await api('/v1/catalog/services')).json()).toEqual({ consul: [], web: ['v1'] });
  });

  it('runs transactions all-or-nothing', async () => {
    const ok = await api('/v1/txn', { method: 'PUT', body: JSON.stringify([{ KV: { Verb: 'set', Key: 't/a', Value: Buffer.from('1').toString('base64') } }, { KV: { Verb: 'get', Key: 't/a' } }]) });
    expect(ok.status).toBe(200);
    const body = await ok.json();
    expect(body.Errors).toBeNull();
    expect(body.Results[1].KV.Value).toBe(Buffer.from('1').toString('base64'));
    const rolled = await api('/v1/txn', { method: 'PUT', body: JSON.stringify([{ KV: { Verb: 'set', Key: 't/b', Value: '' } }, { KV: { Verb: 'cas', Key: 't/a', Index: 1, Value: '' } }]) });
    expect(rolled.status).toBe(409);
    expect((await rolled.json()).Errors[0].OpIndex).toBe(1);
    expect((await api('/v1/kv/t/b')).status).toBe(404);
  });

  it('rejects bad input with Consul’s errors', async () => {
    const notFound = await api('/v1/nothing');
    expect(notFound.status).toBe(404);
    expect(await notFound.text()).toBe('Invalid URL path: not a recognized HTTP API endpoint\n');
    const wrong = await api('/v1/kv/x', { method: 'POST' });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get('allow')).toBe('OPTIONS,GET,PUT,DELETE');
    expect((await api('/v1/catalog/register', { method: 'PUT', body: '{bad' })).status).toBe(400);
    const big = await api('/v1/kv/big', { method: 'PUT', body: 'x'.repeat(512 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect((await api('/v1/kv/big')).status).toBe(404);
    const traversal = await api('/v1/kv/a/..%2f..%2fetc', { method: 'PUT', body: 'x' });
    expect(traversal.status).toBe(400);
    expect(await traversal.text()).toBe('URL path contains invalid traversal sequence');
    const conflict = await api('/v1/kv/x?cas=1&acquire=abc', { method: 'PUT', body: 'x' });
    expect(conflict.status).toBe(400);
    expect(await conflict.text()).toBe('Conflicting flags: cas=1&acquire=abc\n');
  });
});

describe('agent services, checks and anti-entropy', () => {
  it('registers a service with a TTL check, syncs it to the catalog, and flips health with TTL updates', async () => {
    const reg = await api('/v1/agent/service/register', {
      method: 'PUT',
      body: JSON.stringify({ name: 'api', port: 9000, tags: ['blue'], check: { ttl: '30s' } }),
    });
    expect(reg.status).toBe(200);
    expect(await reg.text()).toBe('');
    const services = await (await api('/v1/agent/services')).json();
    expect(services.api).toMatchObject({ ID: 'api', Service: 'api', Port: 9000, Tags: ['blue'], Weights: { Passing: 1, Warning: 1 }, Datacenter: 'dc1' });
    const checks = await (await api('/v1/agent/checks')).json();
    expect(checks['service:api']).toMatchObject({ Name: "Service 'api' check", Status: 'critical', ServiceID: 'api', Type: 'ttl' });
    expect((await api('/v1/agent/check/pass/service:api?note=ok', { method: 'PUT' })).status).toBe(200);
    // Anti-entropy pushes the change to the catalog.
    let entries: Array<{ Checks: Array<{ CheckID: string; Status: string; Output: string }> }> = [];
    for (let i = 0; i < 50; i++) {
      entries = await (await api('/v1/health/service/api?passing')).json();
      if (entries.length === 1) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(entries).toHaveLength(1);
    expect(entries[0]?.Checks.find((c) => c.CheckID === 'service:api')).toMatchObject({ Status: 'passing', Output: 'ok' });
    const health = await api('/v1/agent/health/service/id/api?format=text');
    expect(health.status).toBe(200);
    expect(await health.text()).toBe('passing');
    await api('/v1/agent/check/fail/service:api', { method: 'PUT' });
    expect((await api('/v1/agent/health/service/id/api')).status).toBe(503);
  });

  it('puts a service in maintenance, and deregisters it from the agent and the catalog', async () => {
    await api('/v1/agent/service/register', { method: 'PUT', body: JSON.stringify({ Name: 'db', ID: 'db1', Port: 5432 }) });
    expect((await api('/v1/agent/service/maintenance/db1?enable=true&reason=upgrade', { method: 'PUT' })).status).toBe(200);
    const checks = await (await api('/v1/agent/checks')).json();
    expect(checks['_service_maintenance:db1']).toMatchObject({ Name: 'Service Maintenance Mode', Notes: 'upgrade', Status: 'critical' });
    expect((await api('/v1/agent/service/maintenance/db1', { method: 'PUT' })).status).toBe(400);
    expect((await api('/v1/agent/service/deregister/db1', { method: 'PUT' })).status).toBe(200);
    expect(await (await api('/v1/agent/checks')).json()).not.toHaveProperty('_service_maintenance:db1');
    for (let i = 0; i < 50; i++) {
      const svcs = await (await api('/v1/catalog/services')).json();
      if (!('db' in svcs)) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await (await api('/v1/catalog/services')).json()).not.toHaveProperty('db');
  });

  it('refuses bad registrations and script checks with Consul’s texts', async () => {
    const noName = await api('/v1/agent/service/register', { method: 'PUT', body: JSON.stringify({ Port: 1 }) });
    expect(noName.status).toBe(400);
    expect(await noName.text()).toBe('Missing service name');
    const script = await api('/v1/agent/check/register', { method: 'PUT', body: JSON.stringify({ Name: 'x', Args: ['/bin/true'], Interval: '10s' }) });
    expect(script.status).toBe(500);
    expect(await script.text()).toBe("Scripts are disabled on this agent from remote calls; to enable, configure 'enable_script_checks' to true");
    const unknown = await api('/v1/agent/check/pass/nope', { method: 'PUT' });
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toBe('Unknown check ID "nope". Ensure that the check ID is passed, not the check name.');
    const members = await (await api('/v1/agent/members')).json();
    expect(members[0]).toMatchObject({ Name: 'dev1', Status: 1, Tags: { role: 'consul', dc: 'dc1' } });
  });
});

describe('DNS on the agent', () => {
  it('answers node, service and SRV lookups with dig, only for healthy instances', async () => {
    const { execFileSync } = await import('node:child_process');
    let hasDig = true;
    try {
      execFileSync('dig', ['-v'], { stdio: 'ignore' });
    } catch {
      hasDig = false;
    }
    if (!hasDig) {
      console.log('skipping the dig checks: dig (Debian dnsutils) is not installed');
      return;
    }
    const dig = (...args: string[]) => execFileSync('dig', ['@127.0.0.1', '-p', String(agent.ports.dns), '+short', ...args], { encoding: 'utf8' }).trim();
    await api('/v1/agent/service/register', { method: 'PUT', body: JSON.stringify({ Name: 'dnsweb', Port: 8080, Check: { TTL: '60s', Status: 'passing' } }) });
    let a = '';
    for (let i = 0; i < 50 && a === ''; i++) {
      a = dig('dnsweb.service.consul', 'A');
      if (a === '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(a).toBe('127.0.0.1');
    expect(dig('dnsweb.service.consul', 'SRV')).toBe('1 1 8080 dev1.node.dc1.consul.');
    expect(dig('dev1.node.consul', 'A')).toBe('127.0.0.1');
    await api('/v1/agent/check/fail/service:dnsweb', { method: 'PUT' });
    let after = 'x';
    for (let i = 0; i < 50 && after !== ''; i++) {
      after = dig('dnsweb.service.consul', 'A');
      if (after !== '') await new Promise((r) => setTimeout(r, 100));
    }
    expect(after).toBe('');
    const nx = execFileSync('dig', ['@127.0.0.1', '-p', String(agent.ports.dns), 'nothing.service.consul'], { encoding: 'utf8' });
    expect(nx).toContain('status: NXDOMAIN');
  });
});
