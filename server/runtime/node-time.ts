/**
 * The Node runtime's TimeSource: a monotonic clock (performance.now) and setTimeout timers.
 * Node's event loop runs one callback at a time, which gives the no-re-entry guarantee.
 */
import type { TimeSource, TimerHandle } from '../../core/ports/clock.ts';

export class NodeTimeSource implements TimeSource {
  /** `unref` timers do not keep the process alive (for CLIs and tests). */
  constructor(private readonly unref = false) {}

  now(): number {
    return performance.now();
  }

  setTimer(delayMs: number, callback: () => void): TimerHandle {
    const delay = Number.isFinite(delayMs) && delayMs > 0 ? delayMs : 0;
    if (delay === 0) {
      // Node clamps setTimeout(0) to 1 ms. Raft's flush and anti-entropy's kick use 0 to mean
      // "after the current task": with setTimeout every hop of a write (leader, follower, ack)
      // would wait a millisecond for nothing. setImmediate runs after pending I/O, still async.
      const i = setImmediate(callback);
      if (this.unref) i.unref();
      return { cancel: () => clearImmediate(i) };
    }
    const t = setTimeout(callback, delay);
    if (this.unref) t.unref();
    return { cancel: () => clearTimeout(t) };
  }
}
