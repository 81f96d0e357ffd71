import type { TimeSource, TimerHandle, WallClock } from '../ports/clock.ts';
import type { Logger, LogLevel } from '../ports/logger.ts';
import type { Random } from '../ports/random.ts';
import type { LogStore, SnapshotStore, StableStore } from '../ports/storage.ts';
import type { TraceSink } from '../ports/trace.ts';
import type { PacketTransport, StreamTransport } from '../ports/transport.ts';
import type { DiskConfig } from './disk.ts';
import { SimDisk } from './disk.ts';
import { roundMicros } from './latency.ts';
import type { NetNode, SimNetwork, SimPacketTransport, SimStreamTransport } from './network.ts';

/** Everything a node process gets from the simulator: the core's ports, bound to this node. */
export interface NodeEnv {
  readonly id: string;
  readonly dc: string;
  /** The host part of this node's addresses (`${host}:${port}`); equal to `id` here. */
  readonly host: string;
  /** This node's clock (it may drift from virtual time) and timers on it. */
  readonly time: TimeSource;
  /** Calendar time on this node: the simulation's epoch plus this node's (drifting) clock. */
  readonly wall: WallClock;
  /** Seeded for this node and this incarnation; split it per subsystem. */
  readonly random: Random;
  packet(port: number): PacketTransport;
  stream(port: number): StreamTransport;
  logStore(name: string): LogStore;
  stableStore(name: string): StableStore;
  snapshotStore(name: string): SnapshotStore;
  readonly logger: Logger;
  readonly trace: TraceSink;
}

/**
 * A node's program: any object. If it has a `stop()` method, that is called on a graceful
 * shutdown, never on a crash.
 */
export type NodeProcess = object;

/** How to start a node's program on a fresh or restarted node. */
export type NodeFactory<P extends NodeProcess> = (env: NodeEnv) => P;

/** The world a node lives in (implemented by Simulation). */
export interface NodeWorld {
  now(): number;
  schedule(delayMs: number, fn: () => void): void;
  net: SimNetwork;
  trace: TraceSink;
  random: Random;
  diskConfig: DiskConfig;
  logSink: (node: string, name: string, level: LogLevel, message: string, fields?: Record<string, unknown>) => void;
}

/** Virtual time 0 is this calendar instant (2026-01-01T00:00:00Z), so wall-clock values look real. */
export const SIM_EPOCH_MS = 1_767_225_600_000;

export type NodeStatus = 'up' | 'paused' | 'crashed' | 'stopped';

/**
 * One simulated machine: a disk that survives crashes, a clock with its own drift, and the current
 * incarnation of its program. Everything scheduled for the node carries the incarnation number
 * (`epoch`), so a crash drops pending timers and deliveries; a pause holds them until resume.
 */
export class SimNode<P extends NodeProcess = NodeProcess> implements NetNode {
  epoch = 0;
  status: NodeStatus = 'crashed';
  process: P | undefined;
  /** Clock rate relative to virtual time (1 = perfect; 1.0001 runs 100 ppm fast). */
  clockRate = 1;
  private clockBase = 0; // local reading at `clockBaseAt`
  private clockBaseAt = 0;
  private held: Array<() => void> = [];
  private readonly disk: SimDisk;
  private readonly random: Random;
  private transports: Array<SimPacketTransport | SimStreamTransport> = [];
  private restarts = 0;

  constructor(
    private readonly world: NodeWorld,
    readonly id: string,
    readonly dc: string,
    private readonly factory: NodeFactory<P>,
  ) {
    this.random = world.random.split(`node:${id}`);
    this.disk = new SimDisk(this.diskContext());
  }

  private diskContext() {
    const diskRandom = this.random.split(`disk:${this.restarts}`);
    return {
      schedule: (delayMs: number, fn: () => void) => this.post(delayMs, fn),
      now: () => this.world.now(),
      random: diskRandom,
      config: this.world.diskConfig,
      onSync: (store: string, writes: number) => this.world.trace.emit('disk.sync', this.id, { store, writes }),
    };
  }

  /** This node's local clock reading. */
  localNow(): number {
    return roundMicros(this.clockBase + (this.world.now() - this.clockBaseAt) * this.clockRate);
  }

  /** Changes the drift from now on, keeping the clock continuous and monotonic. */
  setClockRate(rate: number): void {
    this.clockBase = this.localNow();
    this.clockBaseAt = this.world.now();
    this.clockRate = rate;
  }

  post(delayMs: number, fn: () => void): void {
    const epoch = this.epoch;
    this.world.schedule(delayMs, () => this.dispatch(epoch, fn));
  }

  private dispatch(epoch: number, fn: () => void): void {
    if (epoch !== this.epoch || this.status === 'crashed' || this.status === 'stopped') return;
    if (this.status === 'paused') this.held.push(fn);
    else fn();
  }

  /** Starts (or restarts) the program with the disk as it survived. */
  start(): void {
    if (this.status === 'up' || this.status === 'paused') return;
    this.epoch++;
    this.status = 'up';
    this.disk.attach(this.diskContext());
    this.world.trace.emit('node.start', this.id, { dc: this.dc });
    this.process = this.factory(this.env());
  }

  /** Kills the program: pending timers and deliveries vanish, unsynced writes are lost or torn. */
  crash(): void {
    if (this.status === 'crashed') return;
    this.epoch++;
    this.status = 'crashed';
    this.process = undefined;
    this.held = [];
    this.closeTransports();
    const lost = this.disk.crash();
    this.restarts++;
    this.world.trace.emit('node.crash', this.id, { lostWrites: lost });
  }

  /** A graceful shutdown: the program's `stop` runs, then the node is down with its disk intact. */
  stop(): void {
    if (this.status !== 'up') return;
    (this.process as { stop?: () => void } | undefined)?.stop?.();
    this.epoch++;
    this.status = 'stopped';
    this.process = undefined;
    this.closeTransports();
  }

  /** Freezes the program (a long GC pause, SIGSTOP): nothing runs until `resume`. */
  pause(): void {
    if (this.status !== 'up') return;
    this.status = 'paused';
    this.world.trace.emit('node.pause', this.id, {});
  }

  resume(): void {
    if (this.status !== 'paused') return;
    this.status = 'up';
    this.world.trace.emit('node.resume', this.id, {});
    const held = this.held;
    this.held = [];
    const epoch = this.epoch;
    // Held work runs in its original order, as soon as the process is scheduled again.
    this.world.schedule(0, () => {
      for (const fn of held) this.dispatch(epoch, fn);
    });
  }

  private closeTransports(): void {
    for (const t of this.transports) t.close();
    this.transports = [];
  }

  private env(): NodeEnv {
    const epochRandom = this.random.split(`process:${this.epoch}`);
    const time: TimeSource = {
      now: () => this.localNow(),
      setTimer: (delayMs, callback) => this.setTimer(delayMs, callback),
    };
    return {
      id: this.id,
      dc: this.dc,
      host: this.id,
      time,
      wall: { unixMs: () => SIM_EPOCH_MS + this.localNow() },
      random: epochRandom,
      packet: (port) => this.bind(this.world.net.bindPacket(this, port)),
      stream: (port) => this.bind(this.world.net.bindStream(this, port)),
      logStore: (name) => this.disk.logStore(name),
      stableStore: (name) => this.disk.stableStore(name),
      snapshotStore: (name) => this.disk.snapshotStore(name),
      logger: this.logger(this.id),
      trace: this.world.trace,
    };
  }

  private bind<T extends SimPacketTransport | SimStreamTransport>(transport: T): T {
    this.transports.push(transport);
    return transport;
  }

  private setTimer(delayMs: number, callback: () => void): TimerHandle {
    let cancelled = false;
    const local = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    this.post(roundMicros(local / this.clockRate), () => {
      if (!cancelled) callback();
    });
    return {
      cancel() {
        cancelled = true;
      },
    };
  }

  private logger(name: string): Logger {
    return {
      log: (level, message, fields) => this.world.logSink(this.id, name, level, message, fields),
      named: (child) => this.logger(`${name}.${child}`),
    };
  }
}
