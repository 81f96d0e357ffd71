/**
 * A datacenter of real `consul agent` processes for partition tests: servers s1..s3
 * (`-bootstrap-expect 3`) and clients c4, c5, each on its own slot of a PartitionNetwork, with
 * on-disk data dirs (a killed server restarts from its own). Keeps every agent's output, including
 * the outputs of processes it restarted, for the failure attachments.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PartitionNetwork } from './network.ts';

const CLI = join(import.meta.dirname, '..', '..', '..', 'server', 'cli', 'consul.js');
/** Fast Raft timers (as `consul agent -dev`) and quick join retries. */
const FAST = ['-hcl', 'performance { raft_multiplier = 1 }', '-retry-interval', '1s', '-log-level', 'debug'];

export interface RealAgent {
  readonly name: string;
  readonly n: number;
  readonly server: boolean;
  /** `http://ip:port` of its HTTP API. */
  readonly http: string;
  /** `ip:port` of its server RPC address (what `/v1/status/leader` names), servers only. */
  readonly rpcAddr: string;
  proc: ChildProcess;
  log: string;
}

export class RealCluster {
  readonly agents = new Map<string, RealAgent>();
  private readonly dataRoot = mkdtempSync(join(tmpdir(), 'consul-partition-'));

  constructor(
    readonly net: PartitionNetwork,
    readonly extraArgs: (name: string) => string[] = () => [],
  ) {}

  get servers(): RealAgent[] {
    return [...this.agents.values()].filter((a) => a.server);
  }

  agent(name: string): RealAgent {
    const a = this.agents.get(name);
    if (!a) throw new Error(`no agent ${name}`);
    return a;
  }

  /** The agent whose server RPC address is `addr` (`ip:port`), if any. */
  byRpcAddr(addr: string): RealAgent | undefined {
    return this.servers.find((a) => a.rpcAddr === addr);
  }

  private args(name: string, n: number): string[] {
    const slot = this.net.slot(n);
    const p = this.net.ports;
    const server = name.startsWith('s');
    const join1 = `${this.net.slot(1).advertiseIp}:${p.serfLan}`;
    return [
      'agent',
      ...(server ? ['-server', '-bootstrap-expect', '3'] : []),
      '-node', name,
      '-datacenter', 'dc1',
      '-bind', slot.bindIp,
      '-advertise', slot.advertiseIp,
      '-client', slot.bindIp,
      '-data-dir', join(this.dataRoot, name),
      '-retry-join', join1,
      '-http-port', String(p.http),
      '-dns-port', String(p.dns),
      '-serf-lan-port', String(p.serfLan),
      '-serf-wan-port', String(p.serfWan),
      '-server-port', String(p.server),
      ...FAST,
      ...this.extraArgs(name),
    ];
  }

  /** Spawns agent `name` on slot `n` (replacing a stopped process of the same name). */
  spawnAgent(name: string, n: number): RealAgent {
    const slot = this.net.slot(n);
    const [cmd, ...pre] = [...slot.wrap, process.execPath, CLI, ...this.args(name, n)] as [string, ...string[]];
    // `ip netns exec` execs the program, so the child's pid is the agent's own (kill -9 and
    // SIGSTOP reach the agent, not a wrapper).
    const proc = spawn(cmd, pre, { stdio: ['ignore', 'pipe', 'pipe'] });
    if (proc.pid !== undefined) this.net.attachProcess?.(n, proc.pid);
    const previous = this.agents.get(name);
    const agent: RealAgent = {
      name,
      n,
      server: name.startsWith('s'),
      http: `http://${slot.httpIp}:${this.net.ports.http}`,
      rpcAddr: `${slot.advertiseIp}:${this.net.ports.server}`,
      proc,
      log: previous ? `${previous.log}\n===== restarted =====\n` : '',
    };
    const append = (d: Buffer) => {
      agent.log += d.toString();
      // Bounded: a debug log over a long run would otherwise grow without limit.
      if (agent.log.length > 4_000_000) agent.log = agent.log.slice(-3_000_000);
    };
    proc.stdout?.on('data', append);
    proc.stderr?.on('data', append);
    this.agents.set(name, agent);
    return agent;
  }

  /** Starts s1..s3, c4, c5 and waits until every agent answers and a client sees five members. */
  async start(): Promise<void> {
    for (const [i, name] of ['s1', 's2', 's3', 'c4', 'c5'].entries()) this.spawnAgent(name, i + 1);
    await Promise.all([...this.agents.values()].map((a) => this.waitHttp(a)));
  }

  /** Resolves once `agent` answers `/v1/status/leader` (with a leader when `withLeader`). */
  async waitHttp(agent: RealAgent, withLeader = false, ms = 60_000): Promise<void> {
    const deadline = Date.now() + ms;
    for (;;) {
      if (agent.proc.exitCode !== null) throw new Error(`${agent.name} exited with ${agent.proc.exitCode}:\n${agent.log.slice(-4000)}`);
      const leader = await getJson<string>(`${agent.http}/v1/status/leader`, 1000).catch(() => undefined);
      if (leader !== undefined && (!withLeader || leader !== '')) return;
      if (Date.now() > deadline) throw new Error(`${agent.name} not ready after ${ms} ms:\n${agent.log.slice(-4000)}`);
      await sleep(100);
    }
  }

  /** The leader `agent` reports (`/v1/status/leader`), as an agent name; '' for none, undefined when unreachable. */
  async leaderSeenBy(name: string): Promise<string | undefined> {
    const addr = await getJson<string>(`${this.agent(name).http}/v1/status/leader`, 2000).catch(() => undefined);
    if (addr === undefined) return undefined;
    return addr === '' ? '' : (this.byRpcAddr(addr)?.name ?? addr);
  }

  /** Signals an agent's process (SIGKILL, SIGSTOP, SIGCONT). */
  signal(name: string, sig: NodeJS.Signals): void {
    this.agent(name).proc.kill(sig);
  }

  /** Waits for a SIGKILLed (or exited) agent to be gone. */
  async waitExit(name: string): Promise<void> {
    const p = this.agent(name).proc;
    if (p.exitCode !== null || p.signalCode !== null) return;
    await new Promise((r) => p.once('exit', r));
  }

  /** Every agent's output, for attachments. */
  logs(): Array<{ name: string; body: string }> {
    return [...this.agents.values()].map((a) => ({ name: `${a.name}.log`, body: a.log }));
  }

  /** Kills every agent (SIGCONT first, in case one is stopped) and removes the data dirs. */
  async stop(): Promise<void> {
    await Promise.all(
      [...this.agents.values()].map(async (a) => {
        if (a.proc.exitCode !== null || a.proc.signalCode !== null) return;
        const gone = new Promise((r) => a.proc.once('exit', r));
        a.proc.kill('SIGCONT');
        a.proc.kill('SIGKILL');
        await gone;
      }),
    );
    rmSync(this.dataRoot, { recursive: true, force: true });
  }
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** GET returning parsed JSON; throws on a non-2xx status or after `timeoutMs`. */
export async function getJson<T>(url: string, timeoutMs = 3000): Promise<T> {
  const res = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  const text = await res.text();
  if (!res.ok) throw new Error(`GET ${url}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Polls `fn` until it returns a value other than undefined; throws after `ms`. */
export async function until<T>(what: string, fn: () => Promise<T | undefined>, ms = 30_000, every = 200): Promise<T> {
  const deadline = Date.now() + ms;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}${last ? ` (last error: ${(last as Error).message})` : ''}`);
    await sleep(every);
  }
}
