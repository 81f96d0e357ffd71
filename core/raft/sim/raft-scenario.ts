/**
 * The Raft simulation scenario: a cluster of 3 or 5 servers (by seed) under a swarm fault profile
 * (partitions, one-way cuts, loss, duplication, reordering, crashes that lose or tear unsynced
 * writes, pauses, clogs, clock drift), with clients running a KV register workload of writes, CAS,
 * `consistent` reads and `default` (lease) reads. A safety phase with faults, then a liveness phase
 * after healing.
 *
 * Checkers: at most one leader per term; log matching (same index and term, same entry) across all
 * servers' logs; committed entries never change (every apply of an index, on every server and after
 * every restart, is the same command); every server applies the same sequence; the client history is
 * linearizable; after healing a leader is elected, a write commits and every server catches up.
 */
import type { TraceEvent } from '../../ports/trace.ts';
import { drawSwarmProfile } from '../../sim/faults.ts';
import type { ScenarioOptions, ScenarioResult, SimScenario } from '../../sim/scenario.ts';
import { Simulation } from '../../sim/simulation.ts';
import { timingFrom } from '../timing.ts';
import type { Configuration } from '../types.ts';
import { RaftWorkload } from './workload.ts';
import { checkLinearizable } from './linearizability.ts';
import { RaftOperator } from './operator.ts';
import { RAFT_PORT, RaftNode } from './raft-node.ts';
import '../trace-events.ts';

/** Fast timers so that a seed covers many elections in little virtual time. */
export const SIM_TIMING = timingFrom(100, 100, 50, 10);

export interface RaftScenarioConfig {
  size: 3 | 5;
  transport: 'packet' | 'stream';
  /** Run the operator (transfers, remove and re-add) during the safety phase. */
  operator: boolean;
  /**
   * Clock drift as a fraction (0.2 = each node's clock runs up to 20% fast or slow). Lease reads
   * stay linearizable while lease × (1 + d) < election timeout × (1 − d), i.e. d < 1/3 here.
   */
  drift: number;
  safetyMs: number;
  livenessMs: number;
}

/** Draws the cluster shape for a seed (both sizes and both transports across seeds). */
export function configForSeed(seed: number): RaftScenarioConfig {
  return {
    size: seed % 2 === 0 ? 3 : 5,
    transport: seed % 4 < 2 ? 'packet' : 'stream',
    operator: seed % 3 === 0,
    drift: seed % 8 === 5 ? 0.2 : 0,
    safetyMs: 1500,
    livenessMs: 3000,
  };
}

/** Global invariants, fed by the trace and by the FSMs' apply hooks. */
export class RaftCheckers {
  readonly failures: string[] = [];
  private readonly leaders = new Map<number, string>();
  /** index -> the command applied there (by anyone, ever). */
  private readonly applied = new Map<number, string>();
  /** node -> last index applied in its current incarnation (apply order). */
  private readonly lastApplied = new Map<string, number>();
  elections = 0;
  snapshotInstalls = 0;

  onTrace(ev: TraceEvent): void {
    if (ev.kind === 'raft.state' && ev.state === 'leader') {
      this.elections++;
      const other = this.leaders.get(ev.term);
      if (other !== undefined && other !== ev.node) this.fail(`two leaders in term ${ev.term}: ${other} and ${ev.node}`);
      this.leaders.set(ev.term, ev.node);
    } else if (ev.kind === 'raft.snapshot' && ev.action === 'install') {
      this.snapshotInstalls++;
    } else if (ev.kind === 'node.start') {
      this.lastApplied.delete(ev.node);
    }
  }

  /** Every apply of an index must be the same command, and each server applies in index order. */
  onApply(node: string, index: number, command: string): void {
    const prev = this.applied.get(index);
    if (prev === undefined) this.applied.set(index, command);
    else if (prev !== command) this.fail(`committed entry ${index} changed: ${prev} vs ${command} on ${node}`);
    const last = this.lastApplied.get(node);
    if (last !== undefined && index <= last) this.fail(`${node} applied ${index} after ${last}`);
    this.lastApplied.set(node, index);
  }

  /** Log matching over every server's current log: the same (index, term) holds the same entry. */
  checkLogs(logs: Map<string, Array<{ index: number; term: number; data: Uint8Array }>>): void {
    const seen = new Map<string, { node: string; data: string }>();
    for (const [node, entries] of logs) {
      for (const e of entries) {
        const key = `${e.index}/${e.term}`;
        const data = hex(e.data);
        const other = seen.get(key);
        if (!other) seen.set(key, { node, data });
        else if (other.data !== data) this.fail(`log matching violated at ${key}: ${other.node} and ${node} differ`);
      }
    }
  }

  fail(msg: string): void {
    if (this.failures.length < 20) this.failures.push(msg);
  }
}

function describeNode(id: string, n: RaftNode | undefined): string {
  if (!n) return `${id}: down`;
  const s = n.server.status();
  const peers = s.peers.map((p) => `${p.id}:${p.state}(${p.match}/${p.next},${p.lastContactTicks}t)`).join(' ');
  return `${id}: ${s.state} term=${s.term} lead=${s.lead} commit=${s.commit} applied=${n.server.applied} log=${s.firstIndex}..${s.lastIndex} snap=${s.snapshotIndex} ${peers}`;
}

function hex(b: Uint8Array): string {
  let s = '';
  for (let i = 0; i < b.length; i++) s += (b[i]! < 16 ? '0' : '') + b[i]!.toString(16);
  return s;
}

/** Runs one seed of the scenario. */
export function runRaftScenario(
  seed: number,
  options: ScenarioOptions = {},
  cfg = configForSeed(seed),
  /** For debugging a seed: sees the simulation before it runs and the workload after. */
  inspect?: { sim?: (sim: Simulation) => void; end?: (workload: RaftWorkload) => void },
): ScenarioResult {
  const sim = new Simulation({ seed, log: options.log, network: { streamTimeoutMs: 3 * SIM_TIMING.electionTimeoutMs } });
  inspect?.sim?.(sim);
  const ids = Array.from({ length: cfg.size }, (_, i) => `s${i + 1}`);
  const initial: Configuration = { servers: ids.map((id) => ({ id, address: `${id}:${RAFT_PORT}`, suffrage: 'voter' as const })) };
  const checkers = new RaftCheckers();
  sim.trace.on((ev) => checkers.onTrace(ev));
  for (const id of ids) {
    sim.addNode<RaftNode>({
      id,
      start: (env) =>
        new RaftNode(env, {
          initial,
          timing: SIM_TIMING,
          transport: cfg.transport,
          server: {
            snapshotThreshold: 40,
            trailingLogs: 10,
            raft: { maxMsgBytes: 8192, snapshotChunkBytes: 16, maxInflightMsgs: 8 },
            autopilot: { intervalMs: 50, serverStabilizationTimeMs: 200, lastContactThresholdMs: 50, cleanupDeadServers: false },
          },
          onApply: (node, index, command) => checkers.onApply(node, index, command),
        }),
    });
  }
  const nodeOf = (id: string) => sim.node<RaftNode>(id).process;
  const allMembers = () => {
    const l = ids.map(nodeOf).find((n) => n?.server.state === 'leader');
    return l !== undefined && l.server.configuration().servers.length === ids.length;
  };
  const workload = new RaftWorkload(sim, ids, nodeOf, sim.random.split('workload'));
  const profile = drawSwarmProfile(sim.random.split('profile'), SIM_TIMING.electionTimeoutMs, Math.floor((cfg.size - 1) / 2));
  const faults = sim.faults(profile);
  faults.start();
  if (cfg.drift > 0) {
    const r = sim.random.split('drift');
    for (const id of ids) sim.node(id).setClockRate(1 + (r.float() * 2 - 1) * cfg.drift);
  }
  const operator = new RaftOperator(sim, ids, nodeOf, sim.random.split('operator'), 300);
  if (cfg.operator) operator.start();
  workload.start();
  sim.runFor(cfg.safetyMs);
  operator.stop();
  faults.stopAndHeal();
  sim.mark('raft.liveness');
  // Liveness: a leader emerges and a fresh write commits, then every server catches up to it.
  const probe = workload.probeWrite();
  const committed = sim.runUntil(() => probe.done, cfg.livenessMs);
  if (!committed) checkers.fail(`liveness: no write committed within ${cfg.livenessMs} ms after healing`);
  workload.stop();
  // Servers the operator removed are added back (autopilot promotes them); all must catch up.
  if (cfg.operator) {
    for (let i = 0; i < ids.length && !sim.runUntil(() => allMembers(), 200); i++) operator.readdMissing();
  }
  const target = Math.max(0, ...ids.map((id) => nodeOf(id)?.server.status().commit ?? 0));
  const caughtUp = sim.runUntil(() => ids.every((id) => (nodeOf(id)?.server.applied ?? 0) >= target), cfg.livenessMs);
  if (committed && !caughtUp) {
    checkers.fail(`liveness: servers did not apply up to ${target}: ${ids.map((id) => `${id}=${nodeOf(id)?.server.applied}`).join(' ')}`);
  }
  if (!committed || !caughtUp) for (const id of ids) checkers.fail(`  ${describeNode(id, nodeOf(id))}`);
  // Same apply sequence: servers that applied up to the same index hold the same state.
  const states = new Map<number, { id: string; state: string }>();
  for (const id of ids) {
    const p = nodeOf(id);
    if (!p) continue;
    const state = hex(p.fsm.snapshot());
    const other = states.get(p.server.applied);
    if (!other) states.set(p.server.applied, { id, state });
    else if (other.state !== state) checkers.fail(`${other.id} and ${id} applied up to ${p.server.applied} but differ`);
  }
  const logs = new Map<string, Array<{ index: number; term: number; data: Uint8Array }>>();
  for (const id of ids) {
    const p = nodeOf(id);
    if (!p) continue;
    const ls = p.env.logStore('raft');
    logs.set(id, ls.range(ls.firstIndex(), ls.lastIndex()));
  }
  checkers.checkLogs(logs);
  workload.finishPending();
  inspect?.end?.(workload);
  const lin = checkLinearizable(workload.history);
  if (!lin.ok) checkers.fail(`history not linearizable for keys ${lin.badKeys.join(',')}: ${workload.describe(lin.badKeys)}`);
  const failures = checkers.failures;
  return {
    ok: failures.length === 0,
    failures,
    traceHash: sim.trace.hash(),
    stats: {
      size: cfg.size,
      virtualMs: Math.round(sim.now),
      events: sim.trace.size,
      elections: checkers.elections,
      snapshotInstalls: checkers.snapshotInstalls,
      ops: workload.history.length,
      okOps: workload.completed,
      inconclusiveKeys: lin.inconclusive.length,
      transfers: operator.transfers,
      changes: operator.changes,
    },
    recentTrace: failures.length > 0 ? sim.trace.recent(40) : undefined,
  };
}

export const raftScenario: SimScenario = {
  name: 'raft',
  description: 'Raft clusters of 3 and 5 under swarm faults: election safety, log matching, durability, linearizable KV',
  run: (seed, options) => runRaftScenario(seed, options),
};
