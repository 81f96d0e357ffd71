import type { Command } from '../../fsm/commands.ts';
import type { TimerHandle, Timers } from '../../ports/clock.ts';
import type { Logger } from '../../ports/logger.ts';
import type { Coordinate } from '../../state/types.ts';

/** Consul's coordinate_update_period: pending updates are flushed this often. */
export const COORDINATE_UPDATE_PERIOD_MS = 5000;
/** coordinate_update_batch_size: updates per Raft entry. */
export const COORDINATE_UPDATE_BATCH_SIZE = 128;
/** coordinate_update_max_batches: entries per period; anything beyond is discarded. */
export const COORDINATE_UPDATE_MAX_BATCHES = 5;

/**
 * The leader's coordinate batching (agent/consul/coordinate_endpoint.go batchUpdate): every
 * Coordinate.Update lands in a map keyed by node and segment (a newer one replaces an older one),
 * and every period the map is committed through Raft in batches, so that thousands of agents each
 * sending a coordinate every ~15 s cost a handful of log entries.
 */
export class CoordinateBatcher {
  private pending = new Map<string, Coordinate>();
  private timer: TimerHandle | undefined;

  constructor(
    private readonly timers: Timers,
    private readonly propose: (command: Command, done: (err?: string) => void) => void,
    private readonly log: Logger,
    private readonly periodMs = COORDINATE_UPDATE_PERIOD_MS,
  ) {}

  /** Queues an update, replacing any pending one for the same node and segment. */
  add(update: Coordinate): void {
    this.pending.set(`${update.Node}:${update.Segment}`, update);
  }

  /** Number of updates waiting for the next flush. */
  get size(): number {
    return this.pending.size;
  }

  start(): void {
    if (this.timer) return;
    const tick = () => {
      this.flush();
      this.timer = this.timers.setTimer(this.periodMs, tick);
    };
    this.timer = this.timers.setTimer(this.periodMs, tick);
  }

  stop(): void {
    this.timer?.cancel();
    this.timer = undefined;
  }

  /** Commits what is pending: at most batchSize × maxBatches updates, the rest is dropped. */
  flush(): void {
    if (this.pending.size === 0) return;
    const updates = [...this.pending.values()];
    this.pending = new Map();
    const limit = COORDINATE_UPDATE_BATCH_SIZE * COORDINATE_UPDATE_MAX_BATCHES;
    if (updates.length > limit) {
      this.log.log('warn', 'Discarded coordinate updates', { number_discarded: updates.length - limit });
    }
    const kept = updates.slice(0, limit);
    for (let i = 0; i < kept.length; i += COORDINATE_UPDATE_BATCH_SIZE) {
      const batch = kept.slice(i, i + COORDINATE_UPDATE_BATCH_SIZE);
      this.propose({ type: 'coordinate-batch', updates: batch }, (err) => {
        if (err) this.log.log('warn', 'Failed to apply coordinate batch', { error: err });
      });
    }
  }
}
