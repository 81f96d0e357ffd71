'use client';
/**
 * React hook over runBlockingLoop: one long-poll loop per mounted view and key, aborted on unmount
 * or when the key changes. Keeps the last good data while an error is shown, so a flapping agent
 * does not blank the page.
 */
import { useCallback, useEffect, useRef, useState } from 'react';
import { filteredByAcls } from './acl-view.ts';
import type { ConsulResult } from './api.ts';
import { runBlockingLoop } from './blocking-loop.ts';
import { ConsulError } from './errors.ts';
import { getBlocking } from './settings.ts';

/** What a view renders from. `data` is undefined until the first answer for the current key. */
export interface BlockingQueryState<T> {
  data: T | undefined;
  error: unknown;
  /** When the last request failed: milliseconds until the next try. */
  retryInMs: number | null;
  loading: boolean;
  /** The last answer carried `X-Consul-Results-Filtered-By-ACLs: true` (some rows are hidden). */
  filtered: boolean;
  /** Restarts the loop at once (after a write, or from a "Retry" button). */
  refresh: () => void;
}

/**
 * Hook options. `intervalMs` > 0 marks an endpoint without blocking support (datacenters, leader):
 * it is polled at that interval and never long-polled, even if it sends an index.
 */
export interface BlockingQueryOptions {
  intervalMs?: number;
  /** Force a single fetch without long-polling (editors that must not change under the user). */
  once?: boolean;
}

interface Slot<T> {
  key: string;
  data: T | undefined;
  error: unknown;
  retryInMs: number | null;
  filtered: boolean;
}

/**
 * Runs `fetcher` for `key` (null = nothing to fetch) and re-runs it with the last X-Consul-Index
 * so the view follows changes live.
 */
export function useBlockingQuery<T>(
  key: string | null,
  fetcher: (index: number, signal: AbortSignal) => Promise<ConsulResult<T>>,
  options: BlockingQueryOptions = {},
): BlockingQueryState<T> {
  const [slot, setSlot] = useState<Slot<T> | null>(null);
  const [generation, setGeneration] = useState(0);
  const fetcherRef = useRef(fetcher);
  fetcherRef.current = fetcher;
  const intervalMs = options.intervalMs ?? 0;
  const once = options.once ?? false;

  // biome-ignore lint/correctness/useExhaustiveDependencies: generation restarts the loop on refresh()
  useEffect(() => {
    if (key === null) return;
    const controller = new AbortController();
    const blocking = !once && intervalMs === 0 && getBlocking();
    void runBlockingLoop(
      async (index, signal) => {
        const result = await fetcherRef.current(index, signal);
        if (!signal.aborted) setSlot({ key, data: result.data, error: null, retryInMs: null, filtered: result.headers instanceof Headers && filteredByAcls(result.headers) });
        return result.index;
      },
      controller.signal,
      {
        blocking,
        intervalMs: once ? 0 : intervalMs,
        // An endpoint this agent does not have will not appear by retrying.
        giveUp: (error) => error instanceof ConsulError && error.kind === 'unsupported',
        onError: (error, retryInMs) => {
          if (controller.signal.aborted) return;
          setSlot((prev) => {
            const same = prev?.key === key;
            return { key, data: same ? prev.data : undefined, error, retryInMs, filtered: same ? prev.filtered : false };
          });
        },
      },
    );
    return () => controller.abort();
  }, [key, intervalMs, once, generation]);

  const refresh = useCallback(() => setGeneration((g) => g + 1), []);
  const current = slot !== null && slot.key === key ? slot : null;
  return {
    data: current?.data,
    error: current?.error ?? null,
    retryInMs: current?.retryInMs ?? null,
    loading: key !== null && current === null,
    filtered: current?.filtered ?? false,
    refresh,
  };
}
