/**
 * The admin API end to end: a real datacenter of agent processes (3 servers, 2 clients on
 * 127.0.0.1-5), every procedure called through the typed client against a client agent (so every
 * call is forwarded as a Consul client would forward it), and the subscriptions watching a
 * leadership transfer, a kill -9 of the leader and a graceful leave.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRPCClientError } from '@trpc/client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KvEvent, LeaderEvent, MemberEvent } from '../core/admin/admin-cluster.ts';
import { type AgentProcess, freeAgentPorts, startAgentProcess } from '../server/testing/agent-process.ts';
import { type AdminClient, createAdminClient } from './client.ts';
import type { AdminRouter } from './router.ts';

const dataRoot = mkdtempSync(join(tmpdir(), 'consul-admin-'));
const agents = new Map<string, AgentProcess>();
const ip = (n: number) => `127.0.0.${n}`;
/** The gossip key every agent starts with (rotated by the keyring test once the agent has a keyring API). */
const K1 = 'cxp3P/I+uz/CmZwykmeYJ4mZfZNmMV6Aiy3C757eSn8=';
const K2 = 'HS6Z7ikHU1kWHGoX1dXEJLQ2vqCZMGrXPXdJ3yjTmMs=';
const FAST = ['-hcl', 'performance { raft_multiplier = 1 }', '-retry-interval', '1s', '-encrypt', K1];
let ports: AgentProcess['ports'];
let admin: AdminClient;

async function until<T>(what: string, fn: () => Promise<T | undefined> | T | undefined, ms = 30_000): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** The tRPC error code of a rejected call. */
async function codeOf(p: Promise<unknown>): Promise<{ code: string; message: string }> {
  try {
    await p;
  } catch (e) {
    if (e instanceof TRPCClientError) return { code: (e as TRPCClientError<AdminRouter>).data?.code ?? '', message: e.message };
    throw e;
  }
  throw new Error('expected the call to fail');
}

/** Collects a subscription's events. */
function collect<T>(subscribe: (on: { onData: (v: T) => void; onError: (e: unknown) => void }) => { unsubscribe(): void }) {
  const events: T[] = [];
  const errors: unknown[] = [];
  const sub = subscribe({ onData: (v) => events.push(v), onError: (e) => errors.push(e) });
  return { events, errors, stop: () => sub.unsubscribe(), waitFor: (what: string, pred: (v: T) => boolean) => until(what, () => events.find(pred)) };
}

beforeAll(async () => {
  ports = await freeAgentPorts();
  const serverArgs = (n: number) => ['-server', '-bootstrap-expect', '3', '-node', `s${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, `s${n}`), '-retry-join', `${ip(1)}:${ports.serfLan}`, ...FAST];
  const clientArgs = (n: number) => ['-node', `c${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, `c${n}`), '-retry-join', `${ip(1)}:${ports.serfLan}`, ...FAST];
  const started = await Promise.all([
    ...[1, 2, 3].map((n) => startAgentProcess(serverArgs(n), ip(n), false, ports)),
    ...[4, 5].map((n) => startAgentProcess(clientArgs(n), ip(n), false, ports)),
  ]);
  for (const [i, a] of started.entries()) agents.set(i < 3 ? `s${i + 1}` : `c${i + 1}`, a);
  admin = createAdminClient({ baseUrl: agents.get('c4')!.http, token: 'anonymous-is-fine-without-acls' });
  await until('five alive members and a leader', async () => {
    const o = await admin.cluster.overview.query();
    return o.leader && o.members.lan.filter((m) => m.status === 'alive').length === 5 && o.servers.length === 3 ? o : undefined;
  }, 60_000);
  await until('five nodes in the catalog', async () => ((await admin.catalog.nodes.query()).length === 5 ? true : undefined));
}, 90_000);

afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop('SIGKILL')));
  rmSync(dataRoot, { recursive: true, force: true });
});

describe('the admin API over a real datacenter', () => {
  it('answers GET /api/trpc/cluster.overview with datacenters, leader, raft state and both pools', async () => {
    const res = await fetch(`${agents.get('c4')!.http}/api/trpc/cluster.overview`);
    expect(res.status).toBe(200);
    const overview = ((await res.json()) as { result: { data: Awaited<ReturnType<AdminClient['cluster']['overview']['query']>> } }).result.data;
    expect(overview.agent).toEqual({ node: 'c4', datacenter: 'dc1', server: false });
    expect(overview.datacenters).toEqual(['dc1']);
    expect(overview.servers.map((s) => s.node).sort()).toEqual(['s1', 's2', 's3']);
    expect(overview.servers.filter((s) => s.leader)).toHaveLength(1);
    expect(overview.servers.find((s) => s.leader)?.address).toBe(overview.leader);
    expect(overview.servers.every((s) => s.suffrage === 'voter' && typeof s.lastIndex === 'number' && s.lastIndex > 0)).toBe(true);
    expect(overview.members.lan.map((m) => `${m.name}:${m.role}:${m.status}`).sort()).toEqual(['c4:client:alive', 'c5:client:alive', 's1:server:alive', 's2:server:alive', 's3:server:alive']);
    // A client agent is not in the WAN pool.
    expect(overview.members.wan).toEqual([]);
  });

  it('lists and joins members', async () => {
    const lan = await admin.members.list.query();
    expect(lan.map((m) => m.name).sort()).toEqual(['c4', 'c5', 's1', 's2', 's3']);
    // The servers' WAN pool, joined through s1's admin API.
    const s1 = createAdminClient({ baseUrl: agents.get('s1')!.http });
    await s1.members.join.mutate({ address: `${ip(2)}:${ports.serfWan}`, pool: 'wan' });
    await s1.members.join.mutate({ address: `${ip(3)}:${ports.serfWan}`, pool: 'wan' });
    const wan = await until('three WAN members', async () => {
      const m = await s1.members.list.query({ pool: 'wan' });
      return m.length === 3 ? m : undefined;
    });
    expect(wan.map((m) => `${m.name}:${m.datacenter}:${m.status}`).sort()).toEqual(['s1.dc1:dc1:alive', 's2.dc1:dc1:alive', 's3.dc1:dc1:alive']);
    expect((await s1.cluster.overview.query()).members.wan).toHaveLength(3);
    await admin.members.join.mutate({ address: `${ip(2)}:${ports.serfLan}` });
    expect(await codeOf(admin.members.join.mutate({ address: '127.0.0.1:1' }))).toMatchObject({ code: 'INTERNAL_SERVER_ERROR' });
  });

  it('reads and writes KV, with check-and-set, and maps errors to tRPC codes', async () => {
    await admin.kv.put.mutate({ key: 'app/config', value: 'v1', flags: 42 });
    const entry = await admin.kv.get.query({ key: 'app/config' });
    expect(entry).toMatchObject({ key: 'app/config', value: 'v1', valueBase64: btoa('v1'), flags: 42 });
    await admin.kv.put.mutate({ key: 'app/config', value: 'v2', cas: entry!.modifyIndex });
    const stale = await codeOf(admin.kv.put.mutate({ key: 'app/config', value: 'v3', cas: entry!.modifyIndex }));
    expect(stale).toEqual({ code: 'PRECONDITION_FAILED', message: `CAS failed: key "app/config" has been modified since index ${entry!.modifyIndex}` });
    await admin.kv.put.mutate({ key: 'app/bin', value: btoa('\u0000\u0001'), base64: true });
    const list = await admin.kv.list.query({ prefix: 'app/', consistency: 'consistent' });
    expect(list.entries.map((e) => `${e.key}=${e.valueBase64}`)).toEqual([`app/bin=${btoa('\u0000\u0001')}`, `app/config=${btoa('v2')}`]);
    expect(list.index).toBeGreaterThan(0);
    expect(await admin.kv.get.query({ key: 'missing', consistency: 'stale' })).toBeNull();
    // Addressed to a datacenter by name: this one answers, an unknown one is NOT_FOUND with Consul's text.
    expect((await admin.kv.get.query({ key: 'app/bin', dc: 'dc1' }))?.valueBase64).toBe(btoa('\u0000\u0001'));
    expect(await codeOf(admin.kv.get.query({ key: 'app/bin', dc: 'dc-nowhere' }))).toEqual({ code: 'NOT_FOUND', message: 'No path to datacenter' });
    expect(await codeOf(admin.catalog.nodes.query({ dc: 'dc-nowhere' }))).toMatchObject({ code: 'NOT_FOUND' });
    expect(await admin.kv.list.query({ prefix: 'nothing-here/' })).toMatchObject({ entries: [] });
    const current = (await admin.kv.get.query({ key: 'app/config' }))!;
    expect(await codeOf(admin.kv.delete.mutate({ key: 'app/config', cas: current.modifyIndex - 1 }))).toMatchObject({ code: 'PRECONDITION_FAILED' });
    await admin.kv.delete.mutate({ key: 'app/config', cas: current.modifyIndex });
    await admin.kv.delete.mutate({ key: 'app/', recurse: true });
    expect((await admin.kv.list.query({ prefix: 'app/' })).entries).toEqual([]);
    // Consul's own 400 text comes through as BAD_REQUEST.
    expect(await codeOf(admin.kv.get.query({ key: 'a/../b' }))).toEqual({ code: 'BAD_REQUEST', message: 'URL path contains invalid traversal sequence' });
    expect(await codeOf(admin.kv.delete.mutate({ key: '' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('rejects a wrong input at compile time and at run time', async () => {
    // @ts-expect-error `key` is a string: a number does not compile.
    const wrong = admin.kv.get.query({ key: 42 });
    expect(await codeOf(wrong)).toEqual({ code: 'BAD_REQUEST', message: 'key: Invalid input: expected string, received number' });
    // @ts-expect-error `pool` is 'lan' | 'wan'.
    expect(await codeOf(admin.members.list.query({ pool: 'dc' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('reads the catalog and health', async () => {
    const c5 = agents.get('c5')!;
    const reg = await fetch(`${c5.http}/v1/agent/service/register`, {
      method: 'PUT',
      body: JSON.stringify({ Name: 'web', ID: 'web-1', Port: 8080, Tags: ['blue'], Check: { CheckID: 'web-ttl', TTL: '60s' } }),
    });
    expect(reg.status).toBe(200);
    await until('web in the catalog', async () => ((await admin.catalog.services.query()).web ? true : undefined));
    expect(await admin.catalog.services.query()).toMatchObject({ web: ['blue'] });
    expect((await admin.catalog.nodes.query()).map((n) => n.Node).sort()).toEqual(['c4', 'c5', 's1', 's2', 's3']);
    expect((await admin.catalog.service.query({ name: 'web', tag: 'blue' })).map((s) => `${s.Node}/${s.ServiceID}:${s.ServicePort}`)).toEqual(['c5/web-1:8080']);
    expect(await admin.catalog.service.query({ name: 'web', tag: 'green' })).toEqual([]);
    // The TTL check starts critical: listed, but not when only passing instances are asked for.
    expect((await admin.health.service.query({ name: 'web' })).map((e) => e.Service.ID)).toEqual(['web-1']);
    expect(await admin.health.service.query({ name: 'web', passing: true })).toEqual([]);
    expect((await admin.health.checks.query({ service: 'web' })).map((c) => `${c.CheckID}:${c.Status}`)).toEqual(['web-ttl:critical']);
    const nodeChecks = await admin.health.node.query({ node: 'c5' });
    expect(nodeChecks.map((c) => c.CheckID)).toContain('web-ttl');
  });

  it('creates, lists and destroys sessions, and a held lock refuses a second session', async () => {
    // No checks: the leader registers serfHealth, a session's default check, only as it reconciles.
    const { id } = await admin.sessions.create.mutate({ name: 'admin-test', ttl: '30s', behavior: 'delete', checks: [] });
    const other = (await admin.sessions.create.mutate({ node: 'c5', checks: [] })).id;
    expect((await admin.sessions.list.query()).map((s) => s.ID).sort()).toEqual([id, other].sort());
    await admin.kv.put.mutate({ key: 'locks/leader', value: 'me', acquire: id });
    expect((await admin.kv.get.query({ key: 'locks/leader' }))?.session).toBe(id);
    expect(await codeOf(admin.kv.put.mutate({ key: 'locks/leader', value: 'you', acquire: other }))).toEqual({ code: 'PRECONDITION_FAILED', message: 'Lock not acquired: key "locks/leader" is locked by another session' });
    await admin.sessions.destroy.mutate({ id });
    await admin.sessions.destroy.mutate({ id: other });
    expect(await admin.sessions.list.query()).toEqual([]);
    // behavior=delete: destroying the session deleted the key it held.
    expect(await admin.kv.get.query({ key: 'locks/leader' })).toBeNull();
    expect(await codeOf(admin.sessions.create.mutate({ ttl: 'soon' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('saves and restores a snapshot', async () => {
    await admin.kv.put.mutate({ key: 'snap/kept', value: 'before' });
    const snap = await admin.snapshot.save.query();
    expect(snap.index).toBeGreaterThan(0);
    expect(snap.data.length).toBeGreaterThan(100);
    await admin.kv.put.mutate({ key: 'snap/after', value: 'gone after restore' });
    await admin.snapshot.restore.mutate({ data: snap.data });
    const keys = (await admin.kv.list.query({ prefix: 'snap/', consistency: 'consistent' })).entries.map((e) => e.key);
    expect(keys).toEqual(['snap/kept']);
    expect(await codeOf(admin.snapshot.restore.mutate({ data: btoa('not a snapshot') }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('reads the raft configuration and autopilot, and sets autopilot with check-and-set', async () => {
    const raft = await admin.raft.configuration.query();
    expect(raft.servers).toHaveLength(3);
    expect(raft.index).toBeGreaterThan(0);
    const state = await admin.autopilot.state.query();
    expect(state.Healthy).toBe(true);
    expect(Object.keys(state.Servers)).toHaveLength(3);
    expect(state.Leader).toBe(raft.servers.find((s) => s.leader)?.id);
    const before = await admin.autopilot.getConfig.query();
    // Keep failed servers in the configuration: the test removes the dead one itself below.
    await admin.autopilot.setConfig.mutate({ config: { CleanupDeadServers: false, MaxTrailingLogs: 500 } });
    const after = await admin.autopilot.getConfig.query();
    expect(after).toMatchObject({ CleanupDeadServers: false, MaxTrailingLogs: 500, LastContactThreshold: before.LastContactThreshold });
    expect(await codeOf(admin.autopilot.setConfig.mutate({ config: { MaxTrailingLogs: 1 }, cas: after.ModifyIndex + 100 }))).toMatchObject({ code: 'PRECONDITION_FAILED' });
    await admin.autopilot.setConfig.mutate({ config: { MaxTrailingLogs: 250 }, cas: after.ModifyIndex });
    expect((await admin.autopilot.getConfig.query()).MaxTrailingLogs).toBe(250);
    expect(await codeOf(admin.raft.removePeer.mutate({}))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('drives the keyring procedures through to the agent', async () => {
    // The agent's /v1/operator/keyring is being wired in parallel: until it lands, every keyring
    // procedure reaches the agent and reports its 404 as NOT_FOUND with the agent's text; once it
    // has landed, this rotates the gossip key from K1 to K2.
    const listed = await admin.keyring.list.query().then(
      (r) => ({ ok: true as const, r }),
      (e: unknown) => ({ ok: false as const, e }),
    );
    if (listed.ok) {
      const lan = () => admin.keyring.list.query().then((r) => r.find((p) => !p.WAN));
      expect(listed.r.find((p) => !p.WAN)).toMatchObject({ Datacenter: 'dc1', Keys: { [K1]: 5 }, NumNodes: 5 });
      await admin.keyring.install.mutate({ key: K2 });
      expect((await lan())?.Keys).toEqual({ [K1]: 5, [K2]: 5 });
      await admin.keyring.use.mutate({ key: K2 });
      expect(await codeOf(admin.keyring.remove.mutate({ key: K2 }))).toMatchObject({ code: 'INTERNAL_SERVER_ERROR', message: expect.stringContaining('Removing the primary key is not allowed') });
      await admin.keyring.remove.mutate({ key: K1 });
      expect((await lan())?.Keys).toEqual({ [K2]: 5 });
      return;
    }
    const notWired = { code: 'NOT_FOUND', message: 'Invalid URL path: not a recognized HTTP API endpoint' };
    expect(await codeOf(Promise.reject(listed.e))).toEqual(notWired);
    expect(await codeOf(admin.keyring.install.mutate({ key: K2 }))).toEqual(notWired);
    expect(await codeOf(admin.keyring.use.mutate({ key: K2 }))).toEqual(notWired);
    expect(await codeOf(admin.keyring.remove.mutate({ key: K1 }))).toEqual(notWired);
    expect(await codeOf(admin.keyring.install.mutate({ key: 'not base64!' }))).toMatchObject({ code: 'BAD_REQUEST' });
  });

  it('reports ACL procedures on an agent without ACLs as UNAUTHORIZED, as Consul does', async () => {
    expect(await codeOf(admin.acl.tokens.list.query())).toEqual({ code: 'UNAUTHORIZED', message: 'ACL support disabled' });
    expect(await codeOf(admin.acl.bootstrap.mutate())).toEqual({ code: 'UNAUTHORIZED', message: 'ACL support disabled' });
  });

  it('streams KV changes under a prefix', async () => {
    const kv = collect<KvEvent>((on) => admin.events.kv.subscribe({ prefix: 'watch/' }, on));
    await kv.waitFor('the first snapshot', (e) => e.type === 'snapshot');
    await admin.kv.put.mutate({ key: 'watch/a', value: '1' });
    await kv.waitFor('the put', (e) => e.type === 'put' && e.entry.key === 'watch/a' && e.entry.value === '1');
    await admin.kv.put.mutate({ key: 'outside', value: 'not seen' });
    await admin.kv.delete.mutate({ key: 'watch/a' });
    await kv.waitFor('the delete', (e) => e.type === 'delete' && e.key === 'watch/a');
    kv.stop();
    expect(kv.events.some((e) => e.type === 'put' && e.entry.key === 'outside')).toBe(false);
    expect(kv.errors).toEqual([]);
  });

  it('streams a leadership transfer, the leader failing under kill -9, and a graceful leave', async () => {
    const members = collect<MemberEvent>((on) => admin.events.members.subscribe({ pool: 'lan' }, on));
    const leaders = collect<LeaderEvent>((on) => admin.events.leader.subscribe(undefined, on));
    const first = await leaders.waitFor('the current leader', (e) => e.previous === null && e.leader !== '');
    await members.waitFor('the member snapshot', (e) => e.type === 'snapshot');

    // Hand leadership to a chosen server.
    const raft = await admin.raft.configuration.query();
    const target = raft.servers.find((s) => !s.leader)!;
    await admin.raft.transferLeader.mutate({ id: target.id });
    await leaders.waitFor('the transfer', (e) => e.leader === target.address);
    expect((await admin.raft.configuration.query()).servers.find((s) => s.leader)?.id).toBe(target.id);
    expect(first.leader).not.toBe(target.address);

    // kill -9 the leader: a new one is elected, and the member is seen to fail.
    await agents.get(target.node)!.stop('SIGKILL');
    const next = await leaders.waitFor('a new leader', (e) => e.previous !== null && e.leader !== '' && e.leader !== target.address);
    expect(raft.servers.map((s) => s.address)).toContain(next.leader);
    await members.waitFor('the member failure', (e) => e.type === 'fail' && e.member.name === target.node);

    // Take the dead server out of Raft, then force it out of the pool.
    await admin.raft.removePeer.mutate({ id: target.id });
    expect((await admin.raft.configuration.query()).servers.map((s) => s.node).sort()).toEqual(raft.servers.map((s) => s.node).filter((n) => n !== target.node).sort());
    await admin.members.forceLeave.mutate({ node: target.node });
    await members.waitFor('the forced leave', (e) => e.type === 'leave' && e.member.name === target.node);

    // A graceful leave of c5, asked through c5's own admin API.
    await createAdminClient({ baseUrl: agents.get('c5')!.http }).members.leave.mutate();
    await members.waitFor('c5 leaving', (e) => e.type === 'leave' && e.member.name === 'c5');
    members.stop();
    leaders.stop();
    expect(members.errors).toEqual([]);
    expect(leaders.errors).toEqual([]);
  }, 60_000);
});
