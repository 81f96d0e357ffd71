import type { RootDatabase } from 'lmdb';
import type { SyncCallback } from '../../core/ports/storage.ts';

/**
 * Tracks the asynchronous writes queued on one LMDB environment and turns them into the ports'
 * `sync(callback)` contract.
 *
 * lmdb-js already batches every write queued in one event-loop turn (and every write queued while a
 * commit is in flight) into one transaction with one fsync: that is our group commit. A sync waits
 * for the newest write queued before it to commit, then for the environment's flush; any number of
 * syncs waiting at the same time share that single flush. Callbacks run in request order because
 * each sync chains onto the previous one.
 *
 * The first failed write poisons the queue: the write order would otherwise have a hole, so every
 * later sync reports that error and no later write reaches the disk.
 */
export class WriteQueue {
  private last: Promise<unknown> = Promise.resolve();
  private chain: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(private readonly env: RootDatabase) {}

  /** The error that made the store unusable, if any. */
  get error(): Error | undefined {
    return this.failure;
  }

  /**
   * Queues one write (the function starts it and returns its promise) unless the queue has failed.
   * `onCommitted` runs once the write is committed (visible to LMDB reads).
   */
  write(start: () => Promise<unknown>, onCommitted?: () => void): void {
    if (this.failure) return;
    const p = start().then(
      () => onCommitted?.(),
      (e: unknown) => this.fail(e),
    );
    this.last = p;
  }

  /** Calls back once every write queued so far is durable, or with the failure. */
  sync(callback: SyncCallback): void {
    // Each sync waits for its own write and the flush after it independently (so syncs arriving
    // together share one flush); only the delivery of callbacks is chained, to keep request order.
    const durable = this.last.then(() => (this.failure ? undefined : this.env.flushed));
    this.chain = this.chain
      .then(() => durable)
      .then(
        () => deliver(callback, this.failure),
        (e: unknown) => deliver(callback, this.fail(e)),
      );
  }

  private fail(e: unknown): Error {
    this.failure ??= e instanceof Error ? e : new Error(String(e));
    return this.failure;
  }
}

/** Runs a callback outside the promise chain, so that a throwing callback cannot break the chain. */
function deliver(callback: SyncCallback, error: Error | undefined): void {
  queueMicrotask(() => callback(error));
}
