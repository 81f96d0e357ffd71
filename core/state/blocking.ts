import type { BlockingResult } from '../lib/blocking.ts';
import type { StateStore } from './store.ts';
import type { QueryResult } from './types.ts';

/**
 * Turns a state-store read into a blocking-query result (core/lib/blocking.ts): its watch set
 * becomes a one-shot change notification on this store.
 */
export function storeResult<T>(store: StateStore, result: QueryResult<T>): BlockingResult<T> {
  return {
    index: result.index,
    value: result.value,
    watch: { onChange: (callback) => store.watch(result.watch, callback) },
  };
}
