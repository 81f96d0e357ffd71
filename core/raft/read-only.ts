/**
 * ReadIndex bookkeeping on the leader. Each consistent read request gets a round number; the leader
 * broadcasts a heartbeat carrying it, and a follower's response for round r acknowledges every
 * round <= r (it heard from this leader after all of them started). A request completes once a
 * quorum of voters acknowledged its round, with the commit index recorded when it was made.
 */
export interface PendingRead {
  round: number;
  index: number;
  ctx: number;
}

export class ReadOnlyQueue {
  private queue: PendingRead[] = [];
  private round = 0;

  /** Queues a read at commit `index` and returns the round to broadcast. */
  add(index: number, ctx: number): number {
    this.round++;
    this.queue.push({ round: this.round, index, ctx });
    return this.round;
  }

  get lastRound(): number {
    return this.round;
  }

  get length(): number {
    return this.queue.length;
  }

  /** Removes and returns every read whose round is <= `round`, in order. */
  releaseUpTo(round: number): PendingRead[] {
    let n = 0;
    while (n < this.queue.length && this.queue[n]!.round <= round) n++;
    return n === 0 ? [] : this.queue.splice(0, n);
  }

  /** Drops everything (leadership lost: the driver fails the waiting reads). */
  clear(): void {
    this.queue = [];
  }
}

/**
 * The largest value acknowledged by a quorum: sorts `acks` (one per voter) descending and returns
 * the element at position floor(n/2). With n voters, a majority has acknowledged at least that.
 */
export function quorumValue(acks: number[]): number {
  const n = acks.length;
  if (n === 0) return 0;
  // Insertion sort, descending: n is the number of voters (3 or 5), so this beats Array#sort.
  for (let i = 1; i < n; i++) {
    const v = acks[i]!;
    let j = i - 1;
    while (j >= 0 && acks[j]! < v) {
      acks[j + 1] = acks[j]!;
      j--;
    }
    acks[j + 1] = v;
  }
  return acks[n >> 1]!;
}
