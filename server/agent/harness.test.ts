import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../testing/agent-process.ts';
import { until } from '../testing/until.ts';

// An agent started exactly the way a Consul test harness starts one, with a service and an HTTP
// check from a config file pointed at a local target that goes up and down.
const dir = mkdtempSync(join(tmpdir(), 'consul-harness-'));
let target: Server | undefined;
let agent: AgentProcess | undefined;
let reloading: AgentProcess | undefined;
afterAll(async () => {
  await agent?.stop('SIGKILL');
  await reloading?.stop('SIGKILL');
  target?.close();
  rmSync(dir, { recursive: true, force: true });
});


describe('consul agent as a test harness starts it', () => {
  it('runs config-file services with an HTTP check that follows the target up and down', async () => {
    let healthy = true;
    target = createServer((_req, res) => {
      res.writeHead(healthy ? 200 : 503);
      res.end(healthy ? 'ok' : 'down');
    });
    await new Promise<void>((r) => target!.listen(0, '127.0.0.1', r));
    const port = (target.address() as AddressInfo).port;
    const config = join(dir, 'agent.json');
    writeFileSync(config, JSON.stringify({ services: [{ name: 'web', port, checks: [{ http: `http://127.0.0.1:${port}/health`, interval: '1s' }] }] }));
    const pidFile = join(dir, 'consul.pid');
    agent = await startAgentProcess(['-node', 'node1', '-datacenter', 'dc1', '-bind', '127.0.0.1', '-client', '127.0.0.1', '-bootstrap', '-server', '-config-file', config, '-data-dir', join(dir, 'data'), '-pid-file', pidFile, '-hcl', 'performance { raft_multiplier = 1 }']);
    expect(Number(readFileSync(pidFile, 'utf8').trim())).toBe(agent.proc.pid);
    const status = async () => {
      const entries = await (await fetch(`${agent!.http}/v1/health/checks/web`)).json();
      return entries[0]?.Status as string | undefined;
    };
    await until('the check to pass', async () => ((await status()) === 'passing' ? true : undefined));
    healthy = false;
    await until('the check to go critical', async () => ((await status()) === 'critical' ? true : undefined));
    const [check] = await (await fetch(`${agent.http}/v1/health/checks/web`)).json();
    expect(check.Output).toContain('503');
    healthy = true;
    await until('the check to pass again', async () => ((await status()) === 'passing' ? true : undefined));
    expect(await agent.stop('SIGINT')).toBe(0);
    expect(existsSync(pidFile)).toBe(false);
  }, 90_000);

  it('reloads config-file services on PUT /v1/agent/reload and on SIGHUP, keeping API-registered ones', async () => {
    const config = join(dir, 'reload.json');
    const write = (name: string) => writeFileSync(config, JSON.stringify({ service: { name, port: 1 } }));
    write('alpha');
    reloading = await startAgentProcess(['-dev', '-node', 'reloader', '-config-file', config]);
    const services = async () => Object.keys(await (await fetch(`${reloading!.http}/v1/agent/services`)).json()).sort();
    await fetch(`${reloading.http}/v1/agent/service/register`, { method: 'PUT', body: JSON.stringify({ Name: 'api-owned' }) });
    expect(await services()).toEqual(['alpha', 'api-owned']);
    write('beta');
    expect((await fetch(`${reloading.http}/v1/agent/reload`, { method: 'PUT' })).status).toBe(200);
    expect(await services()).toEqual(['api-owned', 'beta']);
    write('gamma');
    reloading.proc.kill('SIGHUP');
    await until('SIGHUP to reload', async () => ((await services()).includes('gamma') ? true : undefined));
    expect(await services()).toEqual(['api-owned', 'gamma']);
    writeFileSync(config, '{ not json');
    const bad = await fetch(`${reloading.http}/v1/agent/reload`, { method: 'PUT' });
    expect(bad.status).toBe(500);
    expect(await services()).toEqual(['api-owned', 'gamma']);
  }, 90_000);
});
