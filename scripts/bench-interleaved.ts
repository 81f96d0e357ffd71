/**
 * 1-client KV reads of our 3-server cluster and of a single-member etcd (the issue 7 reference
 * setting), measured in turn, 2 s each, round after round, so that both see the same state of a
 * shared machine (separate runs minutes apart differ by ±20% here). Prints every round and the
 * medians. Run with `npm run bench http:interleaved`; BENCH_ROUNDS sets the rounds (default 5).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentProcess } from '../server/testing/agent-process.ts';
import { b64, etcdPost, startEtcd } from './bench-etcd.ts';
import { request } from './bench-request.ts';

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

/** Requests per second one client gets from `call` in `ms`. */
async function rate(call: () => Promise<unknown>, ms: number): Promise<number> {
  let n = 0;
  const end = performance.now() + ms;
  while (performance.now() < end) {
    await call();
    n++;
  }
  return n / (ms / 1000);
}

/** Runs the interleaved cells against `servers` (a ready 3-server cluster with `bench/key` written). */
export async function interleavedReads(servers: AgentProcess[], leaderAddress: string): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-etcd1-'));
  const etcd = await startEtcd(dir, 1);
  if (!etcd) {
    console.log('etcd: not installed (apt-get install etcd-server), interleaved comparison skipped');
    return;
  }
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const etcdPort = etcd.clientPorts[0] as number;
    await etcdPost(undefined, etcdPort, '/v3/kv/put', { key: b64('bench/key'), value: b64('x'.repeat(64)) });
    const leader = servers.find((s) => leaderAddress.endsWith(`:${s.ports.server}`)) as AgentProcess;
    const follower = servers.find((s) => s !== leader) as AgentProcess;
    const ours = (s: AgentProcess, query: string) => () => request(agent, s.ports.http, 'GET', `/v1/kv/bench/key${query}`);
    const cells: Array<[string, () => Promise<unknown>]> = [
      ['ours consistent, via a follower', ours(follower, '?consistent')],
      ['ours consistent, on the leader', ours(leader, '?consistent')],
      ['ours default, via a follower', ours(follower, '')],
      ['etcd 1 member, linearizable', () => etcdPost(agent, etcdPort, '/v3/kv/range', { key: b64('bench/key') })],
    ];
    for (const [, call] of cells) await rate(call, 3000); // warm-up (V8's JIT; etcd gets it too)
    const results = cells.map((): number[] => []);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [i, [, call]] of cells.entries()) results[i]?.push(Math.round(await rate(call, 2000)));
    }
    console.log(`\n1-client KV GET, interleaved 2 s cells, ${ROUNDS} rounds (req/s per round, then the median)`);
    for (const [i, [name]] of cells.entries()) {
      const xs = results[i] ?? [];
      const median = [...xs].sort((a, b) => a - b)[xs.length >> 1];
      console.log(`${name.padEnd(34)} ${xs.map((x) => String(x).padStart(6)).join('')}   median ${median}`);
    }
  } finally {
    agent.destroy();
    etcd.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
