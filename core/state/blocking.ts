import type { StateStore } from './store.ts';
import type { QueryResult } from './types.ts';

/**
 * Consul's blocking-query loop (agent/consul/rpc.go blockingQuery) over the store's watches, with
 * no timer inside: the caller owns the `wait` timeout and calls the returned `cancel`, then answers
 * with `current()`.
 *
 * - `minIndex` 0 answers at once.
 * - Otherwise the query re-runs each time something it read changes, and answers as soon as its
 *   index is above `minIndex` (a return does not guarantee a change: a write may touch what was
 *   read without changing the result). An index that went below `minIndex` (older snapshot
 *   restored) keeps waiting until the timeout, as in Consul; clients reset on a lower index.
 * - Reported indexes are at least 1 (Consul never returns index 0, which would make clients spin).
 */
export function blockingQuery<T>(
  store: StateStore,
  minIndex: number,
  query: () => QueryResult<T>,
  done: (result: QueryResult<T>) => void,
): { cancel: () => void; current: () => QueryResult<T> } {
  let cancelWatch: (() => void) | null = null;
  let finished = false;
  const run = (): QueryResult<T> => {
    const r = query();
    return r.index < 1 ? { ...r, index: 1 } : r;
  };
  const attempt = () => {
    cancelWatch = null;
    if (finished) return;
    const r = run();
    if (minIndex === 0 || r.index > minIndex) {
      finished = true;
      done(r);
      return;
    }
    cancelWatch = store.watch(r.watch, attempt);
  };
  attempt();
  return {
    cancel: () => {
      finished = true;
      cancelWatch?.();
      cancelWatch = null;
    },
    current: run,
  };
}
