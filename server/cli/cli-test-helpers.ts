/**
 * Helpers for the CLI's tests: run a command in-process (capturing stdout/stderr) or as a real
 * `consul` process (for stdin, signals and child processes).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { main } from './main.ts';
import { COMMANDS } from './registry.ts';

export const CONSUL_JS = fileURLToPath(new URL('./consul.js', import.meta.url));

export interface RunResult {
  code: number;
  out: string;
  err: string;
}

/** Runs `consul <argv>` in this process. */
export async function runCli(...argv: string[]): Promise<RunResult> {
  let out = '';
  let err = '';
  const code = await main(argv, { stdout: (t) => void (out += t), stderr: (t) => void (err += t) });
  return { code, out, err };
}

/** A `consul` process with its output collected. */
export interface CliProcess {
  proc: ChildProcess;
  out(): string;
  err(): string;
  done: Promise<RunResult>;
}

/** Spawns `node consul.js <argv>`; `stdin` is written then closed. */
export function spawnCli(argv: string[], opts: { stdin?: string; env?: Record<string, string | undefined> } = {}): CliProcess {
  const proc = spawn(process.execPath, [CONSUL_JS, ...argv], { stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, ...opts.env } });
  let out = '';
  let err = '';
  proc.stdout?.on('data', (d) => (out += d));
  proc.stderr?.on('data', (d) => (err += d));
  proc.stdin?.end(opts.stdin ?? '');
  const done = new Promise<RunResult>((resolve) => proc.once('close', (code) => resolve({ code: code ?? -1, out, err })));
  return { proc, out: () => out, err: () => err, done };
}

/** Polls `cond` every 50ms until true or `ms` passes. */
export async function waitFor(cond: () => boolean | Promise<boolean>, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** `consul <command words> -http-addr <addr> <rest>`: the address goes right after the subcommand's name. */
export function runAt(addr: string, ...args: string[]): Promise<RunResult> {
  let n = 0;
  for (let k = Math.min(3, args.length); k >= 1 && n === 0; k--) if (COMMANDS.some((c) => c.name === args.slice(0, k).join(' '))) n = k;
  return runCli(...args.slice(0, n), '-http-addr', addr, ...args.slice(n));
}

/**
 * Stops a test agent: SIGINT, then SIGKILL if it has not exited after `graceMs`. The agent on main
 * does not yet abandon a blocking query whose client went away, and a pending 5-minute wait keeps
 * its process alive after "Graceful exit completed" (reported to the lead).
 */
export async function stopAgent(agent: { stop(signal?: NodeJS.Signals): Promise<number | null>; proc: ChildProcess } | undefined, graceMs = 5_000): Promise<void> {
  if (!agent || agent.proc.exitCode !== null || agent.proc.signalCode !== null) return;
  const stopped = agent.stop('SIGINT');
  const timer = setTimeout(() => agent.proc.kill('SIGKILL'), graceMs);
  await stopped;
  clearTimeout(timer);
}
