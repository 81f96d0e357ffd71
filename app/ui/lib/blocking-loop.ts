/**
 * The long-poll loop behind every live view (reference §4.4): fetch, remember X-Consul-Index,
 * fetch again with `?index=` so the agent holds the request until something changes. Errors back
 * off exponentially and the next try starts without an index, so a restarted agent (whose index
 * may be lower) is picked up at once. No polling storms: without an index, or with blocking
 * turned off, it waits `intervalMs` between fetches; an index that comes back unchanged faster
 * than `minGapMs` waits out the gap.
 */

/** One fetch: resolves with the index the agent returned (null when it sent none). */
export type BlockingFetch = (index: number, signal: AbortSignal) => Promise<number | null>;

/** Loop settings; the waits are injectable so tests drive time. */
export interface BlockingLoopOptions {
  /** Long-poll with ?index (the Settings toggle). */
  blocking: boolean;
  /** Wait between fetches when not blocking or the endpoint has no index; 0 = fetch once. */
  intervalMs: number;
  /** Shortest time between two fetches that returned the same index. */
  minGapMs?: number;
  /** Longest back-off after repeated errors. */
  maxBackoffMs?: number;
  /** `retryInMs` is null when the loop gave up (see `giveUp`). */
  onError: (error: unknown, retryInMs: number | null) => void;
  /** Errors not worth retrying (the agent lacks the endpoint): report and stop. */
  giveUp?: (error: unknown) => boolean;
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
  now?: () => number;
  random?: () => number;
}

/** Delay after the n-th consecutive failure (n ≥ 1): 1 s, 2 s, 4 s … capped, with ±20% jitter. */
export function backoffDelay(failures: number, maxMs: number, random: () => number): number {
  const base = Math.min(maxMs, 1000 * 2 ** Math.max(0, failures - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

/**
 * The index for the next request, following Consul's client rules: an index that went backwards
 * (a restarted agent, a snapshot restore) resets to 0 so the next call returns at once.
 */
export function nextIndex(previous: number, returned: number | null): number {
  if (returned === null) return 0;
  return returned < previous ? 0 : returned;
}

/** Resolves after `ms`, or early (without error) when the signal aborts. */
export function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done);
  });
}

/** Runs the loop until the signal aborts (the view unmounts or its key changes). */
export async function runBlockingLoop(fetchOnce: BlockingFetch, signal: AbortSignal, options: BlockingLoopOptions): Promise<void> {
  const sleep = options.sleep ?? abortableSleep;
  const now = options.now ?? Date.now;
  const random = options.random ?? Math.random;
  const minGap = options.minGapMs ?? 1000;
  const maxBackoff = options.maxBackoffMs ?? 30_000;
  let index = 0;
  let failures = 0;
  while (!signal.aborted) {
    const started = now();
    let returned: number | null;
    try {
      returned = await fetchOnce(options.blocking ? index : 0, signal);
    } catch (error) {
      if (signal.aborted) return;
      if (options.giveUp?.(error)) {
        options.onError(error, null);
        return;
      }
      failures += 1;
      index = 0;
      const delay = backoffDelay(failures, maxBackoff, random);
      options.onError(error, delay);
      await sleep(delay, signal);
      continue;
    }
    failures = 0;
    if (!options.blocking || returned === null) {
      if (options.intervalMs <= 0) return;
      await sleep(options.intervalMs, signal);
      continue;
    }
    const unchanged = returned === index;
    index = nextIndex(index, returned);
    const elapsed = now() - started;
    if (unchanged && elapsed < minGap) await sleep(minGap - elapsed, signal);
  }
}
