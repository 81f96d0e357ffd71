import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../testing/agent-process.ts';

// Debian's python3-consul (python-consul 0.7) driving a real agent. Skipped, saying why, only when
// the package is absent (.ci/run installs it).
const PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./python_consul_compat.py', import.meta.url));
const probe = spawnSync(PYTHON, ['-c', 'import consul'], { encoding: 'utf8' });
const available = probe.status === 0;
if (!available) console.warn(`python-consul compatibility test skipped: ${PYTHON} cannot import consul (apt-get install -y python3-consul)`);

describe.skipIf(!available)('python3-consul against a real agent', () => {
  let agent: AgentProcess;
  beforeAll(async () => {
    agent = await startAgentProcess(['-dev', '-node', 'pycompat']);
  }, 60_000);
  afterAll(async () => {
    await agent?.stop();
  });

  it('KV, catalog, health and sessions behave as python-consul expects', () => {
    const run = spawnSync(PYTHON, [SCRIPT, String(agent.ports.http)], { encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.stdout.trim()).toMatch(/^ok \d+$/);
    expect(Number(run.stdout.trim().split(' ')[1])).toBeGreaterThanOrEqual(25);
  }, 90_000);
});
