import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../testing/agent-process.ts';
import { runAt, spawnCli, waitFor, stopAgent } from '../cli-test-helpers.ts';

let agent: AgentProcess;
let addr: string;
const dir = mkdtempSync(join(tmpdir(), 'cli-lock-'));
const read = (f: string) => {
  try {
    return readFileSync(f, 'utf8');
  } catch {
    return '';
  }
};

beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-grpc-port', '-1']);
  addr = agent.http;
}, 40_000);
afterAll(async () => {
  await stopAgent(agent);
});

/** The largest number of children running at once, from a log of `start i` / `end i` lines. */
function maxConcurrent(log: string): number {
  let now = 0;
  let max = 0;
  for (const line of log.trim().split('\n')) {
    now += line.startsWith('start') ? 1 : -1;
    max = Math.max(max, now);
  }
  return max;
}

describe('consul lock', () => {
  it('gives two competing processes the lock one after the other, with CONSUL_LOCK_HELD set', async () => {
    const log = join(dir, 'mutex.log');
    const child = (n: string) => `echo start ${n} $CONSUL_LOCK_HELD >> ${log}; sleep 0.7; echo end ${n} >> ${log}`;
    const a = spawnCli(['lock', '-http-addr', addr, 'svc/leader', child('a')]);
    const b = spawnCli(['lock', '-http-addr', addr, 'svc/leader', child('b')]);
    const [ra, rb] = await Promise.all([a.done, b.done]);
    expect(ra.code).toBe(0);
    expect(rb.code).toBe(0);
    const lines = read(log).trim().split('\n');
    expect(lines).toHaveLength(4);
    expect(maxConcurrent(read(log))).toBe(1);
    expect(lines[0]).toMatch(/^start [ab] true$/);
    // Both finished: the .lock key was cleaned up and no session is left behind.
    const kv = await fetch(`${addr}/v1/kv/svc/leader/.lock`);
    expect(kv.status).toBe(404);
    expect(await (await fetch(`${addr}/v1/session/list`)).json()).toEqual([]);
  }, 30_000);

  it('gives up after -timeout while another process holds the lock', async () => {
    const holder = spawnCli(['lock', '-http-addr', addr, 'svc/busy', 'exec sleep 3']);
    await waitFor(async () => (await fetch(`${addr}/v1/kv/svc/busy/.lock`)).status === 200);
    const r = await runAt(addr, 'lock', '-timeout', '300ms', 'svc/busy', 'true');
    expect(r).toEqual({ code: 1, out: '', err: 'Shutdown triggered or timeout during lock acquisition\n' });
    holder.proc.kill('SIGINT');
    await holder.done;
  }, 30_000);

  it('kills the child with SIGTERM when the lock is lost (session destroyed)', async () => {
    const marker = join(dir, 'lost.log');
    const p = spawnCli(['lock', '-http-addr', addr, '-verbose', 'svc/lost', `echo running >> ${marker}; exec sleep 30`]);
    await waitFor(() => read(marker).includes('running'));
    const raw = await (await fetch(`${addr}/v1/kv/svc/lost/.lock`)).text();
    // api.LockFlagValue, exact (it exceeds 2^53, so compare the JSON text).
    expect(raw).toMatch(/"Flags": ?3304740253564472344\b/);
    const [pair] = JSON.parse(raw) as { Session: string }[];
    await fetch(`${addr}/v1/session/destroy/${pair!.Session}`, { method: 'PUT' });
    const r = await p.done;
    expect(r.code).toBe(0);
    expect(r.out).toContain('Lock lost, killing child\n');
    expect(r.out).toMatch(/Terminating child pid \d+\nChild terminated\n/);
    expect(r.err).toBe('Error running handler: signal: terminated\n');
  }, 30_000);

  it('with -n 2 lets at most two of three contenders run at once (semaphore)', async () => {
    const log = join(dir, 'sem.log');
    const procs = ['1', '2', '3'].map((n) => spawnCli(['lock', '-http-addr', addr, '-n', '2', 'svc/pool', `echo start ${n} >> ${log}; sleep 0.8; echo end ${n} >> ${log}`]));
    const results = await Promise.all(procs.map((p) => p.done));
    expect(results.map((r) => r.code)).toEqual([0, 0, 0]);
    expect(read(log).trim().split('\n')).toHaveLength(6);
    expect(maxConcurrent(read(log))).toBe(2);
    const left = await fetch(`${addr}/v1/kv/svc/pool?recurse`);
    expect(left.status).toBe(404);
  }, 30_000);

  it('refuses a lock key used with different flags', async () => {
    await fetch(`${addr}/v1/kv/svc/other/.lock`, { method: 'PUT', body: 'x' });
    const r = await runAt(addr, 'lock', 'svc/other', 'true');
    expect(r).toEqual({ code: 1, out: '', err: 'Lock acquisition failed: Existing key does not match lock use\n' });
    expect((await runAt(addr, 'lock', 'svc/only-prefix')).err).toBe('Key prefix and child command must be specified\n');
  }, 30_000);
});

describe('consul watch', () => {
  it('prints the current value as indented JSON without a handler', async () => {
    await fetch(`${addr}/v1/kv/w/one`, { method: 'PUT', body: 'v' });
    const r = await runAt(addr, 'watch', '-type', 'key', '-key', 'w/one');
    expect(r.code).toBe(0);
    const obj = JSON.parse(r.out);
    expect(Object.keys(obj)).toEqual(['Key', 'CreateIndex', 'ModifyIndex', 'LockIndex', 'Flags', 'Value', 'Session']);
    expect(obj).toMatchObject({ Key: 'w/one', Flags: 0, Value: 'dg==', Session: '' });
    expect(r.out).toMatch(/^\{\n {4}"Key": "w\/one",\n/);
    const s = await runAt(addr, 'watch', '-type', 'services');
    expect(JSON.parse(s.out)).toEqual({ consul: [] });
    expect((await runAt(addr, 'watch', '-type', 'key')).err).toBe('Must specify a single key to watch\n');
    expect((await runAt(addr, 'watch', '-type', 'bogus')).err).toBe('Unsupported watch type: bogus\n');
    expect((await runAt(addr, 'watch')).err).toBe('Must specify watch type\n');
  });

  it('runs a handler script on the first result and on each change, with the JSON on stdin and CONSUL_INDEX', async () => {
    const out = join(dir, 'handler.log');
    const script = join(dir, 'handler.sh');
    writeFileSync(script, `#!/bin/sh\nprintf '%s ' "$CONSUL_INDEX" >> ${out}\ncat >> ${out}\n`);
    chmodSync(script, 0o755);
    const w = spawnCli(['watch', '-http-addr', addr, '-type', 'keyprefix', '-prefix', 'wp/', script]);
    await waitFor(() => read(out).split('\n').length >= 2);
    await fetch(`${addr}/v1/kv/wp/a`, { method: 'PUT', body: '1' });
    await waitFor(() => read(out).split('\n').length >= 3);
    await fetch(`${addr}/v1/kv/unrelated`, { method: 'PUT', body: '1' });
    await fetch(`${addr}/v1/kv/wp/b`, { method: 'PUT', body: '2' });
    await waitFor(() => read(out).split('\n').length >= 4);
    w.proc.kill('SIGINT');
    expect((await w.done).code).toBe(0);
    const calls = read(out).trim().split('\n');
    // The unrelated write changed the index but not the result: no call for it.
    expect(calls).toHaveLength(3);
    const parsed = calls.map((l) => ({ index: Number(l.slice(0, l.indexOf(' '))), data: JSON.parse(l.slice(l.indexOf(' ') + 1)) as { Key: string }[] }));
    expect(parsed.map((c) => c.data.map((p) => p.Key))).toEqual([[], ['wp/a'], ['wp/a', 'wp/b']]);
    expect(parsed[2]!.index).toBeGreaterThan(parsed[1]!.index);
  }, 30_000);

  it('stops with exit 1 when the handler fails', async () => {
    const r = await spawnCli(['watch', '-http-addr', addr, '-type', 'nodes', 'cat > /dev/null; exit 3']).done;
    expect(r).toMatchObject({ code: 1, err: 'Error executing handler: exit status 3\n' });
  }, 30_000);
});
