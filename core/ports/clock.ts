/**
 * Time as the core sees it. The core never reads a global clock: every source of time is one of
 * these, so that the simulator can run a whole cluster in virtual time and a seed replays a run.
 */

/**
 * A monotonic clock in milliseconds.
 *
 * Contract: `now()` never goes backwards for one Clock instance. The origin is arbitrary (process
 * start, simulation start); only differences are meaningful. Values may be fractional. In the
 * simulator each node's clock may drift from virtual time, so two nodes' readings are not comparable.
 */
export interface Clock {
  now(): number;
}

/** A cancellable timer registration. Cancelling twice, or after it fired, is a no-op. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * One-shot timers.
 *
 * Contract: `callback` runs once, no earlier than `delayMs` after the call as measured by the paired
 * Clock, never synchronously inside `setTimer`. Callbacks never re-enter each other: one runs to
 * completion before the next starts. Timers set for the same instant fire in the order they were
 * set. A negative or NaN delay is treated as 0.
 */
export interface Timers {
  setTimer(delayMs: number, callback: () => void): TimerHandle;
}

/** The clock and timers of one node, read together. */
export interface TimeSource extends Clock, Timers {}

/**
 * Calendar time, for the few things Consul stamps with wall-clock time that must compare across
 * servers: session lock-delay expiry, event and token creation times. Contract: `unixMs()` is
 * milliseconds since the Unix epoch; it may jump (NTP) and differ between nodes by their clock
 * skew, so nothing may rely on it for ordering or timeouts (use Clock for those).
 */
export interface WallClock {
  unixMs(): number;
}
