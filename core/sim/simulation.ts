import { Prng } from '../lib/prng.ts';
import type { LogLevel } from '../ports/logger.ts';
import type { Random } from '../ports/random.ts';
import { DEFAULT_DISK_CONFIG, type DiskConfig } from './disk.ts';
import { EventQueue } from './event-queue.ts';
import { FaultInjector, type SwarmProfile } from './faults.ts';
import { roundMicros } from './latency.ts';
import { type NetworkConfig, SimNetwork } from './network.ts';
import { type NodeFactory, type NodeProcess, SimNode } from './sim-node.ts';
import { TraceRecorder } from './trace-recorder.ts';

export interface SimulationOptions {
  seed: number;
  network?: Partial<NetworkConfig>;
  disk?: Partial<DiskConfig>;
  /** Where node log lines go; defaults to nowhere. */
  log?: (line: string) => void;
  /** How many recent trace lines to keep for failure reports. */
  traceRing?: number;
}

export interface AddNodeOptions<P extends NodeProcess> {
  id: string;
  dc?: string;
  start: NodeFactory<P>;
  /** Start at once (default) or leave down until `sim.start(id)`. */
  autoStart?: boolean;
  /** Clock rate relative to virtual time, e.g. 1.0002 for 200 ppm fast. */
  clockRate?: number;
}

/**
 * A deterministic, single-threaded world: virtual time, an event queue, a seeded PRNG split per
 * node and subsystem, a faulty network and disks, and a trace of everything. The same seed and the
 * same calls give the same trace, byte for byte, in Node and in a browser.
 */
export class Simulation {
  readonly seed: number;
  readonly random: Random;
  readonly trace: TraceRecorder;
  readonly net: SimNetwork;
  readonly diskConfig: DiskConfig;
  private readonly queue = new EventQueue();
  private readonly nodes = new Map<string, SimNode<NodeProcess>>();
  private time = 0;
  private readonly log: ((line: string) => void) | undefined;

  constructor(options: SimulationOptions) {
    this.seed = options.seed;
    this.random = new Prng(options.seed);
    this.trace = new TraceRecorder(() => this.time, options.traceRing ?? 200);
    this.diskConfig = { ...DEFAULT_DISK_CONFIG, ...options.disk };
    this.log = options.log;
    this.net = new SimNetwork(
      options.network ?? {},
      this.random.split('network'),
      this.trace,
      () => this.time,
      (delay, fn) => this.schedule(delay, fn),
    );
  }

  /** Virtual time in milliseconds since the simulation began. */
  get now(): number {
    return this.time;
  }

  /** Schedules a world-level event (not tied to any node) after `delayMs`. */
  schedule(delayMs: number, fn: () => void): void {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.queue.push(roundMicros(this.time + delay), fn);
  }

  addNode<P extends NodeProcess>(options: AddNodeOptions<P>): SimNode<P> {
    if (this.nodes.has(options.id)) throw new Error(`Simulation: node ${options.id} exists`);
    const world = {
      now: () => this.time,
      schedule: (delay: number, fn: () => void) => this.schedule(delay, fn),
      net: this.net,
      trace: this.trace,
      random: this.random,
      diskConfig: this.diskConfig,
      logSink: (node: string, name: string, level: LogLevel, message: string) => {
        this.log?.(`${this.time.toFixed(3)} [${level.toUpperCase()}] ${node} ${name}: ${message}`);
      },
    };
    const node = new SimNode<P>(world, options.id, options.dc ?? 'dc1', options.start);
    if (options.clockRate !== undefined) node.setClockRate(options.clockRate);
    this.nodes.set(options.id, node as unknown as SimNode<NodeProcess>);
    this.net.addNode(node);
    if (options.autoStart !== false) node.start();
    return node;
  }

  node<P extends NodeProcess = NodeProcess>(id: string): SimNode<P> {
    const node = this.nodes.get(id);
    if (!node) throw new Error(`Simulation: no node ${id}`);
    return node as unknown as SimNode<P>;
  }

  nodeIds(): string[] {
    return [...this.nodes.keys()];
  }

  start(id: string): void {
    this.node(id).start();
  }

  crash(id: string): void {
    this.node(id).crash();
  }

  restart(id: string): void {
    const node = this.node(id);
    if (node.status === 'paused' || node.status === 'up') node.crash();
    node.start();
  }

  pause(id: string): void {
    this.node(id).pause();
  }

  resume(id: string): void {
    this.node(id).resume();
  }

  /** Runs the next event. Returns false when nothing is left to run. */
  step(): boolean {
    const event = this.queue.pop();
    if (!event) return false;
    this.time = event.at;
    event.run();
    return true;
  }

  /** Runs every event up to and including virtual time `now + ms`, then sets the time there. */
  runFor(ms: number): void {
    const end = roundMicros(this.time + ms);
    for (;;) {
      const at = this.queue.peekTime();
      if (at === undefined || at > end) break;
      this.step();
    }
    this.time = Math.max(this.time, end);
  }

  /**
   * Runs until `done()` holds (checked after each event) or `maxMs` of virtual time pass.
   * Returns whether `done()` held.
   */
  runUntil(done: () => boolean, maxMs: number): boolean {
    const end = roundMicros(this.time + maxMs);
    if (done()) return true;
    for (;;) {
      const at = this.queue.peekTime();
      if (at === undefined || at > end) break;
      this.step();
      if (done()) return true;
    }
    this.time = Math.max(this.time, end);
    return done();
  }

  /** A fault injector driven by `profile` over this simulation's nodes. */
  faults(profile: SwarmProfile, nodes: string[] = this.nodeIds()): FaultInjector {
    return new FaultInjector(this, profile, nodes, this.random.split('faults'));
  }

  /** Emits a free-form mark into the trace (scenario steps, checker notes). */
  mark(label: string, detail?: unknown): void {
    this.trace.emit('mark', '', detail === undefined ? { label } : { label, detail });
  }
}
