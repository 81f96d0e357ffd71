import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DnsCanRead } from '../../../core/dns/catalog.ts';
import { fixtureCatalog } from '../../../core/dns/fixture.ts';
import { DnsResolver } from '../../../core/dns/resolver.ts';
import { Prng } from '../../../core/lib/prng.ts';
import { DnsServer } from '../dns-server.ts';
import { dig } from '../test-helpers.ts';
import { DnsWorkerPool } from './worker-pool.ts';

const catalog = fixtureCatalog();
let hidden = new Set<string>();
const canRead: DnsCanRead = (_kind, name) => !hidden.has(name);
const resolver = new DnsResolver({ catalog, random: new Prng(3), canRead, wallSeconds: () => 1_700_000_000 });
const server = new DnsServer({ resolver, port: 0 });
const pool = new DnsWorkerPool({ count: 1, catalog, canRead, config: {}, indexPollMs: 10 });
const dir = mkdtempSync(join(tmpdir(), 'dns-workers-'));
let port = 0;

beforeAll(async () => {
  port = await server.start();
  await pool.start([server.udpSocket!]);
}, 30_000);

afterAll(async () => {
  await pool.close();
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Blocks this (the host's) event loop for `ms`, so only the worker can take queries meanwhile. */
function blockHost(ms: number): void {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    // busy: the host reads nothing from the shared socket
  }
}

/**
 * Runs a batch of `dig` queries in a child process while the host is blocked: every query that is
 * answered during the block was answered by the worker. Returns each reply as dig prints it (header comments and answers).
 */
async function digWhileHostBlocked(names: string[], blockMs = 1500): Promise<string[]> {
  const batch = join(dir, `batch-${Math.random()}.txt`);
  writeFileSync(batch, names.map((n) => `${n}\n`).join(''));
  const child = spawn('/usr/bin/dig', ['@127.0.0.1', '-p', String(port), '+time=5', '+tries=1', '+noall', '+answer', '+comments', '-f', batch]);
  let out = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));
  await new Promise((r) => setTimeout(r, 150)); // let dig start
  blockHost(blockMs);
  await exited;
  return out.split(/;; Got answer:/).slice(1);
}

const workerQueries = async () => (await pool.stats()).reduce((n, s) => n + s.queries, 0);

describe('DNS worker processes', () => {
  it('answer on the shared UDP socket with the same records as the agent', async () => {
    await digWhileHostBlocked(['web.service.consul A']); // the worker's first read goes through the host
    const before = await workerQueries();
    const replies = await digWhileHostBlocked(Array.from({ length: 40 }, () => 'web.service.consul A'));
    expect(replies).toHaveLength(40);
    for (const r of replies) {
      expect(r).toContain('NOERROR');
      const ips = (r.match(/\b10\.0\.0\.\d\b/g) ?? []).sort();
      expect(ips).toEqual(['10.0.0.1', '10.0.0.2', '10.0.0.3']); // qux is critical: never answered
    }
    expect((await workerQueries()) - before).toBeGreaterThanOrEqual(10);
    // The host still answers too (dig from the test process, host not blocked).
    expect((await dig(port, 'foo.node.consul', 'A', '+short')).trim()).toBe('10.0.0.1');
  }, 30_000);

  it('drop cached answers when the agent catalog changes', async () => {
    await digWhileHostBlocked(['web.service.consul A']);
    catalog.setCheck('dc1', 'foo', { CheckID: 'serfHealth', Status: 'critical' });
    await new Promise((r) => setTimeout(r, 100)); // the index push (10 ms poll here)
    const replies = await digWhileHostBlocked(Array.from({ length: 10 }, () => 'web.service.consul A'));
    for (const r of replies) expect(r).not.toContain('10.0.0.1');
    catalog.setCheck('dc1', 'foo', { CheckID: 'serfHealth', Status: 'passing' });
  }, 30_000);

  it('apply the agent ACL hook to what they read, and forget answers on invalidate', async () => {
    hidden = new Set(['db']);
    pool.invalidate();
    resolver.invalidate();
    await new Promise((r) => setTimeout(r, 50));
    const [denied] = await digWhileHostBlocked(['db.service.consul A']);
    expect(denied).toContain('NXDOMAIN');
    hidden = new Set();
    pool.invalidate();
    resolver.invalidate();
    await new Promise((r) => setTimeout(r, 50));
    const [allowed] = await digWhileHostBlocked(['db.service.consul A']);
    expect(allowed).toContain('192.0.2.10');
  }, 30_000);

  it('are replaced when one dies, while the agent keeps answering', async () => {
    const pids = (pool as unknown as { workers: Set<{ child: { pid: number } }> }).workers;
    const [first] = [...pids];
    process.kill(first!.child.pid, 'SIGKILL');
    expect((await dig(port, 'foo.node.consul', 'A', '+short')).trim()).toBe('10.0.0.1');
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline && (await pool.stats()).length === 0) await new Promise((r) => setTimeout(r, 100));
    expect((await pool.stats()).length).toBe(1);
    const replies = await digWhileHostBlocked(['bar.node.consul A']);
    expect(replies[0]).toContain('10.0.0.2');
  }, 30_000);
});
