import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../testing/agent-process.ts';
import { until } from '../../testing/until.ts';
import { dig } from '../test-helpers.ts';

const dir = mkdtempSync(join(tmpdir(), 'dns-workers-agent-'));
let agent: AgentProcess | undefined;

afterAll(async () => {
  await agent?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const children = (pid: number): number[] =>
  spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
const alive = (pid: number): boolean => spawnSync('kill', ['-0', String(pid)]).status === 0;

describe('consul agent with dns_config.udp_workers', () => {
  it('runs DNS workers that answer from the catalog and exit with the agent', async () => {
    const config = join(dir, 'dns.hcl');
    writeFileSync(config, 'dns_config { udp_workers = 1 }\n');
    agent = await startAgentProcess(['-dev', '-ui=false', '-node', 'wdev', '-config-file', config]);
    const pid = agent.proc.pid!;
    await until('a DNS worker process', async () => (children(pid).length === 1 ? true : undefined), 20_000);
    const reg = await fetch(`${agent.http}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'api', Port: 9090, Address: '10.1.2.3' }) });
    expect(reg.status).toBe(200);
    // Whichever process takes each datagram, every answer has the new service (workers read the
    // agent's catalog on a miss and follow its index).
    await until('the service in DNS', async () => ((await dig(agent!.ports.dns, 'api.service.consul', 'A', '+short')).trim() === '10.1.2.3' ? true : undefined), 20_000);
    // Retries: on a loaded machine one UDP exchange may take longer than dig's 2 s.
    for (let i = 0; i < 20; i++) expect((await dig(agent.ports.dns, 'api.service.consul', 'SRV', '+short', '+tries=3')).trim()).toMatch(/^1 1 9090 /);
    expect(agent.output()).toContain('Started DNS workers');
    const [worker] = children(pid);
    await agent.stop('SIGKILL');
    await until('the worker to exit', async () => (alive(worker!) ? undefined : true), 10_000);
  }, 90_000);
});
