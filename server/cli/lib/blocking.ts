/** Small helpers for blocking queries and cancellable waits. */
import { StatusError } from '../api-client.ts';

/** Resolves after `ms`, or early (false) when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve(false);
    const t = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(t);
      resolve(false);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/** The Go client's `wait` parameter: whole milliseconds with `ms`. */
export const waitParam = (ms: number): string => `${Math.max(1, Math.ceil(ms))}ms`;

/**
 * Runs `fn`, retrying on HTTP 500 up to `retries` times with `retryMs` between attempts, as the
 * lock and semaphore monitors do (MonitorRetries / MonitorRetryTime).
 */
export async function withRetries<T>(retries: number, retryMs: number, fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
  for (let left = retries; ; left--) {
    try {
      return await fn();
    } catch (e) {
      if (!(e instanceof StatusError && e.code === 500) || left <= 0) throw e;
      if (!(await sleep(retryMs, signal))) throw e;
    }
  }
}
