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
    const t = setTimeout(callback, delay);
    if (this.unref) t.unref();
    return { cancel: () => clearTimeout(t) };
  }
}
