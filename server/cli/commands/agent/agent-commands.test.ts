import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type AgentProcess, startAgentProcess } from '../../../testing/agent-process.ts';
import { runAt, stopAgent } from '../../cli-test-helpers.ts';

let agent: AgentProcess;
let addr: string;
let nodeName: string;
const dir = mkdtempSync(join(tmpdir(), 'cli-agent-'));
const cli = (...args: string[]) => runAt(addr, ...args);

beforeAll(async () => {
  agent = await startAgentProcess(['-dev', '-grpc-port', '-1', '-node', 'cli-node']);
  addr = agent.http;
  nodeName = 'cli-node';
}, 40_000);
afterAll(async () => {
  await stopAgent(agent);
});

describe('agent commands against a real agent', () => {
  it('members prints Consul’s columns, -detailed the sorted tags, and exits 2 when -status matches nothing', async () => {
    const r = await cli('members');
    expect(r.code).toBe(0);
    const port = agent.ports.serfLan;
    const lines = r.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Node +Address +Status +Type +Build +Protocol +DC +Partition +Segment$/);
    expect(lines[1]).toMatch(new RegExp(`^${nodeName} +127\\.0\\.0\\.1:${port} +alive +server +1\\.17\\.0 +2 +dc1 +default +<all>$`));
    const d = await cli('members', '-detailed');
    expect(d.out.split('\n')[0]).toMatch(/^Node +Address +Status +Tags$/);
    expect(d.out).toMatch(/alive +ap=default,build=[^,]*,dc=dc1,.*role=consul,segment=<all>,.*vsn=2/);
    expect(await cli('members', '-status', 'failed')).toEqual({ code: 2, out: '', err: '' });
    expect((await cli('members', '-status', 'al.ve')).code).toBe(0);
    expect((await cli('members', '-status', '(')).err).toMatch(/^Failed to compile status regexp: /);
    const wan = await cli('members', '-wan');
    expect(wan.out.split('\n')[1]).toMatch(new RegExp(`^${nodeName}\\.dc1 +127\\.0\\.0\\.1:${agent.ports.serfWan} +alive +server +`));
  });

  it('registers services from flags and from an HCL file, lists them in the catalog, and deregisters them', async () => {
    const file = join(dir, 'web.hcl');
    writeFileSync(file, 'service {\n  name = "web"\n  id = "web-1"\n  port = 8080\n  tags = ["v1", "blue"]\n}\n');
    expect(await cli('services', 'register', file)).toEqual({ code: 0, out: 'Registered service: web\n', err: '' });
    expect(await cli('services', 'register', '-name', 'api', '-port', '9000', '-tag', 'x', '-meta', 'team=core')).toEqual({ code: 0, out: 'Registered service: api\n', err: '' });
    expect((await cli('services', 'register')).err).toBe('Service registration requires at least one argument or flags.\n');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{"service": {"name": "x", "port": "not-a-port"}}');
    const rb = await cli('services', 'register', bad);
    expect(rb.code).toBe(1);
    expect(rb.err).toMatch(/^Error: failed to parse .*bad\.json/);
    // The catalog is synced from the agent by anti-entropy; wait for it.
    let services = '';
    for (let i = 0; i < 100 && !services.includes('web'); i++) {
      services = (await cli('catalog', 'services', '-tags')).out;
      if (!services.includes('web')) await new Promise((r) => setTimeout(r, 100));
    }
    expect(services).toMatch(/^api +x\nconsul +\nweb +blue,v1\n$/);
    expect((await cli('catalog', 'services')).out).toBe('api\nconsul\nweb\n');
    expect((await cli('catalog', 'services', '-node', nodeName)).out).toBe('api\nconsul\nweb\n');
    expect(await cli('catalog', 'services', '-node', 'nope')).toEqual({ code: 0, out: '', err: 'No services match the given query - try expanding your search.\n' });
    const nodes = await cli('catalog', 'nodes', '-service', 'web');
    expect(nodes.out).toMatch(new RegExp(`^Node +ID +Address +DC\n${nodeName} +[0-9a-f]{8} +127\\.0\\.0\\.1 +dc1\n$`));
    expect(await cli('services', 'deregister', file)).toEqual({ code: 0, out: 'Deregistered service: web-1\n', err: '' });
    expect(await cli('services', 'deregister', '-id', 'api')).toEqual({ code: 0, out: 'Deregistered service: api\n', err: '' });
  });

  it('catalog datacenters and nodes (-detailed, -node-meta)', async () => {
    expect(await cli('catalog', 'datacenters')).toEqual({ code: 0, out: 'dc1\n', err: '' });
    const d = await cli('catalog', 'nodes', '-detailed');
    expect(d.out).toMatch(/^Node +ID +Address +DC +TaggedAddresses +Meta\n/);
    expect(d.out).toMatch(/lan=127\.0\.0\.1, lan_ipv4=127\.0\.0\.1, wan=127\.0\.0\.1, wan_ipv4=127\.0\.0\.1 +consul-network-segment=/);
    expect(await cli('catalog', 'nodes', '-node-meta', 'rack=none')).toEqual({ code: 0, out: '', err: 'No nodes match the given query - try expanding your search.\n' });
    expect((await cli('catalog', 'nodes', '-node-meta', 'rack')).err).toBe('invalid value "rack" for flag -node-meta: Missing "=" value in argument: rack\n');
  });

  it('maint enables, lists and disables node and service maintenance', async () => {
    await cli('services', 'register', '-name', 'db', '-id', 'db-1');
    expect(await cli('maint', '-enable', '-reason', 'upgrading')).toEqual({ code: 0, out: 'Node maintenance is now enabled\n', err: '' });
    expect(await cli('maint', '-enable', '-service', 'db-1')).toEqual({ code: 0, out: 'Service maintenance is now enabled for "db-1"\n', err: '' });
    const list = await cli('maint');
    expect(list.out).toContain(`Node:\n  Name:   ${nodeName}\n  Reason: upgrading\n\n`);
    expect(list.out).toContain('Service:\n  ID:     db-1\n  Reason: Maintenance mode is enabled for this service, but no reason was provided. This is a default message.\n\n');
    expect(await cli('maint', '-disable')).toEqual({ code: 0, out: 'Node maintenance is now disabled\n', err: '' });
    expect(await cli('maint', '-disable', '-service', 'db-1')).toEqual({ code: 0, out: 'Service maintenance is now disabled for "db-1"\n', err: '' });
    expect(await cli('maint')).toEqual({ code: 0, out: '', err: '' });
    expect((await cli('maint', '-enable', '-disable')).err).toBe('Only one of -enable or -disable may be provided\n');
    expect((await cli('maint', '-reason', 'x')).err).toBe('Reason may only be provided with -enable\n');
    const unknown = await cli('maint', '-enable', '-service', 'nope');
    expect(unknown.code).toBe(1);
    expect(unknown.err).toMatch(/^Error enabling service maintenance: Unexpected response code: 404 \(/);
  });

  it('operator raft list-peers shows the single leader; autopilot get-config and set-config round-trip', async () => {
    const peers = await cli('operator', 'raft', 'list-peers');
    expect(peers.code).toBe(0);
    const lines = peers.out.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^Node +ID +Address +State +Voter +RaftProtocol +Commit Index +Trails Leader By$/);
    expect(lines[1]).toMatch(new RegExp(`127\\.0\\.0\\.1:${agent.ports.server} +leader +true +3 +`));
    expect(await cli('operator', 'autopilot', 'set-config', '-max-trailing-logs', '300', '-last-contact-threshold', '1s')).toEqual({ code: 0, out: 'Configuration updated!\n', err: '' });
    const conf = await cli('operator', 'autopilot', 'get-config');
    expect(conf.out).toBe(
      'CleanupDeadServers = true\nLastContactThreshold = 1s\nMaxTrailingLogs = 300\nMinQuorum = 0\nServerStabilizationTime = 10s\nRedundancyZoneTag = ""\nDisableUpgradeMigration = false\nUpgradeVersionTag = ""\n',
    );
    expect((await cli('operator', 'raft', 'remove-peer')).err).toBe('Error removing peer: an address or id is required for the peer to remove\n');
  });

  it('join reports failures per address and Failed to join any nodes.', async () => {
    const r = await cli('join', '127.0.0.1:1');
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^Error joining address '127\.0\.0\.1:1': Unexpected response code: 500 \(.*\)\nFailed to join any nodes\.\n$/);
    expect(await cli('join')).toEqual({ code: 1, out: '', err: 'At least one address to join must be specified.\n' });
  });
});
