/**
 * The leader's view of each follower's log: what matches, what to send next, and how much is in
 * flight. Flow control follows etcd's design: `probe` sends one append at a time until a match is
 * found, `replicate` pipelines appends optimistically within the in-flight bounds, `snapshot`
 * streams an InstallSnapshot and sends nothing else.
 */
import type { Snapshot } from './types.ts';

/** A ring buffer of in-flight appends: the last index and byte size of each, oldest first. */
export class Inflights {
  private readonly indexes: Float64Array;
  private readonly sizes: Float64Array;
  private start = 0;
  count = 0;
  bytes = 0;

  constructor(
    readonly maxCount: number,
    readonly maxBytes: number,
  ) {
    this.indexes = new Float64Array(maxCount);
    this.sizes = new Float64Array(maxCount);
  }

  /** Records an append whose last entry is `index` carrying `bytes` of entry data. */
  add(index: number, bytes: number): void {
    const slot = (this.start + this.count) % this.maxCount;
    this.indexes[slot] = index;
    this.sizes[slot] = bytes;
    this.count++;
    this.bytes += bytes;
  }

  /** Frees every in-flight append whose last index is <= `index` (they were acknowledged). */
  freeLE(index: number): void {
    while (this.count > 0 && (this.indexes[this.start] as number) <= index) {
      this.bytes -= this.sizes[this.start] as number;
      this.start = (this.start + 1) % this.maxCount;
      this.count--;
    }
  }

  /** Frees the oldest in-flight append (its acknowledgment was probably lost). */
  freeFirst(): void {
    if (this.count === 0) return;
    this.bytes -= this.sizes[this.start] as number;
    this.start = (this.start + 1) % this.maxCount;
    this.count--;
  }

  full(): boolean {
    return this.count >= this.maxCount || (this.maxBytes > 0 && this.bytes >= this.maxBytes);
  }

  reset(): void {
    this.start = 0;
    this.count = 0;
    this.bytes = 0;
  }
}

export type ProgressState = 'probe' | 'replicate' | 'snapshot';

/** An InstallSnapshot transfer in progress to one follower. */
export interface SnapshotTransfer {
  snapshot: Snapshot;
  /** Bytes the follower has acknowledged. */
  acked: number;
  /** Leader tick when the last chunk was sent (a silent follower gets it again). */
  sentTick: number;
}

export class Progress {
  match = 0;
  next: number;
  state: ProgressState = 'probe';
  /** In probe state: an append is outstanding, wait for its answer (or a heartbeat response). */
  probeSent = false;
  /** Heard from since the last check-quorum round. */
  recentActive = false;
  /** Leader tick of the latest response (autopilot's LastContact). */
  lastContactTick = 0;
  /** Leader tick of the newest append with entries sent to this follower. */
  lastAppendTick = 0;
  /** Highest leader tick echoed back: the send time of the newest acknowledged message. */
  leaseAck = -1;
  transfer: SnapshotTransfer | null = null;
  readonly inflights: Inflights;

  constructor(
    next: number,
    maxInflightMsgs: number,
    maxInflightBytes: number,
    public voter: boolean,
  ) {
    this.next = next;
    this.inflights = new Inflights(maxInflightMsgs, maxInflightBytes);
  }

  becomeProbe(): void {
    if (this.state === 'snapshot' && this.transfer) {
      this.next = Math.max(this.match + 1, this.transfer.snapshot.index + 1);
    } else {
      this.next = this.match + 1;
    }
    this.reset('probe');
  }

  becomeReplicate(): void {
    this.next = this.match + 1;
    this.reset('replicate');
  }

  becomeSnapshot(transfer: SnapshotTransfer): void {
    this.reset('snapshot');
    this.transfer = transfer;
  }

  private reset(state: ProgressState): void {
    this.state = state;
    this.probeSent = false;
    this.transfer = null;
    this.inflights.reset();
  }

  /** An acknowledgment up to `n`: returns whether it moved `match` forward. */
  maybeUpdate(n: number): boolean {
    let updated = false;
    if (this.match < n) {
      this.match = n;
      updated = true;
      this.probeSent = false;
    }
    if (this.next < n + 1) this.next = n + 1;
    return updated;
  }

  /** Optimistically advances `next` after sending entries up to `last` (replicate state). */
  sentEntries(last: number, bytes: number): void {
    if (this.state === 'replicate') {
      this.inflights.add(last, bytes);
      this.next = last + 1;
    } else if (this.state === 'probe') {
      this.probeSent = true;
    }
  }

  /**
   * A rejection of the append at `rejected`; `hint` is where the logs may agree. Returns false for a
   * stale rejection (already superseded), true when `next` moved back.
   */
  maybeDecrTo(rejected: number, hint: number): boolean {
    if (this.state === 'replicate') {
      if (rejected <= this.match) return false;
      this.next = this.match + 1;
      return true;
    }
    if (this.next - 1 !== rejected) return false;
    this.next = Math.max(Math.min(rejected, hint + 1), this.match + 1, 1);
    this.probeSent = false;
    return true;
  }

  /** Whether sending more appends must wait. */
  isPaused(): boolean {
    switch (this.state) {
      case 'probe':
        return this.probeSent;
      case 'replicate':
        return this.inflights.full();
      case 'snapshot':
        return true;
    }
  }
}
