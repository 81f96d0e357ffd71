import { Agent } from '../../core/agent/agent.ts';
import { decodeCommand } from '../../core/fsm/commands.ts';
import { DEFAULT_HTTP_API_OPTIONS } from '../../core/http/api.ts';
import { ApiHeaders } from '../../core/http/api-response.ts';
import { createHttpApi } from '../../core/http/http-api.ts';
import { nullLogger } from '../../core/ports/logger.ts';
import type { LogStore } from '../../core/ports/storage.ts';
import type { TraceEvent } from '../../core/ports/trace.ts';
import { EntryType } from '../../core/raft/types.ts';
import type { NodeEnv } from '../../core/sim/sim-node.ts';
import { Simulation } from '../../core/sim/simulation.ts';
import { agentConfigFor, type ClusterSpec, type LabNodeSpec, nodesOf, validateSpec } from './cluster-spec.ts';
import { GossipViews, type GossipStatus } from './gossip-views.ts';
import { MessageTap } from './message-tap.ts';
import { settle } from './settle.ts';
import type { ClusterSnapshot, MemberView, NodeDetail, NodeSnapshot, Role } from './snapshot.ts';
import { Timeline } from './timeline.ts';

/** What runs on each simulated machine: a real agent and its real `/v1` handler. */
export interface LabProcess {
  agent: Agent;
  api: ReturnType<typeof createHttpApi>;
  logStore: LogStore;
  stop(): void;
}

/** Read consistency modes of Consul's HTTP API. */
export type ReadMode = 'default' | 'consistent' | 'stale';

/** The answer to a KV read, with the headers that tell whether it may be stale. */
export interface KvReadResult {
  status: number;
  value: string | null;
  index: number;
  knownLeader: boolean;
  lastContactMs: number;
  /** Set when the value differs from what the datacenter's leader has committed. */
  staleComparedToLeader: boolean;
  error?: string;
}

/** A user action, recorded with its virtual time so a run can be described and replayed. */
export interface LabAction {
  at: number;
  name: string;
  args: unknown[];
}

/** The network faults in force, as the views draw them. */
export interface FaultState {
  /** Partition groups (nodes in none form the last group); empty when there is no partition. */
  groups: string[][];
  cuts: Array<{ from: string; to: string; oneWay: boolean }>;
  links: Array<{ from: string; to: string; loss: number; latencyMs: number | undefined; oneWay: boolean }>;
}

export interface LabRunnerOptions {
  /** Decode messages for the views (off for headless benchmarks). Default true. */
  tapMessages?: boolean;
  /** Keep the timeline (off for benchmarks). Default true. */
  timeline?: boolean;
}

/**
 * Virtual time advances in fixed quanta, and promise continuations (the agent's RPC and HTTP
 * paths are async) run between quanta. Because the quantum is fixed, the interleaving of timers
 * and promise callbacks depends only on the seed and the actions, never on frame rate or speed,
 * so a seed replays the same trace at 0.1x and at 100x.
 */
export const QUANTUM_MS = 10;

/**
 * The in-tab cluster lab: N datacenters of real agents (Raft, gossip, state store, RPC, HTTP API)
 * on one Simulation, driven by virtual time, with faults and requests the views trigger, and
 * snapshots the views draw.
 */
export class LabRunner {
  readonly sim: Simulation;
  readonly nodes: LabNodeSpec[];
  readonly tap: MessageTap;
  readonly timeline: Timeline;
  readonly actions: LabAction[] = [];
  private readonly gossip: GossipViews;
  private readonly byId = new Map<string, LabNodeSpec>();
  private readonly starts = new Map<string, number>();
  private readonly nameByRaftId = new Map<string, string>();
  private advancing: Promise<void> = Promise.resolve();
  private readonly faults: FaultState = { groups: [], cuts: [], links: [] };
  /** The last KV reads made through the lab, newest last (lessons check them). */
  readonly reads: Array<KvReadResult & { node: string; key: string; mode: ReadMode; at: number }> = [];
  private readonly unsubscribe: () => void;

  constructor(
    readonly spec: ClusterSpec,
    options: LabRunnerOptions = {},
  ) {
    validateSpec(spec);
    const lan = spec.lanLatencyMs ?? 8;
    const wan = spec.wanLatencyMs ?? 60;
    this.sim = new Simulation({
      seed: spec.seed,
      network: {
        latency: { kind: 'uniform', minMs: lan * 0.6, maxMs: lan * 1.4 },
        wanLatency: { kind: 'uniform', minMs: wan * 0.7, maxMs: wan * 1.3 },
      },
    });
    this.nodes = nodesOf(spec);
    this.tap = new MessageTap(() => this.sim.now);
    this.tap.enabled = options.tapMessages !== false;
    this.timeline = new Timeline((id) => this.nameByRaftId.get(id) ?? id);
    this.gossip = new GossipViews((name) => this.byId.has(name));
    const keepTimeline = options.timeline !== false;
    this.unsubscribe = this.sim.trace.on((ev: TraceEvent) => {
      this.tap.onTrace(ev);
      this.gossip.onTrace(ev);
      if (keepTimeline) this.timeline.onTrace(ev);
    });
    this.nodes.forEach((n, i) => {
      this.byId.set(n.id, n);
      const config = agentConfigFor(n, spec, i + 1);
      this.nameByRaftId.set(config.nodeId, n.id);
    });
    this.nodes.forEach((n, i) => {
      const config = agentConfigFor(n, spec, i + 1);
      this.sim.addNode<LabProcess>({ id: n.id, dc: n.dc, start: (env) => this.startProcess(n, config, env) });
    });
  }

  private startProcess(n: LabNodeSpec, config: ReturnType<typeof agentConfigFor>, raw: NodeEnv): LabProcess {
    const env = this.tap.wrapEnv(raw);
    const agent = new Agent(config, { ...env, logger: nullLogger });
    agent.start();
    // First start: join the datacenter's first server, as `-join s1` would (joining every server
    // makes each newcomer push-pull the whole member list once per server: a join storm that
    // dominates a 1,000-node start). A restart tries every server, since the first may be down.
    const starts = (this.starts.get(n.id) ?? 0) + 1;
    this.starts.set(n.id, starts);
    const servers = this.nodes.filter((o) => o.dc === n.dc && o.server && o.id !== n.id);
    const peers = (starts === 1 ? servers.filter((o) => o.index === 0) : servers).map((o) => `${o.id}:8301`);
    if (peers.length > 0) agent.join(peers);
    if (n.server && this.spec.datacenters.length > 1) {
      // Every datacenter's first server, own included: nodes start in order, so a join to a server
      // not started yet fails and only joins to earlier ones connect the pool.
      const remote = this.nodes.filter((o) => o.server && o.index === 0 && o.id !== n.id).map((o) => `${o.id}:8302`);
      if (remote.length > 0) agent.joinWan(remote);
    }
    return {
      agent,
      api: createHttpApi(agent, DEFAULT_HTTP_API_OPTIONS, env.time),
      logStore: raw.logStore('raft'),
      stop: () => agent.shutdown(),
    };
  }

  /** Stops listening to the trace. */
  dispose(): void {
    this.unsubscribe();
  }

  // ------------------------------------------------------------------ time

  get now(): number {
    return this.sim.now;
  }

  traceHash(): string {
    return this.sim.trace.hash();
  }

  /**
   * Advances virtual time by `ms` (rounded up to whole quanta), letting promise callbacks settle
   * after each quantum. Calls are serialised: a second call starts where the first ended.
   */
  advance(ms: number): Promise<void> {
    const quanta = Math.max(0, Math.ceil(ms / QUANTUM_MS - 1e-9));
    const run = this.advancing.then(async () => {
      for (let i = 0; i < quanta; i++) {
        this.sim.runFor(QUANTUM_MS);
        await settle();
      }
    });
    this.advancing = run.catch(() => {});
    return run;
  }

  /** Advances until `done()` holds (checked between quanta) or `maxMs` pass. */
  async runUntil(done: () => boolean, maxMs: number): Promise<boolean> {
    const end = this.sim.now + maxMs;
    await this.advancing;
    while (!done() && this.sim.now < end) await this.advance(QUANTUM_MS);
    return done();
  }

  // ------------------------------------------------------------------ access

  process(id: string): LabProcess | undefined {
    return this.sim.node<LabProcess>(id).process;
  }

  agent(id: string): Agent | undefined {
    return this.process(id)?.agent;
  }

  spec_(id: string): LabNodeSpec {
    const n = this.byId.get(id);
    if (!n) throw new Error(`no node ${id}`);
    return n;
  }

  nameOfRaftId(id: string): string {
    return this.nameByRaftId.get(id) ?? id;
  }

  /** The leader of `dc` as the live servers see it: a server that is up and leads. */
  leader(dc = this.nodes[0]?.dc ?? 'dc1'): string | undefined {
    let best: { id: string; term: number } | undefined;
    for (const n of this.nodes) {
      if (!n.server || n.dc !== dc) continue;
      const node = this.sim.node<LabProcess>(n.id);
      if (node.status !== 'up') continue;
      const server = node.process?.agent.server;
      if (server?.isLeader() && (!best || server.raft.term > best.term)) best = { id: n.id, term: server.raft.term };
    }
    return best?.id;
  }

  // ------------------------------------------------------------------ faults

  private act(name: string, args: unknown[], text: string, node = ''): void {
    this.actions.push({ at: this.sim.now, name, args });
    this.timeline.push(this.sim.now, node, 'user', text);
  }

  /** Crashes a node. `loseUnsynced` true: a power cut (unsynced writes lost); false: the process dies with its disk flushed. */
  kill(id: string, loseUnsynced = true): void {
    this.spec_(id);
    this.act('kill', [id, loseUnsynced], loseUnsynced ? 'kill (power cut: unsynced writes may be lost)' : 'kill (process stops; disk keeps every write)', id);
    if (loseUnsynced) this.sim.crash(id);
    else {
      this.sim.node(id).stop();
      this.gossip.forget(id);
    }
  }

  /** Starts a crashed or stopped node again with what its disk kept. */
  restart(id: string): void {
    this.spec_(id);
    this.act('restart', [id], 'restart', id);
    const node = this.sim.node(id);
    if (node.status === 'stopped') node.start();
    else this.sim.restart(id);
  }

  pauseNode(id: string): void {
    this.spec_(id);
    this.act('pause', [id], 'pause (process frozen)', id);
    this.sim.pause(id);
  }

  resumeNode(id: string): void {
    this.spec_(id);
    this.act('resume', [id], 'resume', id);
    this.sim.resume(id);
  }

  /** Splits the network into groups (nodes in no group form one more group). */
  partition(groups: string[][]): void {
    for (const g of groups) for (const id of g) this.spec_(id);
    this.act('partition', [groups], `partition into ${groups.length} groups`);
    this.sim.net.heal();
    this.faults.cuts = [];
    this.sim.net.partition(groups);
    const listed = new Set(groups.flat());
    const rest = this.nodes.filter((n) => !listed.has(n.id)).map((n) => n.id);
    this.faults.groups = rest.length > 0 ? [...groups.map((g) => [...g]), rest] : groups.map((g) => [...g]);
  }

  /** Partitions, cuts and link settings in force. */
  faultState(): FaultState {
    return { groups: this.faults.groups.map((g) => [...g]), cuts: [...this.faults.cuts], links: [...this.faults.links] };
  }

  /** Whether `from` can send to `to` right now. */
  canReach(from: string, to: string): boolean {
    return !this.sim.net.isBlocked(from, to);
  }

  /** Cuts the link between two nodes, both ways or only from → to. */
  cut(from: string, to: string, oneWay = false): void {
    this.spec_(from);
    this.spec_(to);
    this.act('cut', [from, to, oneWay], `cut ${from} ${oneWay ? '→' : '↔'} ${to}`);
    this.sim.net.cut(from, to, { oneWay });
    this.faults.cuts.push({ from, to, oneWay });
  }

  /** Removes every partition and cut (loss and latency settings stay; see clearLinks). */
  heal(): void {
    this.act('heal', [], 'heal the network');
    this.sim.net.heal();
    this.faults.groups = [];
    this.faults.cuts = [];
  }

  /** Puts every link set by setLink/setDatacenterLink back to no loss and the default latency. */
  clearLinks(): void {
    this.act('clearLinks', [], 'reset link loss and latency');
    const lan = this.spec.lanLatencyMs ?? 8;
    const wan = this.spec.wanLatencyMs ?? 60;
    for (const l of this.faults.links) {
      const sameDc = this.spec_(l.from).dc === this.spec_(l.to).dc;
      const ms = sameDc ? lan : wan;
      const spread = sameDc ? 0.4 : 0.3;
      this.sim.net.setLink(l.from, l.to, { loss: 0, latency: { kind: 'uniform', minMs: ms * (1 - spread), maxMs: ms * (1 + spread) } }, { oneWay: l.oneWay });
    }
    this.faults.links = [];
  }

  /** Sets loss (0..1) and mean latency (ms) on a link, both directions unless oneWay. */
  setLink(from: string, to: string, loss: number, latencyMs?: number, oneWay = false): void {
    this.spec_(from);
    this.spec_(to);
    checkLoss(loss);
    this.act('setLink', [from, to, loss, latencyMs, oneWay], `link ${from}${oneWay ? '→' : '↔'}${to}: loss ${Math.round(loss * 100)}%${latencyMs !== undefined ? `, ${latencyMs} ms` : ''}`);
    const latency = latencyMs === undefined ? undefined : ({ kind: 'uniform', minMs: latencyMs * 0.8, maxMs: latencyMs * 1.2 } as const);
    this.sim.net.setLink(from, to, latency ? { loss, latency } : { loss }, { oneWay });
    this.faults.links = this.faults.links.filter((l) => !(l.from === from && l.to === to));
    this.faults.links.push({ from, to, loss, latencyMs, oneWay });
  }

  /** Sets loss and latency on every link inside a datacenter (or between two). */
  setDatacenterLink(dcA: string, dcB: string, loss: number, latencyMs?: number): void {
    checkLoss(loss);
    const a = this.nodes.filter((n) => n.dc === dcA);
    const b = this.nodes.filter((n) => n.dc === dcB);
    if (a.length === 0 || b.length === 0) throw new Error(`no datacenter ${a.length === 0 ? dcA : dcB}`);
    this.act('setDatacenterLink', [dcA, dcB, loss, latencyMs], `links ${dcA}${dcA === dcB ? '' : `↔${dcB}`}: loss ${Math.round(loss * 100)}%${latencyMs !== undefined ? `, ${latencyMs} ms` : ''}`);
    const latency = latencyMs === undefined ? undefined : ({ kind: 'uniform', minMs: latencyMs * 0.8, maxMs: latencyMs * 1.2 } as const);
    for (const x of a) {
      for (const y of b) {
        if (x.id === y.id) continue;
        this.sim.net.setLink(x.id, y.id, latency ? { loss, latency } : { loss }, { oneWay: dcA === dcB });
        if (dcA === dcB && x.id > y.id) continue;
        this.faults.links.push({ from: x.id, to: y.id, loss, latencyMs, oneWay: false });
      }
    }
  }

  // ------------------------------------------------------------------ requests

  /**
   * Sends an HTTP request to a node's real `/v1` handler and advances the simulation until it
   * answers (or `maxMs` of virtual time pass: then a 504 comes back, the request keeps running).
   */
  async http(id: string, method: string, path: string, body?: string, maxMs = 15_000): Promise<{ status: number; headers: ApiHeaders; text: string }> {
    const proc = this.process(id);
    if (!proc) return { status: 503, headers: new ApiHeaders(), text: `${id} is not running` };
    await this.advancing;
    let out: { status: number; headers: ApiHeaders; text: string } | undefined;
    const init: RequestInit = body === undefined ? { method } : { method, body };
    proc.api.fetch(new Request(`http://${id}:8500${path}`, init), '127.0.0.1:50000').then(
      async (r) => {
        out = { status: r.status, headers: r.headers, text: await r.text() };
      },
      (e: unknown) => {
        out = { status: 500, headers: new ApiHeaders(), text: e instanceof Error ? e.message : String(e) };
      },
    );
    await settle();
    if (!out) await this.runUntil(() => out !== undefined || this.sim.node(id).status === 'crashed', maxMs);
    return out ?? { status: 504, headers: new ApiHeaders(), text: `no answer from ${id} within ${maxMs / 1000}s of virtual time` };
  }

  /** PUT /v1/kv/<key> through node `id`. */
  async kvPut(id: string, key: string, value: string): Promise<{ ok: boolean; status: number; text: string }> {
    this.act('kvPut', [id, key, value], `PUT kv/${key} = "${value}" via ${id}`, id);
    const r = await this.http(id, 'PUT', `/v1/kv/${encodeKey(key)}`, value);
    this.timeline.push(this.sim.now, id, 'user', r.status === 200 ? `PUT kv/${key} → ${r.text.trim()}` : `PUT kv/${key} failed: ${r.status} ${r.text.trim()}`);
    return { ok: r.status === 200 && r.text.trim() === 'true', status: r.status, text: r.text };
  }

  /** GET /v1/kv/<key> through node `id` in a read mode, compared with the leader's committed state. */
  async kvGet(id: string, key: string, mode: ReadMode): Promise<KvReadResult> {
    this.act('kvGet', [id, key, mode], `GET kv/${key} (${mode}) via ${id}`, id);
    const q = mode === 'default' ? '' : `?${mode}`;
    const r = await this.http(id, 'GET', `/v1/kv/${encodeKey(key)}${q}`);
    const knownLeader = r.headers.get('X-Consul-KnownLeader') === 'true';
    const lastContactMs = Number(r.headers.get('X-Consul-LastContact') ?? 0);
    const index = Number(r.headers.get('X-Consul-Index') ?? 0);
    let value: string | null = null;
    if (r.status === 200) {
      const rows = JSON.parse(r.text) as Array<{ Value: string | null }>;
      const b64 = rows[0]?.Value;
      value = b64 ? new TextDecoder().decode(Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))) : '';
    }
    const truth = this.committedValue(this.spec_(id).dc, key);
    const staleComparedToLeader = truth !== undefined && (r.status === 200 || r.status === 404) && truth !== value;
    const result: KvReadResult = { status: r.status, value, index, knownLeader, lastContactMs, staleComparedToLeader };
    if (r.status !== 200 && r.status !== 404) result.error = r.text.trim();
    this.reads.push({ ...result, node: id, key, mode, at: this.sim.now });
    if (this.reads.length > 50) this.reads.shift();
    this.timeline.push(
      this.sim.now,
      id,
      'user',
      `GET kv/${key} (${mode}) → ${r.status === 200 ? `"${value}"` : r.status === 404 ? 'not found' : `${r.status} ${r.text.trim()}`}${staleComparedToLeader ? ' — STALE' : ''}`,
    );
    return result;
  }

  /** The value the current leader of `dc` holds (undefined when there is no leader; null when absent). */
  committedValue(dc: string, key: string): string | null | undefined {
    const leader = this.leader(dc);
    if (!leader) return undefined;
    const entry = this.agent(leader)?.server?.fsm.state.t.kvs.get(key) as { Value?: Uint8Array | null } | undefined;
    if (!entry) return null;
    return entry.Value ? new TextDecoder().decode(entry.Value) : '';
  }

  /** Registers a service (with an optional TTL check) on node `id` through its HTTP API. */
  async registerService(id: string, name: string, port: number, ttlCheck = false): Promise<{ status: number; text: string }> {
    this.act('registerService', [id, name, port, ttlCheck], `register service ${name}:${port} on ${id}`, id);
    const body: Record<string, unknown> = { Name: name, Port: port };
    if (ttlCheck) body.Check = { TTL: '30s', Name: `${name} ttl` };
    const r = await this.http(id, 'PUT', '/v1/agent/service/register', JSON.stringify(body));
    return { status: r.status, text: r.text };
  }

  /** Fires a user event from node `id` (it spreads by gossip). */
  async fireEvent(id: string, name: string, payload = ''): Promise<{ status: number; text: string }> {
    this.act('fireEvent', [id, name, payload], `fire event "${name}" from ${id}`, id);
    const r = await this.http(id, 'PUT', `/v1/event/fire/${encodeURIComponent(name)}`, payload);
    return { status: r.status, text: r.text };
  }

  // ------------------------------------------------------------------ snapshots

  /** The cluster now: what the topology, the coordinate map and the messages layer draw. */
  snapshot(): ClusterSnapshot {
    const nodes = this.nodes.map((n) => this.nodeSnapshot(n));
    const leaders: Record<string, string | undefined> = {};
    for (const dc of this.spec.datacenters) leaders[dc.name] = this.leader(dc.name);
    return {
      now: this.sim.now,
      seed: this.spec.seed,
      traceHash: this.sim.trace.hash(),
      traceEvents: this.sim.trace.size,
      nodes,
      leaders,
      inFlight: this.tap.inFlight(),
    };
  }

  private nodeSnapshot(n: LabNodeSpec): NodeSnapshot {
    const node = this.sim.node<LabProcess>(n.id);
    const agent = node.process?.agent;
    const g = this.gossip.statusOf(n.id);
    const base: NodeSnapshot = {
      id: n.id,
      dc: n.dc,
      server: n.server,
      status: node.status,
      role: 'down',
      term: 0,
      commit: 0,
      lastIndex: 0,
      applied: 0,
      leader: undefined,
      gossip: node.status === 'crashed' || node.status === 'stopped' ? (g.status === 'alive' ? 'alive' : g.status) : g.status,
      suspectedBy: g.suspect,
      deadBy: g.dead,
      coord: undefined,
    };
    if (!agent) return base;
    const c = agent.serf.getCoordinate();
    if (c) base.coord = { x: c.vec[0] ?? 0, y: c.vec[1] ?? 0, height: c.height, error: c.error };
    const server = agent.server;
    if (!server) return { ...base, role: 'client' };
    const st = server.raft.status();
    return {
      ...base,
      role: roleOf(st.state),
      term: st.term,
      commit: st.commit,
      lastIndex: st.lastIndex,
      applied: st.applied,
      leader: st.lead ? this.nameOfRaftId(st.lead) : undefined,
    };
  }

  /**
   * How every running node of `dc` sees every node of `dc` (memberlist state; undefined when the
   * observer is down or does not know the target). Meant for small datacenters: it is N².
   */
  membershipMatrix(dc: string): { nodes: string[]; cells: Array<Array<GossipStatus | undefined>> } {
    const nodes = this.nodes.filter((n) => n.dc === dc).map((n) => n.id);
    const cells = nodes.map((observer) => {
      const agent = this.process(observer)?.agent;
      const view = new Map((agent?.serf.memberlist.allNodes() ?? []).map((s) => [s.name, s.state as GossipStatus] as const));
      return nodes.map((target) => (agent ? view.get(target) : undefined));
    });
    return { nodes, cells };
  }

  /** Everything the node panel shows: the Raft log tail, both gossip views, services. */
  detail(id: string, logTail = 30): NodeDetail {
    const n = this.spec_(id);
    const base = this.nodeSnapshot(n);
    const proc = this.process(id);
    const out: NodeDetail = { ...base, log: [], firstIndex: 0, snapshotIndex: 0, members: [], wanMembers: [], services: [], progress: [] };
    if (!proc) return out;
    const agent = proc.agent;
    out.members = memberViews(agent.serf);
    if (agent.serfWan) out.wanMembers = memberViews(agent.serfWan);
    out.services = [...agent.local.services.values()].map((s) => `${s.Service}${s.Port ? `:${s.Port}` : ''}`);
    const server = agent.server;
    if (!server) return out;
    const st = server.raft.status();
    out.firstIndex = st.firstIndex;
    out.snapshotIndex = st.snapshotIndex;
    out.progress = st.peers.map((p) => ({ node: this.nameOfRaftId(p.id), match: p.match, next: p.next }));
    const store = proc.logStore;
    const last = Math.min(st.lastIndex, store.lastIndex());
    const lo = Math.max(store.firstIndex(), last - logTail + 1);
    if (last >= lo && lo > 0) {
      for (const r of store.range(lo, last)) out.log.push({ index: r.index, term: r.term, committed: r.index <= st.commit, label: entryLabel(r.type, r.data) });
    }
    return out;
  }
}

function roleOf(state: string): Role {
  if (state === 'leader') return 'leader';
  if (state === 'candidate' || state === 'precandidate') return 'candidate';
  return 'follower';
}

function memberViews(serf: Agent['serf']): MemberView[] {
  const serfStatus = new Map(serf.membersList().map((m) => [m.name, m] as const));
  return serf.memberlist
    .allNodes()
    .map((s) => {
      const m = serfStatus.get(s.name);
      return { name: s.name, status: s.state as GossipStatus, incarnation: s.incarnation, serfStatus: m?.status ?? 'none', server: m?.tags.role === 'consul' };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}

const decoder = new TextDecoder();

/** A short description of a log entry, from its decoded FSM command. */
export function entryLabel(type: number, data: Uint8Array): string {
  if (type === EntryType.Noop) return 'noop (new leader)';
  if (type === EntryType.Configuration) return 'configuration change';
  if (data.length === 0) return 'empty';
  try {
    const { command } = decodeCommand(data);
    switch (command.type) {
      case 'kvs': {
        const v = command.entry.Value;
        const shown = v instanceof Uint8Array ? ` = "${decoder.decode(v.subarray(0, 24))}"` : '';
        return `kv ${command.op} ${command.entry.Key}${shown}`;
      }
      case 'register':
        return `register ${command.req.Node}${command.req.Service ? ` / ${command.req.Service.Service}` : ''}`;
      case 'deregister':
        return `deregister ${command.req.Node}`;
      case 'coordinate-batch':
        return `coordinates ×${command.updates.length}`;
      default:
        return command.type;
    }
  } catch {
    return `${data.length} bytes`;
  }
}

function encodeKey(key: string): string {
  return key.split('/').map(encodeURIComponent).join('/');
}

function checkLoss(loss: number): void {
  if (!(loss >= 0 && loss <= 1)) throw new Error(`loss must be between 0 and 1, got ${loss}`);
}
