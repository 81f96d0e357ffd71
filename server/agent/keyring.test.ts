import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runAt } from '../cli/cli-test-helpers.ts';
import { type AgentProcess, freeAgentPorts, startAgentProcess } from '../testing/agent-process.ts';
import { until } from '../testing/until.ts';

// Gossip encryption and key rotation on a datacenter of real agent processes (three servers on
// 127.0.0.11-13), driven through `consul keyring` as an operator would.
const K1 = 'pUqJrVyVRj5jsiYEkM/tFQYfWyJIv4s3XkvDwy7Cu5s=';
const K2 = 'HS5lJ+XuTlYKWaeGYyG+/A==';
const WRONG = 'T9jncgl9mbLus+baTTa7q7nPSUrXwbDi2dhbtqir37s=';
const dataRoot = mkdtempSync(join(tmpdir(), 'consul-keyring-'));
const agents = new Map<string, AgentProcess>();
afterAll(async () => {
  await Promise.all([...agents.values()].map((a) => a.stop('SIGKILL')));
  rmSync(dataRoot, { recursive: true, force: true });
});

const FAST = ['-hcl', 'performance { raft_multiplier = 1 }', '-retry-interval', '1s'];
const ip = (n: number) => `127.0.0.${10 + n}`;


interface Member {
  Name: string;
  Status: number;
}

describe('gossip encryption and keyring rotation on 3 real servers', () => {
  let ports: AgentProcess['ports'];
  const serverArgs = (n: number, encrypt = K1) => [
    '-server', '-bootstrap-expect', '3', '-node', `s${n}`, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, `s${n}`),
    '-retry-join', `${ip(1)}:${ports.serfLan}`, ...(encrypt ? ['-encrypt', encrypt] : []), ...FAST,
  ];
  const members = async (a: AgentProcess): Promise<Member[]> => (await fetch(`${a.http}/v1/agent/members`)).json();
  const failures: string[] = [];
  let watching = true;

  it('forms an encrypted datacenter and writes the keyring files', async () => {
    ports = await freeAgentPorts();
    const started = await Promise.all([1, 2, 3].map((n) => startAgentProcess(serverArgs(n), ip(n), false, ports)));
    for (const [i, a] of started.entries()) agents.set(`s${i + 1}`, a);
    const s1 = agents.get('s1')!;
    await until('three alive members', async () => ((await members(s1)).filter((m) => m.Status === 1).length === 3 ? true : undefined));
    await until('a leader', async () => ((await (await fetch(`${s1.http}/v1/status/leader`)).json()) || undefined));
    for (const n of [1, 2, 3]) {
      expect(JSON.parse(readFileSync(join(dataRoot, `s${n}`, 'serf', 'local.keyring'), 'utf8'))).toEqual([K1]);
      expect(existsSync(join(dataRoot, `s${n}`, 'serf', 'remote.keyring'))).toBe(true);
    }
    // From now on, no member may ever be seen as anything but alive.
    void (async () => {
      while (watching) {
        for (const a of agents.values()) {
          try {
            for (const m of await members(a)) if (m.Status !== 1) failures.push(`${m.Name} status ${m.Status}`);
          } catch {
            // an agent being restarted
          }
        }
        await new Promise((r) => setTimeout(r, 250));
      }
    })();
    const info = await runAt(s1.http, 'info');
    expect(info.out).toMatch(/serf_lan:\n(\t.*\n)*?\tencrypted = true\n/);
    expect(info.out).toMatch(/serf_wan:\n(\t.*\n)*?\tencrypted = true\n/);
    const list = await (await fetch(`${s1.http}/v1/operator/keyring`)).json();
    const lan = list.find((r: { WAN: boolean }) => !r.WAN);
    expect(lan).toMatchObject({ WAN: false, Datacenter: 'dc1', Segment: '', Keys: { [K1]: 3 }, PrimaryKeys: { [K1]: 3 }, NumNodes: 3 });
    expect(list[0].WAN).toBe(true);
  }, 120_000);

  it('rotates the key with consul keyring (install, use, remove) and no member fails', async () => {
    const s1 = agents.get('s1')!;
    const s2 = agents.get('s2')!;
    const s3 = agents.get('s3')!;
    const install = await runAt(s1.http, 'keyring', '-install', K2);
    expect(install).toMatchObject({ code: 0, out: '==> Installing new gossip encryption key...\n' });
    const listed = await runAt(s2.http, 'keyring', '-list');
    expect(listed.code).toBe(0);
    expect(listed.out).toContain('==> Gathering installed encryption keys...\n');
    expect(listed.out).toContain(`dc1 (LAN):\n`);
    expect(listed.out).toContain(`  ${K1} [3/3]\n`);
    expect(listed.out).toContain(`  ${K2} [3/3]\n`);
    const primary = await runAt(s3.http, 'keyring', '-list-primary', '-local-only');
    expect(primary).toMatchObject({ code: 0, out: `==> Gathering installed primary encryption keys...\n\ndc1 (LAN):\n  ${K1} [3/3]\n` });
    expect(await runAt(s1.http, 'keyring', '-use', K2)).toMatchObject({ code: 0, out: '==> Changing primary gossip encryption key...\n' });
    // Gossip keeps flowing under the new primary while the old key is still accepted.
    expect(await (await fetch(`${s2.http}/v1/kv/rotated`, { method: 'PUT', body: 'k2' })).json()).toBe(true);
    const removePrimary = await runAt(s1.http, 'keyring', '-remove', K2);
    expect(removePrimary.code).toBe(1);
    expect(removePrimary.err).toContain('dc1 (LAN) error: 3/3 nodes reported failure');
    expect(removePrimary.err).toContain('s1: Removing the primary key is not allowed');
    expect(await runAt(s1.http, 'keyring', '-remove', K1)).toMatchObject({ code: 0, out: '==> Removing gossip encryption key...\n' });
    const res = await (await fetch(`${s1.http}/v1/operator/keyring`)).json();
    for (const r of res) expect(r.PrimaryKeys).toEqual({ [K2]: r.NumNodes });
    expect(res.find((r: { WAN: boolean }) => !r.WAN)).toMatchObject({ Keys: { [K2]: 3 }, NumNodes: 3 });
    for (const n of [1, 2, 3]) expect(JSON.parse(readFileSync(join(dataRoot, `s${n}`, 'serf', 'local.keyring'), 'utf8'))).toEqual([K2]);
    // Give the failure detector time to act on anything the rotation broke.
    await new Promise((r) => setTimeout(r, 3000));
    expect((await members(s2)).filter((m) => m.Status === 1)).toHaveLength(3);
    expect(failures).toEqual([]);
  }, 120_000);

  it('restarts a server from its keyring file in preference to -encrypt', async () => {
    await agents.get('s3')!.stop('SIGINT');
    agents.delete('s3');
    watching = false;
    const s3 = await startAgentProcess(serverArgs(3, K1), ip(3), false, ports);
    agents.set('s3', s3);
    expect(s3.output()).toContain("keyring doesn't include key provided with -encrypt, using keyring");
    // s3 keeps no member list across restarts: it sees the others only once it rejoined with K2.
    await until('s3 back in the pool', async () => ((await members(s3)).filter((m) => m.Status === 1).length === 3 ? true : undefined));
    expect(JSON.parse(readFileSync(join(dataRoot, 's3', 'serf', 'local.keyring'), 'utf8'))).toEqual([K2]);
  }, 120_000);

  it('keeps out a node with the wrong key', async () => {
    const intruder = await startAgentProcess(['-server', '-bootstrap', '-node', 'intruder', '-bind', ip(4), '-client', ip(4), '-data-dir', join(dataRoot, 'c4'), '-encrypt', WRONG, '-retry-join', `${ip(1)}:${ports.serfLan}`, ...FAST], ip(4), false, ports);
    agents.set('c4', intruder);
    await until('join attempts to fail', async () => (intruder.output().includes('Join cluster failed') ? true : undefined));
    await new Promise((r) => setTimeout(r, 2000));
    expect((await members(intruder)).map((m) => m.Name)).toEqual(['intruder']);
    expect((await members(agents.get('s1')!)).map((m) => m.Name).sort()).toEqual(['s1', 's2', 's3']);
  }, 120_000);
});

describe('encrypt_verify_incoming / encrypt_verify_outgoing', () => {
  it('false/false lets an encrypted agent and a plaintext one share a pool; a strict agent stays out', async () => {
    const p = await freeAgentPorts();
    const common = (n: number, name: string) => ['-node', name, '-bind', ip(n), '-client', ip(n), '-data-dir', join(dataRoot, name), ...FAST];
    const migrating = await startAgentProcess(
      ['-server', '-bootstrap', ...common(5, 'migrating'), '-encrypt', K1, '-hcl', 'encrypt_verify_incoming = false', '-hcl', 'encrypt_verify_outgoing = false'],
      ip(5),
      true,
      p,
    );
    agents.set('migrating', migrating);
    const plain = await startAgentProcess([...common(6, 'plain'), '-retry-join', `${ip(5)}:${p.serfLan}`], ip(6), false, p);
    agents.set('plain', plain);
    await until('the plaintext agent to join', async () => {
      const ms: Member[] = await (await fetch(`${migrating.http}/v1/agent/members`)).json();
      return ms.filter((m) => m.Status === 1).length === 2 ? true : undefined;
    });
    expect((await (await fetch(`${plain.http}/v1/agent/self`)).json()).Stats.serf_lan.encrypted).toBe('false');
    const strict = await startAgentProcess(['-server', '-bootstrap', ...common(7, 'strict'), '-encrypt', K1, '-retry-join', `${ip(5)}:${p.serfLan}`], ip(7), false, p);
    agents.set('strict', strict);
    await until('the strict agent to fail to join', async () => (strict.output().includes('Join cluster failed') ? true : undefined));
    const ms: Member[] = await (await fetch(`${strict.http}/v1/agent/members`)).json();
    expect(ms.map((m) => m.Name)).toEqual(['strict']);
  }, 120_000);
});
