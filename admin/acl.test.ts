/**
 * The admin API under ACLs (default deny) on a real `consul agent -dev`: the caller's token goes
 * through the agent's own `/v1` authorization, and refusals come back as FORBIDDEN with Consul's
 * text. ACL enforcement is being built in parallel: on a build whose agent does not enforce,
 * the test checks the other half of the contract (the same calls succeed without a token).
 */
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../server/testing/agent-process.ts';
import { createAdminClient } from './client.ts';
import type { AdminRouter } from './router.ts';

const ROOT = 'root-secret-for-admin-test';
let agent: AgentProcess;

beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-node', 'acl-admin', '-hcl', `acl {\n enabled = true\n default_policy = "deny"\n tokens { initial_management = "${ROOT}" }\n}`]);
});

afterAll(async () => {
  await agent?.stop('SIGKILL');
});

async function refusal(p: Promise<unknown>): Promise<{ code: string | undefined; message: string } | undefined> {
  try {
    await p;
    return undefined;
  } catch (e) {
    if (!(e instanceof TRPCClientError)) throw e;
    return { code: (e as TRPCClientError<AdminRouter>).data?.code, message: e.message };
  }
}

describe('the admin API with ACLs', () => {
  it('authorizes with the caller token exactly as /v1 does', async () => {
    const anonymous = createAdminClient({ baseUrl: agent.http });
    const root = createAdminClient({ baseUrl: agent.http, token: ROOT });
    const unknown = createAdminClient({ baseUrl: agent.http, token: 'no-such-token' });
    expect(await refusal(anonymous.kv.put.mutate({ key: 'acl-test', value: 'anonymous' }))).toEqual({
      code: 'FORBIDDEN',
      message: expect.stringMatching(/^Permission denied: anonymous token lacks permission 'key:write' on "acl-test"/),
    });
    await root.kv.put.mutate({ key: 'acl-test', value: 'root' });
    expect((await root.kv.get.query({ key: 'acl-test' }))?.value).toBe('root');
    expect(await refusal(unknown.kv.get.query({ key: 'acl-test' }))).toEqual({ code: 'FORBIDDEN', message: 'ACL not found' });
    expect(await refusal(anonymous.raft.configuration.query())).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining("lacks permission 'operator:read'") });
    expect((await root.raft.configuration.query()).servers).toHaveLength(1);
    // A stream whose reads are refused ends with the refusal instead of retrying forever.
    const ended = await new Promise<unknown>((resolve) => {
      const sub = unknown.events.kv.subscribe({ prefix: 'acl-test' }, { onData: () => resolve('data'), onError: (e) => resolve(e) });
      setTimeout(() => {
        sub.unsubscribe();
        resolve('timeout');
      }, 10_000);
    });
    expect(ended).toBeInstanceOf(TRPCClientError);
    expect({ code: (ended as TRPCClientError<AdminRouter>).data?.code, message: (ended as Error).message }).toEqual({ code: 'FORBIDDEN', message: 'ACL not found' });
    // Authorization: Bearer is read like X-Consul-Token.
    const bearer = await fetch(`${agent.http}/api/trpc/raft.configuration`, { headers: { Authorization: `Bearer ${ROOT}` } });
    expect(bearer.status).toBe(200);
  });

  it('manages policies, roles and tokens, and a new token gets exactly its rules', async () => {
    const root = createAdminClient({ baseUrl: agent.http, token: ROOT });
    expect(await refusal(root.acl.bootstrap.mutate())).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining('ACL bootstrap no longer allowed') });
    expect((await root.acl.tokenSelf.query()).SecretID).toBe(ROOT);

    const policy = await root.acl.policies.create.mutate({ name: 'app-kv', description: 'app keys', rules: 'key_prefix "app/" { policy = "write" }' });
    expect((await root.acl.policies.read.query({ name: 'app-kv' })).Rules).toBe('key_prefix "app/" { policy = "write" }');
    expect((await root.acl.policies.read.query({ id: policy.ID })).Name).toBe('app-kv');
    expect((await root.acl.policies.list.query()).map((p) => p.Name)).toContain('app-kv');
    const role = await root.acl.roles.create.mutate({ name: 'app', policies: [{ Name: 'app-kv' }] });
    expect((await root.acl.roles.list.query()).map((r) => `${r.Name}:${r.Policies?.map((p) => p.Name).join(',')}`)).toEqual(['app:app-kv']);
    const token = await root.acl.tokens.create.mutate({ description: 'app writer', roles: [{ Name: 'app' }] });
    expect((await root.acl.tokens.read.query({ accessorId: token.AccessorID })).Description).toBe('app writer');
    expect((await root.acl.tokens.list.query()).map((t) => t.AccessorID)).toContain(token.AccessorID);

    const app = createAdminClient({ baseUrl: agent.http, token: token.SecretID });
    await app.kv.put.mutate({ key: 'app/x', value: '1' });
    expect(await refusal(app.kv.put.mutate({ key: 'other/x', value: '1' }))).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining(`lacks permission 'key:write' on "other/x"`) });
    expect((await app.acl.tokenSelf.query()).AccessorID).toBe(token.AccessorID);
    expect(await refusal(app.acl.tokens.list.query())).toMatchObject({ code: 'FORBIDDEN', message: expect.stringContaining("lacks permission 'acl:read'") });

    await root.acl.tokens.delete.mutate({ accessorId: token.AccessorID });
    expect(await refusal(app.kv.get.query({ key: 'app/x' }))).toEqual({ code: 'FORBIDDEN', message: 'ACL not found' });
    await root.acl.roles.delete.mutate({ id: role.ID });
    await root.acl.policies.delete.mutate({ id: policy.ID });
    expect((await root.acl.policies.list.query()).map((p) => p.Name)).not.toContain('app-kv');
    expect(await refusal(root.acl.policies.read.query({ id: 'app-kv', name: 'app-kv' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });
});
