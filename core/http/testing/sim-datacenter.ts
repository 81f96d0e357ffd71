import { Agent } from '../../agent/agent.ts';
import type { AgentAclConfig, AgentConfig } from '../../agent/agent-config.ts';
import { nullLogger } from '../../ports/logger.ts';
import { devTiming } from '../../raft/timing.ts';
import type { NodeEnv } from '../../sim/sim-node.ts';
import { Simulation } from '../../sim/simulation.ts';
import { DEFAULT_HTTP_API_OPTIONS } from '../api.ts';
import type { ApiResponse } from '../api-response.ts';
import { createHttpApi } from '../http-api.ts';
import type { Router } from '../router.ts';

/**
 * A simulated datacenter for request/response tests of the HTTP API against real agents (one
 * server, optional clients) in virtual time: no sockets, deterministic by seed. `http(node, path)`
 * sends a Request to that agent's `fetch` and advances the simulation until it answers.
 */
export interface SimDatacenter {
  sim: Simulation;
  agent(id: string): Agent;
  /** The agent's HTTP router (to enumerate routes). */
  router(id: string): Router;
  http(id: string, path: string, init?: RequestInit): Promise<ApiResponse>;
  /** Advances virtual time by `ms`, letting promise callbacks run between steps. */
  advance(ms: number): Promise<void>;
}

function config(id: string, server: boolean, index: number): AgentConfig {
  return {
    nodeName: id,
    nodeId: `00000000-0000-0000-0000-${String(index + 1).padStart(12, '0')}`,
    datacenter: 'dc1',
    server,
    bootstrap: server,
    bootstrapExpect: 0,
    advertiseHost: id,
    ports: { serfLan: 8301, server: 8300 },
    raftTiming: devTiming(),
    devMode: false,
    nodeMeta: {},
    gossip: { probeIntervalMs: 200, gossipIntervalMs: 50, reconcileIntervalMs: 500, coordinateSyncMinMs: 1000 },
    version: '1.22.0',
  };
}

/** Starts `s1` (a bootstrapped server) and `clients`, joined, with a leader and the catalog filled. */
export async function simDatacenter(seed: number, clients: string[] = [], options: { acl?: AgentAclConfig; aclBootstrapReset?: { read(): string | undefined; remove(): void } } = {}): Promise<SimDatacenter> {
  const sim = new Simulation({ seed });
  const ids = ['s1', ...clients];
  ids.forEach((id, i) => {
    sim.addNode({
      id,
      start: (env: NodeEnv) => {
        const agent = new Agent({ ...config(id, id === 's1', i), acl: options.acl ? structuredClone(options.acl) : undefined }, { ...env, logger: nullLogger, aclBootstrapReset: options.aclBootstrapReset });
        agent.start();
        if (id !== 's1') agent.join(['s1:8301']);
        const http = { ...DEFAULT_HTTP_API_OPTIONS, defaultAclPolicy: options.acl?.enabled ? options.acl.defaultPolicy : ('allow' as const) };
        return { agent, api: createHttpApi(agent, http, env.time) };
      },
    });
  });
  type Proc = { agent: Agent; api: ReturnType<typeof createHttpApi> };
  const proc = (id: string) => sim.node<Proc>(id).process as Proc;
  const advance = (ms: number) => advanceSim(sim, ms);
  const http = (id: string, path: string, init?: RequestInit) => fetchInSim(sim, proc(id).api.fetch, path, init);
  const dc: SimDatacenter = { sim, agent: (id) => proc(id).agent, router: (id) => proc(id).api.router, http, advance };
  sim.runUntil(() => proc('s1').agent.server?.isLeader() === true, 20_000);
  await advance(2000);
  return dc;
}

/** Runs the simulation for `ms` of virtual time in 5 ms steps, letting promises settle between steps. */
export async function advanceSim(sim: Simulation, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 5) {
    sim.runFor(5);
    for (let i = 0; i < 4; i++) await Promise.resolve();
  }
}

/**
 * Sends `path` to an agent's `/v1` handler and advances the simulation until it answers (promise
 * continuations only run between simulation steps). Throws if it never answers.
 */
export async function fetchInSim(
  sim: Simulation,
  fetch: (request: Request, remoteAddress: string) => Promise<ApiResponse>,
  path: string,
  init?: RequestInit,
  remoteAddress = '127.0.0.1:50000',
): Promise<ApiResponse> {
  let out: { r?: ApiResponse; e?: unknown } | undefined;
  fetch(new Request(`http://127.0.0.1:8500${path}`, init), remoteAddress).then(
    (r) => (out = { r }),
    (e) => (out = { e }),
  );
  for (let i = 0; i < 20_000 && !out; i++) {
    sim.runFor(5);
    for (let j = 0; j < 4; j++) await Promise.resolve();
  }
  if (!out) throw new Error(`no answer to ${path}`);
  if (out.e) throw out.e;
  return out.r as ApiResponse;
}
