import { parseGoDuration as parseDuration } from '../lib/duration.ts';

/**
 * The leader's session TTL timers, as a pure structure driven by the caller's clock. Consul keeps
 * these in leader memory, not in raft: renew only resets the timer, and a new leader restarts all
 * timers (every TTL session gets a full window after failover). A session expires when
 * `now > lastRenew + TTL * SessionTTLMultiplier (2)`; the leader then proposes a session-destroy.
 */
export const SESSION_TTL_MULTIPLIER = 2;

export class SessionTimers {
  /** session ID -> deadline (caller's clock, ms). */
  private readonly deadlines = new Map<string, number>();

  /** Starts or resets the timer of a session with Go duration `ttl` ("" or "0s" = no TTL). */
  reset(id: string, ttl: string, now: number): void {
    const ns = ttl ? parseDuration(ttl) : 0;
    if (ns <= 0) {
      this.deadlines.delete(id);
      return;
    }
    this.deadlines.set(id, now + (ns / 1e6) * SESSION_TTL_MULTIPLIER);
  }

  remove(id: string): void {
    this.deadlines.delete(id);
  }

  /** The deadline of a session, if it has a TTL timer. */
  deadline(id: string): number | undefined {
    return this.deadlines.get(id);
  }

  /** Sessions whose deadline has passed, sorted by ID; they stay tracked until removed. */
  expired(now: number): string[] {
    const out: string[] = [];
    for (const [id, d] of this.deadlines) if (now > d) out.push(id);
    return out.sort();
  }

  /** Earliest deadline, so the caller can set one timer. */
  nextDeadline(): number | undefined {
    let min: number | undefined;
    for (const d of this.deadlines.values()) if (min === undefined || d < min) min = d;
    return min;
  }

  get size(): number {
    return this.deadlines.size;
  }
}
