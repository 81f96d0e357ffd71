/**
 * Script checks (src: Consul agent/checks CheckMonitor): run `args` (no shell), exit 0 passing,
 * 1 warning, anything else critical; stdout and stderr together are the output; killed at the
 * timeout (default 30 s). The agent only creates these when script checks are enabled.
 */
import { spawn } from 'node:child_process';
import type { CheckDefinition } from '../../core/agent/checks/check-definition.ts';
import type { ProbeResult } from '../../core/agent/checks/check-runner.ts';

const DEFAULT_TIMEOUT_MS = 30_000;

export function scriptProbe(d: CheckDefinition, done: (r: ProbeResult) => void): void {
  const [command, ...args] = d.ScriptArgs;
  if (!command) return done({ status: 'critical', output: 'no script arguments' });
  const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  let size = 0;
  const collect = (c: Buffer) => {
    if (size < d.OutputMaxSize) chunks.push(c);
    size += c.length;
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, d.TimeoutNs > 0 ? d.TimeoutNs / 1e6 : DEFAULT_TIMEOUT_MS);
  child.on('error', (err) => {
    clearTimeout(timer);
    done({ status: 'critical', output: err.message });
  });
  child.on('close', (code) => {
    clearTimeout(timer);
    const output = Buffer.concat(chunks).toString('utf8');
    if (timedOut) return done({ status: 'critical', output: `Timed out (${d.TimeoutNs / 1e9}s) running check` });
    if (code === 0) done({ status: 'passing', output });
    else if (code === 1) done({ status: 'warning', output });
    else done({ status: 'critical', output });
  });
}
