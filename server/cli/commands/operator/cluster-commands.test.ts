import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, freeAgentPorts, startAgentProcess } from '../../../testing/agent-process.ts';
import { runAt, waitFor } from '../../cli-test-helpers.ts';

// Three real server processes on 127.0.0.1-3 (same port numbers), joined with retry-join and
// bootstrap-expect 3: the operator and membership commands where a cluster matters.
const dataRoot = mkdtempSync(join(tmpdir(), 'cli-cluster-'));
const ip = (n: number) => `127.0.0.${n}`;
const servers: AgentProcess[] = [];
let ports: AgentProcess['ports'];
const at = (n: number) => servers[n - 1]!.http;

beforeAll(async () => {
  ports = await freeAgentPorts();
  const args = (n: number) => ['-server', '-bootstrap-expect', '3', '-node', `s${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, `s${n}`), '-retry-join', `${ip(1)}:${ports.serfLan}`, '-retry-interval', '1s', '-hcl', 'performance { raft_multiplier = 1 }'];
  servers.push(...(await Promise.all([1, 2, 3].map((n) => startAgentProcess(args(n), ip(n), true, ports)))));
}, 90_000);
afterAll(async () => {
  // A server killed by a test has exitCode null but a signalCode: stop() would wait for it forever.
  await Promise.all(servers.filter((s) => s.proc.exitCode === null && s.proc.signalCode === null).map((s) => s.stop('SIGKILL')));
  rmSync(dataRoot, { recursive: true, force: true });
});

interface Peer {
  node: string;
  id: string;
  address: string;
  state: string;
  voter: string;
}

async function peers(n: number): Promise<Peer[]> {
  const r = await runAt(at(n), 'operator', 'raft', 'list-peers');
  expect(r.code).toBe(0);
  const [header, ...rows] = r.out.trimEnd().split('\n');
  expect(header).toMatch(/^Node +ID +Address +State +Voter +RaftProtocol +Commit Index +Trails Leader By$/);
  return rows.map((row) => {
    const [node, id, address, state, voter] = row.split(/ {2,}/);
    return { node: node!, id: id!, address: address!, state: state!, voter: voter! };
  });
}

/** list-peers for polling: undefined while the cluster has no leader (a transfer or an election). */
async function quietPeers(n: number): Promise<Peer[] | undefined> {
  const r = await runAt(at(n), 'operator', 'raft', 'list-peers');
  if (r.code !== 0) return undefined;
  return r.out
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((row) => {
      const [node, id, address, state, voter] = row.split(/ {2,}/);
      return { node: node!, id: id!, address: address!, state: state!, voter: voter! };
    });
}

describe('commands against a 3-server cluster', () => {
  it('members lists the three servers, sorted, with Consul’s columns', async () => {
    await waitFor(async () => (await runAt(at(1), 'members')).out.split('\n').filter((l) => l.includes(' alive ')).length === 3, 20_000);
    const r = await runAt(at(2), 'members');
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Node +Address +Status +Type +Build +Protocol +DC +Partition +Segment$/);
    expect(lines.slice(1).map((l) => l.split(/ +/).slice(0, 4).join(' '))).toEqual([1, 2, 3].map((n) => `s${n} ${ip(n)}:${ports.serfLan} alive server`));
  });

  it('operator raft list-peers shows one leader and two followers, all voters', async () => {
    const list = await peers(1);
    expect(list.map((p) => p.address).sort()).toEqual([1, 2, 3].map((n) => `${ip(n)}:${ports.server}`));
    expect(list.filter((p) => p.state === 'leader')).toHaveLength(1);
    expect(list.filter((p) => p.state === 'follower')).toHaveLength(2);
    expect(list.every((p) => p.voter === 'true')).toBe(true);
    const stale = await runAt(at(3), 'operator', 'raft', 'list-peers', '-stale');
    expect(stale.code).toBe(0);
  });

  it('operator raft transfer-leader moves leadership to the given server', async () => {
    const before = await peers(1);
    const target = before.find((p) => p.state === 'follower')!;
    // A transfer can be refused while the target is still catching up: allow a retry.
    let r = await runAt(at(1), 'operator', 'raft', 'transfer-leader', '-id', target.id);
    for (let i = 0; i < 3 && r.code !== 0; i++) {
      await new Promise((res) => setTimeout(res, 500));
      r = await runAt(at(1), 'operator', 'raft', 'transfer-leader', '-id', target.id);
    }
    expect(r).toEqual({ code: 0, out: 'Success\n', err: '' });
    await waitFor(async () => (await quietPeers(1))?.find((p) => p.state === 'leader')?.id === target.id, 20_000);
  }, 30_000);

  it('operator raft remove-peer removes a dead server from the configuration', async () => {
    const list = await peers(1);
    // Stop a follower that is not s1 (s1 is the server we query).
    const victim = list.find((p) => p.state === 'follower' && p.address !== `${ip(1)}:${ports.server}`)!;
    const n = Number(victim.address.split(':')[0]!.split('.')[3]);
    await servers[n - 1]!.stop('SIGKILL');
    const r = await runAt(at(1), 'operator', 'raft', 'remove-peer', '-id', victim.id);
    expect(r).toEqual({ code: 0, out: `Removed peer with id "${victim.id}"\n`, err: '' });
    await waitFor(async () => (await quietPeers(1))?.length === 2, 20_000);
    expect((await peers(1)).map((p) => p.id)).not.toContain(victim.id);
    const both = await runAt(at(1), 'operator', 'raft', 'remove-peer', '-id', 'x', '-address', 'y');
    expect(both).toEqual({ code: 1, out: '', err: 'Error removing peer: cannot give both an address and id\n' });
  }, 40_000);
});
