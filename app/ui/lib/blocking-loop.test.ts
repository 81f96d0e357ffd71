import { describe, expect, it } from 'vitest';
import { backoffDelay, nextIndex, runBlockingLoop } from './blocking-loop.ts';

/** A scripted agent: each call returns the next result (an index, or an Error to throw). */
function scripted(results: (number | null | Error)[], controller: AbortController) {
  const calls: number[] = [];
  const fetchOnce = async (index: number) => {
    calls.push(index);
    const next = results.shift();
    if (results.length === 0) controller.abort();
    if (next instanceof Error) throw next;
    return next ?? null;
  };
  return { calls, fetchOnce };
}

describe('runBlockingLoop', () => {
  it('long-polls with the last X-Consul-Index', async () => {
    const controller = new AbortController();
    const { calls, fetchOnce } = scripted([5, 7, 9], controller);
    const sleeps: number[] = [];
    let t = 0;
    await runBlockingLoop(fetchOnce, controller.signal, {
      blocking: true,
      intervalMs: 30_000,
      onError: () => {},
      sleep: async (ms) => void sleeps.push(ms),
      now: () => (t += 5000),
    });
    expect(calls).toEqual([0, 5, 7]);
    expect(sleeps).toEqual([]);
  });

  it('waits out the minimum gap when the index comes back unchanged quickly', async () => {
    const controller = new AbortController();
    const { calls, fetchOnce } = scripted([5, 5, 5], controller);
    const sleeps: number[] = [];
    await runBlockingLoop(fetchOnce, controller.signal, {
      blocking: true,
      intervalMs: 0,
      minGapMs: 1000,
      onError: () => {},
      sleep: async (ms) => void sleeps.push(ms),
      now: () => 0,
    });
    expect(calls).toEqual([0, 5, 5]);
    expect(sleeps).toEqual([1000, 1000]);
  });

  it('backs off on errors, reports them and restarts without an index', async () => {
    const controller = new AbortController();
    const { calls, fetchOnce } = scripted([5, new Error('down'), new Error('down'), 3, 4], controller);
    const sleeps: number[] = [];
    const errors: (number | null)[] = [];
    await runBlockingLoop(fetchOnce, controller.signal, {
      blocking: true,
      intervalMs: 0,
      onError: (_e, retry) => void errors.push(retry),
      sleep: async (ms) => void sleeps.push(ms),
      now: () => 0,
      random: () => 0.5,
    });
    expect(calls).toEqual([0, 5, 0, 0, 3]);
    expect(errors).toEqual([1000, 2000]);
    expect(sleeps).toEqual([1000, 2000]);
  });

  it('falls back to the interval when blocking is off or no index is sent', async () => {
    const controller = new AbortController();
    const { calls, fetchOnce } = scripted([null, null, null], controller);
    const sleeps: number[] = [];
    await runBlockingLoop(fetchOnce, controller.signal, {
      blocking: true,
      intervalMs: 30_000,
      onError: () => {},
      sleep: async (ms) => void sleeps.push(ms),
    });
    expect(calls).toEqual([0, 0, 0]);
    expect(sleeps).toEqual([30_000, 30_000, 30_000]);
  });

  it('fetches once when there is no interval and blocking is off', async () => {
    const controller = new AbortController();
    const { calls, fetchOnce } = scripted([5, 6], controller);
    await runBlockingLoop(fetchOnce, controller.signal, { blocking: false, intervalMs: 0, onError: () => {} });
    expect(calls).toEqual([0]);
  });
});

it('stops on errors it should not retry', async () => {
  const controller = new AbortController();
  const { calls, fetchOnce } = scripted([new Error('unsupported'), 5], controller);
  const errors: (number | null)[] = [];
  await runBlockingLoop(fetchOnce, controller.signal, {
    blocking: true,
    intervalMs: 0,
    onError: (_e, retry) => void errors.push(retry),
    giveUp: (e) => e instanceof Error && e.message === 'unsupported',
  });
  expect(calls).toEqual([0]);
  expect(errors).toEqual([null]);
});

describe('backoffDelay and nextIndex', () => {
  it('doubles up to the cap with bounded jitter', () => {
    expect(backoffDelay(1, 30_000, () => 0.5)).toBe(1000);
    expect(backoffDelay(4, 30_000, () => 0.5)).toBe(8000);
    expect(backoffDelay(20, 30_000, () => 0.5)).toBe(30_000);
    expect(backoffDelay(20, 30_000, () => 0)).toBe(24_000);
    expect(backoffDelay(20, 30_000, () => 1)).toBe(36_000);
  });

  it('resets an index that went backwards', () => {
    expect(nextIndex(10, 12)).toBe(12);
    expect(nextIndex(10, 3)).toBe(0);
    expect(nextIndex(10, null)).toBe(0);
  });
});
