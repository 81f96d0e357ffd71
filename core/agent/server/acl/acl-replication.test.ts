import { describe, expect, it } from 'vitest';
import { DEFAULT_HTTP_API_OPTIONS } from '../../../http/api.ts';
import { createHttpApi } from '../../../http/http-api.ts';
import { aclConfig } from '../../../http/testing/acl-config.ts';
import { advanceSim, fetchInSim } from '../../../http/testing/sim-datacenter.ts';
import { nullLogger } from '../../../ports/logger.ts';
import { devTiming } from '../../../raft/timing.ts';
import type { NodeEnv } from '../../../sim/sim-node.ts';
import { Simulation } from '../../../sim/simulation.ts';
import { aclRead } from '../../../state/acl.ts';
import { Agent } from '../../agent.ts';
import type { AgentConfig } from '../../agent-config.ts';

const ROOT = '11111111-2222-3333-4444-555555555555';
type Proc = { agent: Agent; api: ReturnType<typeof createHttpApi> };

/** Two federated datacenters, one server each; dc1 is the ACL primary, dc2 replicates from it. */
function federation(seed: number) {
  const sim = new Simulation({ seed, network: { dcLatency: { 'dc1|dc2': { kind: 'fixed', ms: 20 } } } });
  for (const [id, dc] of [['a1', 'dc1'], ['b1', 'dc2']] as const) {
    sim.addNode({
      id,
      dc,
      start: (env: NodeEnv) => {
        const config: AgentConfig = {
          nodeName: id,
          nodeId: `00000000-0000-0000-0000-0000000000${id === 'a1' ? 'c1' : 'd1'}`,
          datacenter: dc,
          server: true,
          bootstrap: true,
          bootstrapExpect: 0,
          advertiseHost: id,
          ports: { serfLan: 8301, server: 8300, serfWan: 8302 },
          raftTiming: devTiming(),
          devMode: false,
          nodeMeta: {},
          gossip: { probeIntervalMs: 200, gossipIntervalMs: 50, reconcileIntervalMs: 1000 },
          version: '1.22.0',
          acl: aclConfig({ primaryDatacenter: 'dc1', enableTokenReplication: true, initialManagement: dc === 'dc1' ? ROOT : '', tokens: { ...aclConfig().tokens, replication: ROOT } }),
        };
        const agent = new Agent(config, { ...env, logger: nullLogger });
        agent.start();
        if (id === 'b1') agent.joinWan(['a1:8302']);
        return { agent, api: createHttpApi(agent, { ...DEFAULT_HTTP_API_OPTIONS, defaultAclPolicy: 'deny' }, env.time) };
      },
    });
  }
  const proc = (id: string) => sim.node<Proc>(id).process as Proc;
  const pump = (ms: number) => advanceSim(sim, ms);
  const http = (id: string, path: string, init?: RequestInit) => fetchInSim(sim, proc(id).api.fetch, path, init, '127.0.0.1:1');
  return { sim, proc, pump, http };
}

const put = (body: unknown): RequestInit => ({ method: 'PUT', body: JSON.stringify(body), headers: { 'X-Consul-Token': ROOT } });

describe('ACL replication to a secondary datacenter', () => {
  it('copies policies, roles and global tokens from the primary, follows updates and deletions', async () => {
    const f = federation(41);
    f.sim.runUntil(() => f.proc('a1').agent.server?.isLeader() === true && f.proc('b1').agent.server?.isLeader() === true && f.proc('a1').agent.wanMembers().length === 2, 30_000);
    await f.pump(3000);
    const state2 = () => f.proc('b1').agent.server?.fsm.state;
    // The built-ins and the initial management token arrived.
    expect(aclRead.policy(state2()!, '00000000-0000-0000-0000-000000000001').value?.Name).toBe('global-management');
    expect(aclRead.tokenBySecret(state2()!, ROOT).value?.Description).toBe('Initial Management Token');

    const policy = (await (await f.http('a1', '/v1/acl/policy', put({ Name: 'kv-app', Rules: 'key_prefix "app/" { policy = "write" }' }))).json()) as { ID: string };
    const role = (await (await f.http('a1', '/v1/acl/role', put({ Name: 'app', Policies: [{ ID: policy.ID }] }))).json()) as { ID: string };
    const token = (await (await f.http('a1', '/v1/acl/token', put({ Description: 'app', Roles: [{ ID: role.ID }] }))).json()) as { AccessorID: string; SecretID: string };
    await f.pump(3000);
    expect(aclRead.policy(state2()!, policy.ID).value?.Rules).toBe('key_prefix "app/" { policy = "write" }');
    expect(aclRead.role(state2()!, role.ID).value?.Name).toBe('app');
    expect(aclRead.tokenByAccessor(state2()!, token.AccessorID).value?.SecretID).toBe(token.SecretID);

    // The token works against dc2's own KV, resolved from dc2's replicated state.
    const w = await f.http('b1', '/v1/kv/app/x', { method: 'PUT', body: 'v', headers: { 'X-Consul-Token': token.SecretID } });
    expect(w.status).toBe(200);
    expect((await f.http('b1', '/v1/kv/other', { method: 'PUT', body: 'v', headers: { 'X-Consul-Token': token.SecretID } })).status).toBe(403);
    expect(f.proc('b1').agent.server?.hasReplicatedAcls()).toBe(true);

    // A policy written through dc2 is forwarded to the primary and replicated back.
    const viaB = (await (await f.http('b1', '/v1/acl/policy', put({ Name: 'from-b', Rules: 'operator = "read"' }))).json()) as { ID: string };
    expect(aclRead.policy(f.proc('a1').agent.server!.fsm.state, viaB.ID).value?.Name).toBe('from-b');

    // Updates and deletions follow.
    await f.http('a1', `/v1/acl/policy/${policy.ID}`, put({ Name: 'kv-app', Rules: 'key_prefix "app/" { policy = "read" }' }));
    await f.http('a1', `/v1/acl/token/${token.AccessorID}`, { method: 'DELETE', headers: { 'X-Consul-Token': ROOT } });
    await f.pump(3000);
    expect(aclRead.policy(state2()!, policy.ID).value?.Rules).toBe('key_prefix "app/" { policy = "read" }');
    expect(aclRead.tokenByAccessor(state2()!, token.AccessorID).value).toBeNull();
    expect(aclRead.policy(state2()!, viaB.ID).value?.Name).toBe('from-b');
    const status = f.proc('b1').agent.server?.aclReplication?.status;
    expect(status).toMatchObject({ Enabled: true, Running: true, SourceDatacenter: 'dc1', ReplicationType: 'tokens' });
    const viaHttp = (await (await f.http('b1', '/v1/acl/replication', { headers: { 'X-Consul-Token': ROOT } })).json()) as Record<string, unknown>;
    expect(viaHttp).toMatchObject({ Enabled: true, Running: true, SourceDatacenter: 'dc1', ReplicationType: 'tokens' });
    expect(viaHttp.LastSuccess).toMatch(/^\d{4}-/);
    const primary = (await (await f.http('a1', '/v1/acl/replication', { headers: { 'X-Consul-Token': ROOT } })).json()) as Record<string, unknown>;
    expect(primary).toMatchObject({ Enabled: false, Running: false, SourceDatacenter: 'dc1' });
    // Errors before the WAN join are kept, but the last success is newer.
    expect(status!.LastSuccessUnixMs).toBeGreaterThan(status!.LastErrorUnixMs);
  }, 60_000);
});
