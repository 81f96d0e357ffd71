import type { Timers } from '../ports/clock.ts';
import type { Random } from '../ports/random.ts';

/**
 * Something a read depended on, that can say when it changed. `onChange` calls back at most once
 * and returns a function that cancels the registration.
 */
export interface ChangeWatch {
  onChange(callback: () => void): () => void;
}

/** One evaluation of a blocking read. */
export interface BlockingResult<T> {
  index: number;
  value: T;
  /** What the read depended on; without it the query cannot block and returns at once. */
  watch?: ChangeWatch;
}

export interface BlockingOptions {
  minIndex: number;
  waitMs: number;
  timers: Timers;
  random: Random;
}

/** Consul's blocking defaults (agent/config/default.go): 300 s default, 600 s max. */
export const DEFAULT_QUERY_TIME_MS = 300_000;
export const MAX_QUERY_TIME_MS = 600_000;

/**
 * The effective wait: the default when unset, capped at the maximum, plus up to wait/16 of jitter
 * so that many clients woken together do not return together (src: agent blocking queries).
 */
export function effectiveWaitMs(waitMs: number, random: Random): number {
  const base = Math.min(waitMs > 0 ? waitMs : DEFAULT_QUERY_TIME_MS, MAX_QUERY_TIME_MS);
  return base + random.float() * (base / 16);
}

/**
 * Runs a read the way Consul's blockingQuery does (agent/consul/rpc.go): at once when `minIndex` is
 * 0; otherwise until the result's index rises above `minIndex` or the wait expires, re-running the
 * read each time what it depended on changes. An index at or below `minIndex` keeps waiting, as in
 * Consul (clients reset themselves when an index goes backwards). Reported indexes are at least 1,
 * so clients never spin on 0. Holds one timer and one watch registration per waiting request.
 * Callback-based so that servers run it in virtual time under the simulator; returns a function
 * that abandons the wait (the caller went away).
 */
export function blockingQuery<T>(
  options: BlockingOptions,
  readRaw: () => BlockingResult<T>,
  done: (result: BlockingResult<T>) => void,
): () => void {
  const read = () => atLeastOne(readRaw());
  const first = read();
  if (options.minIndex === 0 || first.index > options.minIndex || !first.watch) {
    done(first);
    return () => {};
  }
  let cancelWatch: (() => void) | undefined;
  let finished = false;
  const finish = (result: BlockingResult<T> | undefined) => {
    if (finished) return;
    finished = true;
    cancelWatch?.();
    timer.cancel();
    if (result) done(result);
  };
  const timer = options.timers.setTimer(effectiveWaitMs(options.waitMs, options.random), () => finish(read()));
  const arm = (watch: ChangeWatch) => {
    cancelWatch = watch.onChange(() => {
      const next = read();
      if (next.index > options.minIndex || !next.watch) finish(next);
      else arm(next.watch);
    });
  };
  arm(first.watch);
  return () => finish(undefined);
}

/** `blockingQuery` as a promise, for async callers. */
export function runBlocking<T>(options: BlockingOptions, read: () => BlockingResult<T>): Promise<BlockingResult<T>> {
  return new Promise((resolve) => {
    blockingQuery(options, read, resolve);
  });
}

function atLeastOne<T>(r: BlockingResult<T>): BlockingResult<T> {
  return r.index < 1 ? { ...r, index: 1 } : r;
}
