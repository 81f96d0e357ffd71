import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../../testing/agent-process.ts';
import { runAt, runCli, stopAgent } from '../../cli-test-helpers.ts';

// Commands whose endpoints (/v1/snapshot, /v1/event, /v1/operator/autopilot/state) come with the
// HTTP API issue: each test skips itself, saying so, while the agent answers 404 for its endpoint.
let agent: AgentProcess;
let addr: string;
const dir = mkdtempSync(join(tmpdir(), 'cli-snap-agent-'));
const has = async (path: string) => (await fetch(`${addr}${path}`)).status !== 404;

beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-grpc-port', '-1', '-node', 'snap-node']);
  addr = agent.http;
}, 40_000);
afterAll(async () => {
  await stopAgent(agent);
});

describe('snapshot, event and autopilot state against a real agent', () => {
  it('saves a snapshot, and after a wipe restores it to the same KV contents', async (ctx) => {
    if (!(await has('/v1/snapshot'))) ctx.skip();
    for (const [k, v] of [
      ['app/config', '{"x":1}'],
      ['app/flag', 'on'],
      ['other', 'z'],
    ] as const) {
      await runAt(addr, 'kv', 'put', k, v);
    }
    const before = (await runAt(addr, 'kv', 'export')).out;
    const file = join(dir, 'backup.snap');
    const saved = await runAt(addr, 'snapshot', 'save', file);
    expect(saved.code).toBe(0);
    expect(saved.out).toMatch(/^Saved and verified snapshot to index \d+\n$/);
    const index = /index (\d+)/.exec(saved.out)![1];
    const inspect = await runCli('snapshot', 'inspect', file);
    expect(inspect.out).toContain(` Index         ${index}\n Datacenter    dc1\n`);
    expect((await runAt(addr, 'kv', 'delete', '-recurse', '')).code).toBe(0);
    await runAt(addr, 'kv', 'put', 'written/after', 'snapshot');
    expect((await runAt(addr, 'kv', 'export')).out).not.toBe(before);
    expect(await runAt(addr, 'snapshot', 'restore', file)).toEqual({ code: 0, out: 'Restored snapshot\n', err: '' });
    expect((await runAt(addr, 'kv', 'export')).out).toBe(before);
  });

  it('refuses a corrupt snapshot and restores nothing', async (ctx) => {
    if (!(await has('/v1/snapshot'))) ctx.skip();
    const file = join(dir, 'good.snap');
    expect((await runAt(addr, 'snapshot', 'save', file)).code).toBe(0);
    const bytes = readFileSync(file);
    bytes[bytes.length - 20]! ^= 0xff;
    const bad = join(dir, 'bad.snap');
    writeFileSync(bad, bytes);
    await runAt(addr, 'kv', 'put', 'kept', 'yes');
    const r = await runAt(addr, 'snapshot', 'restore', bad);
    expect(r).toEqual({ code: 1, out: '', err: 'Error verifying snapshot file: snapshot file checksum mismatch\n' });
    expect((await runAt(addr, 'kv', 'get', 'kept')).out).toBe('yes\n');
    // Sent anyway (bypassing the CLI's check), the agent refuses it too.
    const put = await fetch(`${addr}/v1/snapshot`, { method: 'PUT', body: bytes });
    expect(put.status).toBe(400);
    expect((await runAt(addr, 'kv', 'get', 'kept')).out).toBe('yes\n');
  });

  it('fires an event and a watch of type event sees it', async (ctx) => {
    if (!(await has('/v1/event/list'))) ctx.skip();
    const fired = await runAt(addr, 'event', '-name', 'deploy', 'v42');
    expect(fired.code).toBe(0);
    const id = /^Event ID: ([0-9a-f-]{36})\n$/.exec(fired.out)![1];
    const w = await runAt(addr, 'watch', '-type', 'event', '-name', 'deploy');
    const events = JSON.parse(w.out) as { ID: string; Name: string; Payload: string }[];
    expect(events.map((e) => e.ID)).toContain(id);
    expect(Buffer.from(events.find((e) => e.ID === id)!.Payload, 'base64').toString()).toBe('v42');
    expect((await runAt(addr, 'event')).err).toBe('Event name must be specified\n');
    expect((await runAt(addr, 'event', '-name', 'x', '-tag', 'a')).err).toBe('Cannot provide tag filter without service filter.\n');
  });

  it('operator autopilot state prints the leader among the voters', async (ctx) => {
    if (!(await has('/v1/operator/autopilot/state'))) ctx.skip();
    const r = await runAt(addr, 'operator', 'autopilot', 'state');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^Healthy: +true\nFailure Tolerance: +0\nOptimistic Failure Tolerance: +0\nLeader: +(\S+)\nVoters:\n {3}\1\nServers:\n {3}\1\n {6}Name: +snap-node\n/);
  });

  it('exec without agents allowing remote execution reports 0 / 0 and leaves nothing behind', async (ctx) => {
    if (!(await has('/v1/event/list'))) ctx.skip();
    const r = await runAt(addr, 'exec', '-wait', '300ms', 'uptime');
    expect(r).toEqual({ code: 0, out: '0 / 0 node(s) completed / acknowledged\n', err: '' });
    expect((await fetch(`${addr}/v1/kv/_rexec?recurse`)).status).toBe(404);
    expect(await (await fetch(`${addr}/v1/session/list`)).json()).toEqual([]);
  });
});
