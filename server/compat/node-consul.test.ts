import Consul from 'consul';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../testing/agent-process.ts';

// The npm `consul` client (silas/node-consul 2.0.1, pinned) against a real `consul agent -dev`
// process: what a Node application using Consul would do, unchanged.
let agent: AgentProcess;
let consul: Consul;
beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-node', 'compat1']);
  consul = new Consul({ host: '127.0.0.1', port: agent.ports.http });
}, 60_000);
afterAll(async () => {
  expect(await agent.stop()).toBe(0);
});

describe('npm consul client against a real agent', () => {
  it('KV: set, get, recurse, keys, cas, delete', async () => {
    expect(await consul.kv.set('compat/a', 'one')).toBe(true);
    expect(await consul.kv.set({ key: 'compat/b', value: 'two', flags: 42 })).toBe(true);
    const a = (await consul.kv.get('compat/a')) as { Value: string; ModifyIndex: number };
    expect(a.Value).toBe('one');
    const all = (await consul.kv.get({ key: 'compat/', recurse: true })) as Array<{ Key: string; Flags: number }>;
    expect(all.map((e) => e.Key)).toEqual(['compat/a', 'compat/b']);
    expect(all[1]?.Flags).toBe(42);
    expect(await consul.kv.keys('compat/')).toEqual(['compat/a', 'compat/b']);
    // The agent answers `false`; node-consul's promise layer turns a false body into undefined.
    expect(await consul.kv.set({ key: 'compat/a', value: 'x', cas: 1 })).toBeFalsy();
    expect(((await consul.kv.get('compat/a')) as { Value: string }).Value).toBe('one');
    expect(await consul.kv.set({ key: 'compat/a', value: 'x', cas: a.ModifyIndex })).toBe(true);
    expect(await consul.kv.del('compat/b')).toBe(true);
    expect(await consul.kv.get('compat/b')).toBeUndefined();
  });

  it('catalog and health: register a node with a service and a check, then read them back', async () => {
    await consul.catalog.register({
      node: 'ext1',
      address: '10.1.2.3',
      service: { id: 'db-1', service: 'db', port: 5432, tags: ['primary'] },
      check: { name: 'db alive', checkid: 'db-check', serviceid: 'db-1', status: 'passing' },
    });
    const nodes = (await consul.catalog.node.list()) as Array<{ Node: string }>;
    expect(nodes.map((n) => n.Node).sort()).toEqual(['compat1', 'ext1']);
    const services = (await consul.catalog.service.list()) as Record<string, string[]>;
    expect(services.db).toEqual(['primary']);
    const inst = (await consul.catalog.service.nodes('db')) as Array<{ ServiceID: string; Address: string }>;
    expect(inst).toMatchObject([{ ServiceID: 'db-1', Address: '10.1.2.3' }]);
    const healthy = (await consul.health.service({ service: 'db', passing: true })) as Array<{ Checks: Array<{ CheckID: string }> }>;
    expect(healthy[0]?.Checks.map((c) => c.CheckID).sort()).toEqual(['db-check']);
    const state = (await consul.health.state('passing')) as Array<{ CheckID: string }>;
    expect(state.map((c) => c.CheckID)).toContain('serfHealth');
    const nodeChecks = (await consul.health.node('ext1')) as unknown[];
    expect(nodeChecks.length).toBe(1);
    await consul.catalog.deregister({ node: 'ext1' });
    expect(((await consul.catalog.node.list()) as unknown[]).length).toBe(1);
  });

  it('sessions and a lock: acquire, contend, release, destroy', async () => {
    const { ID: s1 } = (await consul.session.create({ name: 'holder', ttl: '30s' })) as { ID: string };
    const { ID: s2 } = (await consul.session.create({ name: 'other', ttl: '30s' })) as { ID: string };
    expect(await consul.kv.set({ key: 'compat/lock', value: 'me', acquire: s1 })).toBe(true);
    expect(await consul.kv.set({ key: 'compat/lock', value: 'you', acquire: s2 })).toBeFalsy();
    const held = (await consul.kv.get('compat/lock')) as unknown as { Session: string; LockIndex: number };
    expect(held.Session).toBe(s1);
    expect(held.LockIndex).toBe(1);
    const info = (await consul.session.info(s1)) as { Name: string; TTL: string };
    expect(info).toMatchObject({ Name: 'holder', TTL: '30s' });
    expect(((await consul.session.node('compat1')) as unknown[]).length).toBe(2);
    expect(((await consul.session.renew(s1)) as Array<{ ID: string }>)[0]?.ID).toBe(s1);
    expect(await consul.kv.set({ key: 'compat/lock', value: 'me', release: s1 })).toBe(true);
    expect(await consul.kv.set({ key: 'compat/lock', value: 'you', acquire: s2 })).toBe(true);
    await consul.session.destroy(s2);
    const after = (await consul.kv.get('compat/lock')) as { Session?: string };
    expect(after.Session ?? '').toBe('');
    await consul.session.destroy(s1);
    expect(((await consul.session.list()) as unknown[]).length).toBe(0);
  });

  it('events: fire and list', async () => {
    const fired = (await consul.event.fire('deploy', 'v42')) as { ID: string; Name: string; Payload: string };
    expect(fired.Name).toBe('deploy');
    expect(fired.Payload).toBe('v42');
    let listed: Array<{ ID: string; Payload: string }> = [];
    for (let i = 0; i < 50 && listed.length === 0; i++) {
      listed = (await consul.event.list('deploy')) as typeof listed;
      if (listed.length === 0) await new Promise((r) => setTimeout(r, 50));
    }
    expect(listed.map((e) => e.ID)).toEqual([fired.ID]);
    expect(listed[0]?.Payload).toBe('v42');
  });

  it('txn: a mixed read/write transaction, and a rollback', async () => {
    const ok = (await consul.transaction.create([
      { KV: { Verb: 'set', Key: 'compat/t1', Value: Buffer.from('x').toString('base64') } },
      { KV: { Verb: 'get', Key: 'compat/t1' } },
    ] as never)) as { Results: Array<{ KV: { Key: string } }>; Errors: unknown };
    expect(ok.Results.map((r) => r.KV.Key)).toEqual(['compat/t1', 'compat/t1']);
    await expect(
      consul.transaction.create([
        { KV: { Verb: 'set', Key: 'compat/t2', Value: Buffer.from('y').toString('base64') } },
        { KV: { Verb: 'cas', Key: 'compat/t1', Index: 1, Value: 'eg==' } },
      ] as never),
    ).rejects.toThrow();
    expect(await consul.kv.get('compat/t2')).toBeUndefined();
  });

  it('blocking watch: a KV watch sees a later write', async () => {
    await consul.kv.set('compat/watched', 'v1');
    const watch = consul.watch({ method: consul.kv.get, options: { key: 'compat/watched', wait: '5s' } as never });
    const seen: string[] = [];
    const second = new Promise<void>((resolve, reject) => {
      watch.on('change', (data: { Value: string } | undefined) => {
        if (data) seen.push(data.Value);
        if (seen.length === 1) void consul.kv.set('compat/watched', 'v2');
        if (seen.includes('v2')) resolve();
      });
      watch.on('error', reject);
    });
    await second;
    watch.end();
    expect(seen).toEqual(['v1', 'v2']);
  });

  it('status and prepared queries', async () => {
    expect(await consul.status.leader()).toMatch(/^127\.0\.0\.1:\d+$/);
    expect(((await consul.status.peers()) as string[]).length).toBe(1);
    const created = (await consul.query.create({ name: 'consul-q', service: { service: 'consul' } } as never)) as { ID: string };
    const run = (await consul.query.execute(created.ID)) as { Service: string; Nodes: Array<{ Node: { Node: string } }> };
    expect(run.Service).toBe('consul');
    expect(run.Nodes.map((n) => n.Node.Node)).toEqual(['compat1']);
    // destroy exists in the library but is missing from its type declarations.
    await (consul.query as unknown as { destroy(id: string): Promise<unknown> }).destroy(created.ID);
    expect((await consul.query.list()) as unknown[]).toEqual([]);
  });
});
