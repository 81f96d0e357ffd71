/**
 * Test harness: runs real `consul agent` processes (this repository's CLI) on loopback, waits for
 * their HTTP API, and stops them. Every agent gets its own ports so that tests never collide with
 * each other or with an agent a developer is running on the default ports.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../cli/consul.js', import.meta.url));

/** A free TCP port on `host` (the kernel picks it; UDP on the same number is almost always free). */
export function freePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, host, () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export interface AgentProcess {
  readonly http: string;
  readonly proc: ChildProcess;
  readonly ports: { http: number; dns: number; serfLan: number; serfWan: number; server: number };
  output(): string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Fresh ports for one agent (or for a cluster whose agents share ports on different IPs). */
export async function freeAgentPorts(host = '127.0.0.1'): Promise<AgentProcess['ports']> {
  return { http: await freePort(host), dns: await freePort(host), serfLan: await freePort(host), serfWan: await freePort(host), server: await freePort(host) };
}

/** Extra Node flags for agent processes, e.g. `AGENT_NODE_ARGS=--cpu-prof` to profile a benchmark. */
function nodeArgs(): string[] {
  return (process.env.AGENT_NODE_ARGS ?? '').split(' ').filter((a) => a !== '');
}

/**
 * Starts `consul agent <args>` (fresh ports unless given), resolving once `/v1/status/leader`
 * answers (with a leader, unless `waitForLeader` is false).
 */
export async function startAgentProcess(args: string[], host = '127.0.0.1', waitForLeader = true, givenPorts?: AgentProcess['ports']): Promise<AgentProcess> {
  const ports = givenPorts ?? (await freeAgentPorts(host));
  const proc = spawn(
    process.execPath,
    [...nodeArgs(), CLI, 'agent', ...args, '-http-port', String(ports.http), '-dns-port', String(ports.dns), '-serf-lan-port', String(ports.serfLan), '-serf-wan-port', String(ports.serfWan), '-server-port', String(ports.server)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let out = '';
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (out += d));
  const http = `http://${host}:${ports.http}`;
  // Generous: when the CLI prebuild is stale the agent runs through tsx, and suites start agents
  // in parallel on 2 cores.
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`agent exited with ${proc.exitCode}:\n${out}`);
    try {
      const res = await fetch(`${http}/v1/status/leader`);
      const leader = await res.json();
      if (res.ok && (!waitForLeader || leader !== '')) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      proc.kill('SIGKILL');
      throw new Error(`agent did not become ready:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    http,
    proc,
    ports,
    output: () => out,
    stop: (signal = 'SIGINT') =>
      new Promise((resolve) => {
        if (proc.exitCode !== null || proc.signalCode !== null) return resolve(proc.exitCode);
        proc.once('exit', (code) => resolve(code));
        proc.kill(signal);
      }),
  };
}
