import type { RootDatabase } from 'lmdb';
import { describe, expect, it } from 'vitest';
import { WriteQueue } from './write-queue.ts';

/** A unit-level stand-in for the LMDB environment: only `flushed` is read by the queue. */
const env = { flushed: Promise.resolve() } as unknown as RootDatabase;

function sync(q: WriteQueue): Promise<Error | undefined> {
  return new Promise((resolve) => q.sync(resolve));
}

describe('WriteQueue', () => {
  it('calls back asynchronously, in request order, after the writes before each sync', async () => {
    const q = new WriteQueue(env);
    const order: string[] = [];
    let release!: () => void;
    q.write(() => new Promise<void>((r) => (release = r)), () => order.push('w1 committed'));
    let called = false;
    const a = new Promise<void>((r) => q.sync(() => (order.push('sync1'), (called = true), r())));
    const b = new Promise<void>((r) => q.sync(() => (order.push('sync2'), r())));
    expect(called).toBe(false);
    await new Promise((r) => setTimeout(r, 5));
    expect(order).toEqual([]);
    release();
    await Promise.all([a, b]);
    expect(order).toEqual(['w1 committed', 'sync1', 'sync2']);
  });

  it('reports the first failed write to every later sync and drops later writes', async () => {
    const q = new WriteQueue(env);
    q.write(() => Promise.reject(new Error('MDB_MAP_FULL: Environment mapsize limit reached')));
    let started = false;
    q.write(async () => {
      started = true;
    });
    expect(await sync(q)).toMatchObject({ message: /MDB_MAP_FULL/ });
    expect(started).toBe(true); // queued before the failure was known; it is the caller's to stop
    let after = false;
    q.write(async () => {
      after = true;
    });
    expect(after).toBe(false);
    expect(await sync(q)).toMatchObject({ message: /MDB_MAP_FULL/ });
    expect(q.error?.message).toMatch(/MDB_MAP_FULL/);
  });

  it('keeps delivering callbacks after one throws', async () => {
    const q = new WriteQueue(env);
    const seen: number[] = [];
    const onError = (e: unknown) => seen.push(e instanceof Error && e.message === 'callback bug' ? -1 : -2);
    process.once('uncaughtException', onError);
    q.sync(() => {
      throw new Error('callback bug');
    });
    await sync(q);
    seen.push(1);
    process.removeListener('uncaughtException', onError);
    expect(seen).toContain(1);
  });
});
