import type { TimerHandle, Timers } from '../ports/clock.ts';
import type { Random } from '../ports/random.ts';
import type { Coord } from '../state/types.ts';

/** Consul's sync_coordinate_interval_min: no agent sends more often than this. */
export const SYNC_COORDINATE_INTERVAL_MIN_MS = 15_000;
/** sync_coordinate_rate_target: the cluster-wide updates per second the servers should see. */
export const SYNC_COORDINATE_RATE_TARGET = 64;

/**
 * lib.RateScaledInterval: the interval that keeps `n` agents at `rate` updates per second in total,
 * never below `minMs`.
 */
export function rateScaledIntervalMs(rate: number, minMs: number, n: number): number {
  const ms = (n / rate) * 1000;
  return Math.max(ms, minMs);
}

/** What the periodic sender needs from its agent. */
export interface CoordinateSyncDeps {
  timers: Timers;
  random: Random;
  /** Current number of LAN members (the rate scaling's n). */
  memberCount(): number;
  /** The agent's own Vivaldi coordinate, if gossip has one. */
  coordinate(): Coord | undefined;
  /** Sends Coordinate.Update; errors are the caller's to log. */
  send(coord: Coord): void;
  minIntervalMs?: number;
}

/**
 * The agent's sendCoordinate loop (agent/agent.go): after a rate-scaled interval plus a random
 * stagger of up to the same again, it sends its LAN coordinate to the servers, which batch the
 * updates into Raft. Invalid coordinates (NaN/Inf) are never sent.
 */
export class CoordinateSync {
  private timer: TimerHandle | undefined;
  private stopped = false;

  constructor(private readonly d: CoordinateSyncDeps) {}

  start(): void {
    this.schedule();
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** Sends now, if the coordinate is usable; returns whether it sent. */
  sendNow(): boolean {
    const c = this.d.coordinate();
    if (!c || ![...c.Vec, c.Error, c.Adjustment, c.Height].every(Number.isFinite)) return false;
    this.d.send(c);
    return true;
  }

  private schedule(): void {
    if (this.stopped) return;
    const base = rateScaledIntervalMs(SYNC_COORDINATE_RATE_TARGET, this.d.minIntervalMs ?? SYNC_COORDINATE_INTERVAL_MIN_MS, this.d.memberCount());
    const delay = base + this.d.random.float() * base;
    this.timer = this.d.timers.setTimer(delay, () => {
      this.sendNow();
      this.schedule();
    });
  }
}
