/**
 * etcd as the comparison peer for the agent and HTTP benchmarks (Debian's etcd-server): starts a
 * local cluster of 1 or 3 members on loopback, speaks its v3 JSON gateway, and says which member
 * leads. Prints nothing; returns undefined when `etcd` is not installed.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import type http from 'node:http';
import { join } from 'node:path';
import { freePort } from '../server/testing/agent-process.ts';
import { type Reply, request } from './bench-request.ts';

/** A running etcd cluster. */
export interface Etcd {
  procs: ChildProcess[];
  clientPorts: number[];
  stop(): void;
}

export const b64 = (s: string): string => Buffer.from(s).toString('base64');

/** One JSON POST to the v3 gateway. */
export function etcdPost(agent: http.Agent | undefined, port: number, path: string, body: unknown, timeoutMs = 5000): Promise<Reply> {
  return request(agent, port, 'POST', path, JSON.stringify(body), timeoutMs);
}

/** Starts `members` etcd members (default 3) with data dirs under `dir`; resolves once all serve writes. */
export async function startEtcd(dir: string, members = 3): Promise<Etcd | undefined> {
  if (spawnSync('etcd', ['--version']).status !== 0) return undefined;
  const names = Array.from({ length: members }, (_, i) => `e${i + 1}`);
  const peer = await Promise.all(names.map(() => freePort()));
  const client = await Promise.all(names.map(() => freePort()));
  const initial = names.map((n, i) => `${n}=http://127.0.0.1:${peer[i]}`).join(',');
  const procs = names.map((n, i) =>
    spawn('etcd', [
      '--name', n, '--data-dir', join(dir, n),
      '--listen-peer-urls', `http://127.0.0.1:${peer[i]}`, '--initial-advertise-peer-urls', `http://127.0.0.1:${peer[i]}`,
      '--listen-client-urls', `http://127.0.0.1:${client[i]}`, '--advertise-client-urls', `http://127.0.0.1:${client[i]}`,
      '--initial-cluster', initial, '--initial-cluster-state', 'new', '--log-level', 'error',
    ], { stdio: 'ignore' }),
  );
  const deadline = Date.now() + 60_000;
  for (const port of client) {
    for (;;) {
      const ok = await etcdPost(undefined, port, '/v3/kv/put', { key: b64('ready'), value: b64('x') }).then((r) => r.status === 200, () => false);
      if (ok) break;
      if (Date.now() > deadline) {
        for (const p of procs) p.kill('SIGKILL');
        throw new Error('etcd did not start');
      }
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  return { procs, clientPorts: client, stop: () => {
      for (const p of procs) p.kill('SIGKILL');
    },
  };
}

/** Whether the member serving `port` is the leader (v3 maintenance status). */
export async function etcdIsLeader(port: number): Promise<boolean> {
  const st = JSON.parse((await etcdPost(undefined, port, '/v3/maintenance/status', {})).body) as { header?: { member_id?: string }; leader?: string };
  return st.leader !== undefined && st.leader === st.header?.member_id;
}
