import type { Random } from '../ports/random.ts';

/**
 * A fault profile: which faults a run injects and how often. Swarm testing draws a whole profile
 * per seed, disabling some faults entirely and giving the rest very different rates, so that
 * different seeds explore different corners (see TigerBeetle's VOPR).
 */
export interface SwarmProfile {
  /** Datagram loss, duplication and reordering probabilities for the whole network. */
  loss: number;
  duplicate: number;
  reorder: number;
  /** Mean virtual time between partition events (0 disables), and mean partition duration. */
  partitionEveryMs: number;
  partitionForMs: number;
  /** Share of partitions that are one-way cuts rather than symmetric group splits. */
  oneWayShare: number;
  /** Mean time between crashes (0 disables) and mean downtime before restart. */
  crashEveryMs: number;
  downForMs: number;
  /** Mean time between pauses (0 disables) and mean pause length. */
  pauseEveryMs: number;
  pauseForMs: number;
  /** Mean time between link clogs (0 disables) and clog length. */
  clogEveryMs: number;
  clogForMs: number;
  /** Largest clock drift drawn per node, in parts per million. */
  driftPpm: number;
  /** Largest number of nodes down or paused at once (keep a quorum able to recover). */
  maxFaultyNodes: number;
}

/** No faults at all. */
export const CALM_PROFILE: SwarmProfile = {
  loss: 0,
  duplicate: 0,
  reorder: 0,
  partitionEveryMs: 0,
  partitionForMs: 0,
  oneWayShare: 0,
  crashEveryMs: 0,
  downForMs: 0,
  pauseEveryMs: 0,
  pauseForMs: 0,
  clogEveryMs: 0,
  clogForMs: 0,
  driftPpm: 0,
  maxFaultyNodes: 0,
};

/**
 * Draws a swarm profile. `scaleMs` is the protocol's natural time unit (e.g. an election timeout):
 * fault rates and durations are drawn relative to it. `maxFaultyNodes` bounds concurrent crashes.
 */
export function drawSwarmProfile(random: Random, scaleMs: number, maxFaultyNodes: number): SwarmProfile {
  const on = (p: number) => random.chance(p);
  const between = (lo: number, hi: number) => lo + random.float() * (hi - lo);
  return {
    loss: on(0.5) ? between(0, 0.2) : 0,
    duplicate: on(0.3) ? between(0, 0.1) : 0,
    reorder: on(0.4) ? between(0, 0.3) : 0,
    partitionEveryMs: on(0.6) ? between(2, 20) * scaleMs : 0,
    partitionForMs: between(1, 10) * scaleMs,
    oneWayShare: on(0.5) ? between(0, 0.6) : 0,
    crashEveryMs: on(0.6) ? between(3, 30) * scaleMs : 0,
    downForMs: between(0.5, 8) * scaleMs,
    pauseEveryMs: on(0.4) ? between(3, 30) * scaleMs : 0,
    pauseForMs: between(0.5, 4) * scaleMs,
    clogEveryMs: on(0.3) ? between(2, 20) * scaleMs : 0,
    clogForMs: between(0.2, 3) * scaleMs,
    driftPpm: on(0.5) ? between(0, 500) : 0,
    maxFaultyNodes,
  };
}

/** What the injector drives (implemented by Simulation). */
export interface FaultTarget {
  readonly now: number;
  schedule(delayMs: number, fn: () => void): void;
  node(id: string): { status: string; setClockRate(rate: number): void };
  crash(id: string): void;
  start(id: string): void;
  pause(id: string): void;
  resume(id: string): void;
  net: {
    config: { loss: number; duplicate: number; reorder: number };
    partition(groups: string[][]): void;
    cut(from: string, to: string, options?: { oneWay?: boolean }): void;
    clog(from: string, to: string, untilMs: number): void;
    heal(): void;
  };
  mark(label: string, detail?: unknown): void;
}

/**
 * Injects the faults of a profile at random times (exponentially distributed gaps) until
 * `stopAndHeal()`, which ends the safety phase: the network heals, paused nodes resume, crashed
 * nodes restart, loss stops, so that the liveness phase can demand progress.
 */
export class FaultInjector {
  private active = false;
  private generation = 0;

  constructor(
    private readonly sim: FaultTarget,
    private readonly profile: SwarmProfile,
    private readonly nodes: string[],
    private readonly random: Random,
  ) {}

  start(): void {
    this.active = true;
    const gen = ++this.generation;
    const net = this.sim.net.config;
    net.loss = this.profile.loss;
    net.duplicate = this.profile.duplicate;
    net.reorder = this.profile.reorder;
    for (const id of this.nodes) {
      const ppm = (this.random.float() * 2 - 1) * this.profile.driftPpm;
      this.sim.node(id).setClockRate(1 + ppm / 1e6);
    }
    this.loop(gen, this.profile.partitionEveryMs, () => this.partition());
    this.loop(gen, this.profile.crashEveryMs, () => this.crashOne());
    this.loop(gen, this.profile.pauseEveryMs, () => this.pauseOne());
    this.loop(gen, this.profile.clogEveryMs, () => this.clogOne());
  }

  /** Ends the safety phase and repairs everything. Clock drift stays (it is not a fault to heal). */
  stopAndHeal(): void {
    this.active = false;
    this.generation++;
    const net = this.sim.net.config;
    net.loss = 0;
    net.duplicate = 0;
    net.reorder = 0;
    this.sim.net.heal();
    for (const id of this.nodes) {
      const status = this.sim.node(id).status;
      if (status === 'paused') this.sim.resume(id);
      if (status === 'crashed') this.sim.start(id);
    }
    this.sim.mark('faults.healed');
  }

  private loop(gen: number, everyMs: number, fire: () => void): void {
    if (everyMs <= 0) return;
    const gap = -everyMs * Math.log(1 - this.random.float());
    this.sim.schedule(gap, () => {
      if (!this.active || gen !== this.generation) return;
      fire();
      this.loop(gen, everyMs, fire);
    });
  }

  private span(meanMs: number): number {
    return meanMs * (0.25 + 1.5 * this.random.float());
  }

  private faultyCount(): number {
    return this.nodes.filter((id) => this.sim.node(id).status !== 'up').length;
  }

  private partition(): void {
    const gen = this.generation;
    if (this.random.chance(this.profile.oneWayShare)) {
      const [a, b] = this.random.shuffle(this.nodes.slice());
      if (a === undefined || b === undefined) return;
      this.sim.net.cut(a, b, { oneWay: true });
    } else {
      const shuffled = this.random.shuffle(this.nodes.slice());
      const cutAt = 1 + this.random.int(Math.max(1, shuffled.length - 1));
      this.sim.net.partition([shuffled.slice(0, cutAt), shuffled.slice(cutAt)]);
    }
    this.sim.schedule(this.span(this.profile.partitionForMs), () => {
      if (this.active && gen === this.generation) this.sim.net.heal();
    });
  }

  private crashOne(): void {
    if (this.faultyCount() >= this.profile.maxFaultyNodes) return;
    const up = this.nodes.filter((id) => this.sim.node(id).status === 'up');
    const id = up[this.random.int(Math.max(1, up.length))];
    if (id === undefined) return;
    const gen = this.generation;
    this.sim.crash(id);
    this.sim.schedule(this.span(this.profile.downForMs), () => {
      if (this.active && gen === this.generation && this.sim.node(id).status === 'crashed') this.sim.start(id);
    });
  }

  private pauseOne(): void {
    if (this.faultyCount() >= this.profile.maxFaultyNodes) return;
    const up = this.nodes.filter((id) => this.sim.node(id).status === 'up');
    const id = up[this.random.int(Math.max(1, up.length))];
    if (id === undefined) return;
    const gen = this.generation;
    this.sim.pause(id);
    this.sim.schedule(this.span(this.profile.pauseForMs), () => {
      if (this.active && gen === this.generation) this.sim.resume(id);
    });
  }

  private clogOne(): void {
    const [a, b] = this.random.shuffle(this.nodes.slice());
    if (a === undefined || b === undefined) return;
    this.sim.net.clog(a, b, this.sim.now + this.span(this.profile.clogForMs));
  }
}
