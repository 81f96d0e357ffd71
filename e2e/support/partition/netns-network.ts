/**
 * Agents in network namespaces: each agent gets its own namespace with one veth whose peer sits on
 * a bridge in the test's namespace, and its own IP on a private /24 that exists only on that bridge
 * (no uplink, no forwarding: nothing leaves the machine). The test process reaches every agent
 * through the bridge's own address.
 *
 * A cut from A to B is a permanent neighbour entry in A's namespace that maps B's IP to a MAC no
 * port has: A's frames to B are silently dropped by the bridge's port B (wrong destination MAC), so
 * B never hears from A and A sees timeouts, as on a real network. It needs only iproute2 (this
 * container's kernel has no tc actions and no iptables); healing deletes the entry and ARP resumes.
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { AgentPorts, AgentSlot, PartitionNetwork } from './network.ts';

const run = promisify(execFile);
const BLACKHOLE_MAC = '02:00:00:00:00:00';
/** Where live networks are recorded, so that a later run removes what a killed run left behind. */
const REGISTRY = join(tmpdir(), 'consul-partition-netns');
/** Consul's default ports: every agent has its own namespace, so they never collide. */
const PORTS: AgentPorts = { http: 8500, dns: 8600, serfLan: 8301, serfWan: 8302, server: 8300 };

async function ip(...args: string[]): Promise<string> {
  const { stdout } = await run('ip', args, { timeout: 10_000 });
  return stdout;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Deletes namespaces and bridges recorded by runs whose process is gone. */
async function sweepLeftovers(): Promise<void> {
  mkdirSync(REGISTRY, { recursive: true });
  for (const id of readdirSync(REGISTRY)) {
    const rec = JSON.parse(readFileSync(join(REGISTRY, id), 'utf8')) as { pid: number; count: number };
    if (alive(rec.pid)) continue;
    for (let n = 1; n <= rec.count; n++) await ip('netns', 'del', `${id}n${n}`).catch(() => {});
    await ip('link', 'del', `${id}br`).catch(() => {});
    rmSync(join(REGISTRY, id), { force: true });
  }
}

/** A /24 in 10.213.0.0/16 that no interface of this namespace uses yet. */
async function freeSubnet(): Promise<string> {
  const used = await ip('-4', '-o', 'addr');
  for (let i = 0; i < 200; i++) {
    const third = 1 + ((randomBytes(1)[0]! + i) % 250);
    const prefix = `10.213.${third}.`;
    if (!used.includes(prefix)) return prefix;
  }
  throw new Error('no free 10.213.x.0/24 subnet');
}

export class NetnsNetwork implements PartitionNetwork {
  readonly kind = 'netns';
  readonly ports = PORTS;
  private readonly cutSet = new Set<string>();

  private constructor(
    private readonly id: string,
    private readonly prefix: string,
    private readonly count: number,
  ) {}

  get description(): string {
    return `network namespaces ${this.id}n1..${this.count} on bridge ${this.id}br, ${this.prefix}0/24 (test host ${this.prefix}254); cuts are blackhole neighbour entries`;
  }

  /**
   * Builds the namespaces, or returns the reason the machine does not allow it (not root, no
   * CAP_SYS_ADMIN/NET_ADMIN, no iproute2), leaving nothing behind.
   */
  static async create(count: number): Promise<NetnsNetwork | string> {
    if (process.platform !== 'linux') return 'not Linux';
    try {
      await sweepLeftovers();
    } catch (e) {
      return `cannot use ip netns: ${(e as Error).message}`;
    }
    const id = `cp${randomBytes(2).toString('hex')}`;
    let prefix = '';
    try {
      prefix = await freeSubnet();
    } catch (e) {
      return `iproute2 unusable: ${(e as Error).message}`;
    }
    const net = new NetnsNetwork(id, prefix, count);
    writeFileSync(join(REGISTRY, id), JSON.stringify({ pid: process.pid, count }));
    try {
      await net.build();
      return net;
    } catch (e) {
      await net.destroy();
      return `network namespaces unavailable: ${(e as Error).message.split('\n')[0]}`;
    }
  }

  private ns(n: number): string {
    return `${this.id}n${n}`;
  }

  private ipOf(n: number): string {
    return `${this.prefix}${n}`;
  }

  private async build(): Promise<void> {
    const br = `${this.id}br`;
    await ip('link', 'add', br, 'type', 'bridge');
    await ip('addr', 'add', `${this.prefix}254/24`, 'dev', br);
    await ip('link', 'set', br, 'up');
    for (let n = 1; n <= this.count; n++) {
      const ns = this.ns(n);
      const veth = `${this.id}v${n}`;
      await ip('netns', 'add', ns);
      await ip('link', 'add', veth, 'type', 'veth', 'peer', 'name', 'eth0', 'netns', ns);
      await ip('link', 'set', veth, 'master', br, 'up');
      await ip('-n', ns, 'addr', 'add', `${this.ipOf(n)}/24`, 'dev', 'eth0');
      await ip('-n', ns, 'link', 'set', 'eth0', 'up');
      await ip('-n', ns, 'link', 'set', 'lo', 'up');
    }
  }

  slot(n: number): AgentSlot {
    const addr = this.ipOf(n);
    return { bindIp: addr, advertiseIp: addr, httpIp: addr, wrap: ['ip', 'netns', 'exec', this.ns(n)] };
  }

  async cut(from: number, to: number): Promise<void> {
    await ip('-n', this.ns(from), 'neigh', 'replace', this.ipOf(to), 'lladdr', BLACKHOLE_MAC, 'dev', 'eth0', 'nud', 'permanent');
    this.cutSet.add(`${from}->${to}`);
  }

  async heal(): Promise<void> {
    for (const c of this.cutSet) {
      const [from, to] = c.split('->').map(Number) as [number, number];
      await ip('-n', this.ns(from), 'neigh', 'del', this.ipOf(to), 'dev', 'eth0').catch(() => {});
    }
    this.cutSet.clear();
  }

  cuts(): string[] {
    return [...this.cutSet];
  }

  async destroy(): Promise<void> {
    for (let n = 1; n <= this.count; n++) await ip('netns', 'del', this.ns(n)).catch(() => {});
    await ip('link', 'del', `${this.id}br`).catch(() => {});
    rmSync(join(REGISTRY, this.id), { force: true });
  }
}
