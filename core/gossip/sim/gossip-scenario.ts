/**
 * Seeded gossip scenarios on core/sim: N serf nodes at LAN defaults join through a few seeds and
 * must converge; one leaves gracefully and everyone must see it left; one crashes and everyone must
 * see it failed; then, under 10% packet loss with a few slow nodes, no live node may be declared
 * failed (Lifeguard). Every run is a pure function of its seed.
 */
import type { NodeEnv } from '../../sim/sim-node.ts';
import type { ScenarioOptions, ScenarioResult, SimScenario } from '../../sim/scenario.ts';
import { Simulation } from '../../sim/simulation.ts';
import { defaultLanConfig } from '../memberlist/config.ts';
import { defaultSerfConfig } from '../serf/config.ts';
import type { SerfEvent } from '../serf/events.ts';
import { Serf } from '../serf/serf.ts';
import '../trace-events.ts';

export const GOSSIP_PORT = 7946;

/** One simulated agent: serf on the node's transports. */
export class GossipProcess {
  readonly serf: Serf;

  constructor(
    env: NodeEnv,
    seeds: string[],
    onEvent?: (node: string, e: SerfEvent) => void,
    compression = true,
  ) {
    const config = defaultSerfConfig(env.id, defaultLanConfig(env.id));
    config.memberlist.enableCompression = compression;
    config.tags = { dc: env.dc, role: 'node' };
    this.serf = new Serf({
      config,
      packet: env.packet(GOSSIP_PORT),
      stream: env.stream(GOSSIP_PORT),
      time: env.time,
      random: env.random.split('gossip'),
      logger: env.logger,
      trace: env.trace,
      onEvent: onEvent ? (e) => onEvent(env.id, e) : undefined,
    });
    const others = seeds.filter((s) => s !== env.id).map((s) => `${s}:${GOSSIP_PORT}`);
    if (others.length > 0) this.serf.join(others, false);
  }

  /** The node is going down (after a leave, or without one): stop timers and sockets. */
  stop(): void {
    this.serf.shutdown();
  }
}

export interface GossipScenarioConfig {
  nodes: number;
  /** Virtual ms allowed for each convergence phase. */
  convergeMs: number;
  /** Length of the lossy phase. */
  lossyMs: number;
  loss: number;
  slowNodes: number;
  /** Also measure steady-state bytes per node and user-event dissemination (benchmarks). */
  measure?: boolean;
  /**
   * memberlist's EnableCompression (default true, as in Serf). Turning it off changes packet
   * sizes, not protocol behaviour, and makes large runs several times cheaper to simulate.
   */
  compression?: boolean;
}

/**
 * Every observer's serf view, kept from its events, with counters maintained incrementally so that
 * the convergence checks the simulator evaluates after every event are O(1).
 */
class Views {
  private readonly status = new Map<string, Map<string, string>>();
  private readonly aliveCount = new Map<string, number>();
  /** `${target}|${status}` -> how many observers see target in that status. */
  private readonly seenAs = new Map<string, number>();
  /** Observers that see at least `full` members alive. */
  fullyAlive = 0;

  constructor(private readonly full: number) {}

  record(observer: string, e: SerfEvent): void {
    if (e.type === 'user' || e.type === 'query') return;
    let view = this.status.get(observer);
    if (!view) {
      view = new Map();
      this.status.set(observer, view);
    }
    const next =
      e.type === 'member-join' || e.type === 'member-update'
        ? 'alive'
        : e.type === 'member-leave'
          ? 'left'
          : e.type === 'member-failed'
            ? 'failed'
            : 'reaped';
    for (const m of e.members) {
      const prev = view.get(m.name);
      if (prev === next) continue;
      view.set(m.name, next);
      if (prev) this.seenAs.set(`${m.name}|${prev}`, (this.seenAs.get(`${m.name}|${prev}`) ?? 0) - 1);
      this.seenAs.set(`${m.name}|${next}`, (this.seenAs.get(`${m.name}|${next}`) ?? 0) + 1);
      const before = this.aliveCount.get(observer) ?? 0;
      const after = before + (next === 'alive' ? 1 : 0) - (prev === 'alive' ? 1 : 0);
      this.aliveCount.set(observer, after);
      if (before < this.full && after >= this.full) this.fullyAlive++;
      if (before >= this.full && after < this.full) this.fullyAlive--;
    }
  }

  /** How many observers see `target` with `status`. */
  count(target: string, status: string): number {
    return this.seenAs.get(`${target}|${status}`) ?? 0;
  }

  sees(observer: string, target: string, status: string): boolean {
    return this.status.get(observer)?.get(target) === status;
  }
}

export function runGossipScenario(seed: number, cfg: GossipScenarioConfig, options: ScenarioOptions = {}): ScenarioResult {
  const sim = new Simulation({ seed, log: options.log, network: { latency: { kind: 'exponential', minMs: 0.2, meanMs: 0.6 } } });
  const ids = Array.from({ length: cfg.nodes }, (_, i) => `n${i}`);
  const seeds = ids.slice(0, 3);
  const views = new Views(cfg.nodes);
  const failures: string[] = [];
  const stats: Record<string, number> = { nodes: cfg.nodes };
  const onEvent = (node: string, e: SerfEvent) => views.record(node, e);
  // The seeds join each other; every other node joins through one seed picked at random (as an
  // agent given one address would), which keeps a 1,000-node join from tripling its push-pulls.
  const rng = sim.random.split('scenario');
  const joinVia = new Map(ids.map((id) => [id, seeds.includes(id) ? seeds : [seeds[rng.int(seeds.length)] as string]]));
  const start = (env: NodeEnv) => new GossipProcess(env, joinVia.get(env.id) ?? seeds, onEvent, cfg.compression ?? true);

  // Nodes come up over two seconds.
  for (const id of ids) {
    sim.addNode({ id, dc: 'dc1', start, autoStart: seeds.includes(id) });
  }
  for (const id of ids.slice(3)) sim.schedule(rng.float() * 2_000, () => sim.start(id));

  // Phase 1: join.
  const t0 = sim.now;
  const joined = sim.runUntil(() => views.fullyAlive === cfg.nodes, cfg.convergeMs);
  stats.joinConvergedMs = sim.now - t0;
  if (!joined) failures.push(`join: ${cfg.nodes - views.fullyAlive} of ${cfg.nodes} nodes had not converged after ${cfg.convergeMs} ms`);

  if (cfg.measure && joined) measure(sim, ids, stats);

  // Phase 2: graceful leave.
  const leaver = ids[ids.length - 1] as string;
  const rest1 = ids.filter((x) => x !== leaver);
  sim.node<GossipProcess>(leaver).process?.serf.leave(() => sim.node(leaver).stop());
  const t1 = sim.now;
  const left = sim.runUntil(() => views.count(leaver, 'left') >= rest1.length, cfg.convergeMs);
  stats.leaveConvergedMs = sim.now - t1;
  if (!left) failures.push(`leave: not every node saw ${leaver} left within ${cfg.convergeMs} ms`);

  // Phase 3: crash.
  const victim = ids[ids.length - 2] as string;
  const rest2 = rest1.filter((x) => x !== victim);
  sim.crash(victim);
  const t2 = sim.now;
  let firstDetect = -1;
  const crashed = sim.runUntil(() => {
    const n = views.count(victim, 'failed');
    if (firstDetect < 0 && n > 0) firstDetect = sim.now - t2;
    return n >= rest2.length;
  }, cfg.convergeMs * 4);
  stats.crashFirstDetectMs = firstDetect;
  stats.crashAllDetectMs = sim.now - t2;
  if (!crashed) failures.push(`crash: not every node saw ${victim} failed within ${cfg.convergeMs * 4} ms`);

  // Phase 4: loss and slow nodes, no false failures.
  if (cfg.lossyMs > 0) {
    const live = new Set(rest2);
    let falseFailures = 0;
    const falseSuspicions = { n: 0 };
    sim.trace.on((ev) => {
      if (ev.kind === 'gossip.node-state' && live.has(ev.target)) {
        if (ev.state === 'dead') falseFailures++;
        if (ev.state === 'suspect') falseSuspicions.n++;
      }
    });
    const slow = rest2.slice(3, 3 + cfg.slowNodes);
    for (const s of slow) {
      for (const other of rest2) {
        if (other !== s) sim.net.setLink(s, other, { latency: { kind: 'uniform', minMs: 100, maxMs: 400 }, loss: cfg.loss });
      }
    }
    sim.net.config = { ...sim.net.config, loss: cfg.loss };
    sim.runFor(cfg.lossyMs);
    stats.lossyFalseFailures = falseFailures;
    stats.lossySuspicions = falseSuspicions.n;
    if (falseFailures > 0) failures.push(`lifeguard: ${falseFailures} live nodes declared dead under ${cfg.loss * 100}% loss`);
  }
  stats.virtualMs = sim.now;
  stats.traceEvents = sim.trace.size;
  return {
    ok: failures.length === 0,
    failures,
    traceHash: sim.trace.hash(),
    stats,
    recentTrace: failures.length > 0 ? sim.trace.recent(30) : undefined,
  };
}

/**
 * Benchmark figures on a converged pool: datagram bytes sent per node per second over 10 s of
 * steady state, and the time for a user event to reach 99.9% of the nodes.
 */
function measure(sim: Simulation, ids: string[], stats: Record<string, number>): void {
  let bytes = 0;
  let counting = true;
  const reached = new Set<string>();
  let firedAt = -1;
  let reachMs = -1;
  const need = Math.ceil(ids.length * 0.999);
  sim.trace.on((ev) => {
    if (counting && ev.kind === 'net.send') bytes += ev.bytes;
    if (ev.kind === 'serf.user-event' && ev.name === 'bench' && firedAt >= 0) {
      reached.add(ev.node);
      if (reachMs < 0 && reached.size >= need) reachMs = sim.now - firedAt;
    }
  });
  sim.runFor(10_000);
  counting = false;
  stats.bytesPerNodePerSec = bytes / ids.length / 10;
  firedAt = sim.now;
  sim.node<GossipProcess>(ids[5] as string).process?.serf.userEvent('bench', new Uint8Array(16), false);
  sim.runUntil(() => reachMs >= 0, 30_000);
  stats.userEvent999Ms = reachMs;
}

/** `npm run sim -- --scenario gossip`: 1,000 nodes, the full LAN-default run. */
export const gossipScenario: SimScenario = {
  name: 'gossip',
  description: '1,000 serf nodes: join, leave and crash converge; 10% loss + slow nodes cause no false failures',
  run: (seed, options) => runGossipScenario(seed, { nodes: 1000, convergeMs: 60_000, lossyMs: 60_000, loss: 0.1, slowNodes: 10 }, options),
};

/** A small, quick variant for many seeds. */
export const gossipSmallScenario: SimScenario = {
  name: 'gossip-small',
  description: '50 serf nodes: join, leave, crash, then 10% loss with slow nodes',
  run: (seed, options) => runGossipScenario(seed, { nodes: 50, convergeMs: 30_000, lossyMs: 60_000, loss: 0.1, slowNodes: 3 }, options),
};
