import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { Resolver } from 'node:dns/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../../testing/agent-process.ts';
import { runAt, spawnCli, stopAgent, waitFor } from '../../cli-test-helpers.ts';

// A real `consul agent -dev` with `acl { enabled = true, default_policy = "deny" }`, driven by the CLI.
const ROOT = '3f1a4c2e-8d9b-4e7a-9c1f-0a2b3c4d5e6f';
let agent: AgentProcess;
let dir: string;
let addr: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'acl-cli-'));
  const file = join(dir, 'acl.hcl');
  writeFileSync(file, `acl {\n  enabled = true\n  default_policy = "deny"\n  tokens {\n    initial_management = "${ROOT}"\n  }\n}\n`);
  agent = await startAgentProcess(['-dev', '-node', 'acl1', '-config-file', file]);
  addr = agent.http.replace('http://', '');
}, 60_000);

afterAll(async () => {
  await stopAgent(agent);
  rmSync(dir, { recursive: true, force: true });
});

const cli = (...args: string[]) => runAt(addr, ...args);
const field = (out: string, name: string) => new RegExp(`^${name}:\\s+(.*)$`, 'm').exec(out)?.[1] ?? '';

describe('consul acl against a real agent with default_policy=deny', () => {
  it('refuses anonymous requests and bootstrap once the initial management token exists', async () => {
    const r = await fetch(`${agent.http}/v1/kv/foo`);
    expect(r.status).toBe(403);
    expect(r.headers.get('x-consul-default-acl-policy')).toBe('deny');
    const boot = await cli('acl', 'bootstrap');
    expect(boot.code).toBe(1);
    expect(boot.err).toMatch(/^Failed ACL bootstrapping: Unexpected response code: 403 \(Permission denied: ACL bootstrap no longer allowed \(reset index: \d+\)\)/);
  });

  it('creates a policy and a token, and the token can do exactly what the policy says', async () => {
    const policy = await cli('acl', 'policy', 'create', '-token', ROOT, '-name', 'kv-app', '-description', 'app keys', '-rules', 'key_prefix "app/" { policy = "write" }');
    expect(policy.err).toBe('');
    expect(policy.out).toMatch(/^ID: {11}[0-9a-f-]{36}\nName: {9}kv-app\nDescription: {2}app keys\nDatacenters: {2}\nRules:\nkey_prefix "app\/" \{ policy = "write" \}\n$/);
    const created = await cli('acl', 'token', 'create', '-token', ROOT, '-description', 'app token', '-policy-name', 'kv-app');
    expect(created.code).toBe(0);
    const accessor = field(created.out, 'AccessorID');
    const secret = field(created.out, 'SecretID');
    expect(created.out).toContain(`Description:      app token\nLocal:            false\nCreate Time:      `);
    expect(created.out).toMatch(/Policies:\n {3}[0-9a-f-]{36} - kv-app\n$/);

    expect((await cli('kv', 'put', '-token', secret, 'app/x', '1')).out).toBe('Success! Data written to: app/x\n');
    const denied = await cli('kv', 'put', '-token', secret, 'other', '1');
    expect(denied.code).toBe(1);
    expect(denied.err).toContain(`Permission denied: token with AccessorID '${accessor}' lacks permission 'key:write' on "other"`);

    // CONSUL_HTTP_TOKEN works as well as -token.
    const self = await spawnCli(['acl', 'token', 'read', '-self', '-format=json'], { env: { CONSUL_HTTP_ADDR: addr, CONSUL_HTTP_TOKEN: secret } }).done;
    expect(self.code).toBe(0);
    expect(JSON.parse(self.out)).toMatchObject({ AccessorID: accessor, SecretID: secret, Description: 'app token' });

    const list = await cli('acl', 'token', 'list', '-token', ROOT);
    expect(list.out).toContain('Description:      Anonymous Token');
    expect(list.out).toContain('Description:      Initial Management Token');
    const updated = await cli('acl', 'token', 'update', '-token', ROOT, '-id', accessor, '-description', 'renamed');
    expect(updated.out).toContain('Token updated successfully.\n');
    expect(field(updated.out, 'Description')).toBe('renamed');
    const clone = await cli('acl', 'token', 'clone', '-token', ROOT, '-id', accessor, '-description', 'copy');
    expect(clone.out).toContain('Token cloned successfully.\n');
    expect(field(clone.out, 'AccessorID')).not.toBe(accessor);
    expect((await cli('acl', 'token', 'delete', '-token', ROOT, '-id', accessor)).out).toBe(`Token "${accessor}" deleted successfully\n`);
    const gone = await cli('kv', 'get', '-token', secret, 'app/x');
    expect(gone.err).toContain('ACL not found');
  }, 30_000);

  it('manages roles and policies by name', async () => {
    const role = await cli('acl', 'role', 'create', '-token', ROOT, '-name', 'ops', '-policy-name', 'kv-app', '-service-identity', 'web:dc1');
    expect(role.code).toBe(0);
    expect(role.out).toMatch(/^ID: {11}[0-9a-f-]{36}\nName: {9}ops\nDescription: {2}\nPolicies:\n {3}[0-9a-f-]{36} - kv-app\nService Identities:\n {3}web \(Datacenters: dc1\)\n$/);
    expect((await cli('acl', 'role', 'list', '-token', ROOT)).out).toMatch(/^ops:\n {3}ID: {11}/);
    expect((await cli('acl', 'role', 'read', '-token', ROOT, '-name', 'ops', '-format', 'json')).out).toContain('"Name": "ops"');
    const id = field(role.out, 'ID');
    expect((await cli('acl', 'role', 'delete', '-token', ROOT, '-name', 'ops')).out).toBe(`Role "${id}" deleted successfully\n`);
    const upd = await cli('acl', 'policy', 'update', '-token', ROOT, '-id', field((await cli('acl', 'policy', 'read', '-token', ROOT, '-name', 'kv-app')).out, 'ID'), '-description', 'new');
    expect(field(upd.out, 'Description')).toBe('new');
    const del = await cli('acl', 'policy', 'delete', '-token', ROOT, '-name', 'global-management');
    expect(del.code).toBe(1);
    expect(del.err).toContain('Delete operation not permitted on the builtin global-management policy');
  }, 30_000);

  it('filters DNS answers by the anonymous token until it is granted service and node read', async () => {
    const dns = new Resolver();
    dns.setServers([`127.0.0.1:${agent.ports.dns}`]);
    await expect(dns.resolve4('consul.service.consul')).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect((await cli('acl', 'policy', 'create', '-token', ROOT, '-name', 'dns-read', '-rules', 'node_prefix "" { policy = "read" }\nservice_prefix "" { policy = "read" }')).code).toBe(0);
    const upd = await cli('acl', 'token', 'update', '-token', ROOT, '-id', '00000000-0000-0000-0000-000000000002', '-policy-name', 'dns-read');
    expect(upd.code).toBe(0);
    // A name not asked before, so that no cached negative answer is in the way.
    await cli('services', 'register', '-token', ROOT, '-name', 'web', '-port', '80');
    await waitFor(async () => (await dns.resolve4('web.service.consul').catch(() => [])).length > 0, 15_000);
    expect(await dns.resolve4('web.service.consul')).toEqual(['127.0.0.1']);
  }, 30_000);
});

describe('consul acl bootstrap with a data dir: the reset file', () => {
  let server: AgentProcess | undefined;
  let data: string;
  afterAll(async () => {
    await stopAgent(server);
    rmSync(data, { recursive: true, force: true });
  });

  it('bootstraps once, then again only with the reset index written to acl-bootstrap-reset', async () => {
    data = mkdtempSync(join(tmpdir(), 'acl-reset-'));
    const file = join(data, 'acl.hcl');
    writeFileSync(file, 'acl {\n  enabled = true\n  default_policy = "deny"\n}\n');
    server = await startAgentProcess(['-server', '-bootstrap', '-node', 'r1', '-bind', '127.0.0.1', '-data-dir', join(data, 'd'), '-config-file', file]);
    const at = server.http.replace('http://', '');
    let first = await runAt(at, 'acl', 'bootstrap', '-format', 'json');
    // The leader may still be creating the built-in policy: retry until bootstrap answers.
    for (let i = 0; i < 50 && first.code !== 0 && !first.err.includes('no longer allowed'); i++) {
      await new Promise((r) => setTimeout(r, 100));
      first = await runAt(at, 'acl', 'bootstrap', '-format', 'json');
    }
    expect(first.code, first.err).toBe(0);
    const token = JSON.parse(first.out) as { SecretID: string; Policies: Array<{ Name: string }> };
    expect(token.Policies.map((p) => p.Name)).toEqual(['global-management']);
    const again = await runAt(at, 'acl', 'bootstrap');
    const index = /reset index: (\d+)/.exec(again.err)?.[1];
    expect(index, again.err).toBeDefined();
    writeFileSync(join(data, 'd', 'acl-bootstrap-reset'), `${index}\n`);
    const reset = await runAt(at, 'acl', 'bootstrap');
    expect(reset.code, reset.err).toBe(0);
    expect(reset.out).toMatch(/^AccessorID: {7}[0-9a-f-]{36}\nSecretID: {9}[0-9a-f-]{36}\nDescription: {6}Bootstrap Token \(Global Management\)\n/);
    expect(existsSync(join(data, 'd', 'acl-bootstrap-reset'))).toBe(false);
    expect((await runAt(at, 'acl', 'bootstrap')).err).toContain('ACL bootstrap no longer allowed');
    // Both management tokens work.
    expect((await runAt(at, 'acl', 'token', 'read', '-self', '-token', token.SecretID)).code).toBe(0);
  }, 60_000);
});
