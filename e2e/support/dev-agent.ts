/**
 * Runs the real agent binary, `consul agent -dev` (server/cli/consul.js: one server that elects
 * itself, in-memory state), on free 127.0.0.1 ports, for the dashboard's browser tests and
 * benchmark. Resolves once it has a leader.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from './ui-server.ts';

const CONSUL = join(import.meta.dirname, '..', '..', 'server', 'cli', 'consul.js');

/** A running dev agent: its HTTP address (`127.0.0.1:port`) and how to stop it. */
export interface DevAgent {
  httpAddr: string;
  nodeName: string;
  stop(): Promise<void>;
}

/**
 * Starts `consul agent -dev`; `httpPort` 0 picks a free one. `datacenter` names its datacenter;
 * `extraArgs` are appended (e.g. `-hcl 'acl { enabled = true … }'`).
 */
export async function startDevAgent(nodeName = 'ui-dev-agent', httpPort = 0, datacenter = 'dc1', extraArgs: string[] = []): Promise<DevAgent & { serfWanAddr: string }> {
  const http = httpPort || (await freePort());
  const serfWan = await freePort();
  const args = ['agent', '-dev', '-node', nodeName, '-datacenter', datacenter, '-http-port', String(http), '-serf-wan-port', String(serfWan)];
  for (const flag of ['-serf-lan-port', '-server-port', '-dns-port']) args.push(flag, String(await freePort()));
  args.push(...extraArgs);
  const child: ChildProcess = spawn(process.execPath, [CONSUL, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const httpAddr = `127.0.0.1:${http}`;
  for (let i = 0; ; i++) {
    if (child.exitCode !== null) throw new Error(`consul agent -dev exited (${child.exitCode}):\n${output}`);
    if (i > 600) throw new Error(`consul agent -dev has no leader after 60 s:\n${output}`);
    const leader = await fetch(`http://${httpAddr}/v1/status/leader`).then(
      (r) => r.json() as Promise<string>,
      () => '',
    );
    if (leader !== '') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    httpAddr,
    nodeName,
    serfWanAddr: `127.0.0.1:${serfWan}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const force = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(force);
          resolve();
        });
        child.kill('SIGTERM');
      }),
  };
}
