/**
 * Lifeguard's suspicion timer (memberlist suspicion.go): a suspect is declared dead after a timeout
 * that starts at `max` and shrinks logarithmically towards `min` as independent peers confirm the
 * suspicion, up to `k` confirmations.
 */
import type { TimeSource, TimerHandle } from '../../ports/clock.ts';

/** remainingSuspicionTime: max - log(n+1)/log(k+1) * (max - min), floored to ms, minus elapsed. */
export function remainingSuspicionTime(n: number, k: number, elapsedMs: number, minMs: number, maxMs: number): number {
  const frac = Math.log(n + 1) / Math.log(k + 1);
  const raw = maxMs / 1000 - frac * (maxMs / 1000 - minMs / 1000);
  let timeout = Math.floor(1000 * raw);
  if (timeout < minMs) timeout = minMs;
  return timeout - elapsedMs;
}

export class Suspicion {
  private n = 0;
  private readonly confirmations = new Set<string>();
  private readonly start: number;
  private timer: TimerHandle | undefined;
  private fired = false;

  /**
   * `from` is the first accuser (not counted as a confirmation). `onTimeout(confirmations)` runs
   * once when the timer expires.
   */
  constructor(
    private readonly time: TimeSource,
    from: string,
    private readonly k: number,
    private readonly minMs: number,
    private readonly maxMs: number,
    private readonly onTimeout: (confirmations: number) => void,
  ) {
    this.confirmations.add(from);
    this.start = time.now();
    this.arm(k < 1 ? minMs : maxMs);
  }

  private arm(delay: number): void {
    this.timer?.cancel();
    this.timer = this.time.setTimer(delay, () => this.fire());
  }

  private fire(): void {
    if (this.fired) return;
    this.fired = true;
    this.onTimeout(this.n);
  }

  /**
   * Registers an independent confirmation. Returns true when it was new and counted (so the
   * suspect message should be re-gossiped), false for duplicates or once k is reached.
   */
  confirm(from: string): boolean {
    if (this.n >= this.k || this.fired) return false;
    if (this.confirmations.has(from)) return false;
    this.confirmations.add(from);
    this.n++;
    const remaining = remainingSuspicionTime(this.n, this.k, this.time.now() - this.start, this.minMs, this.maxMs);
    this.arm(Math.max(0, remaining));
    return true;
  }

  /** Stops the timer (the node was refuted or declared dead some other way). */
  cancel(): void {
    this.fired = true;
    this.timer?.cancel();
  }
}
