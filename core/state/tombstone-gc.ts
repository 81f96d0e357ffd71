/**
 * The leader's tombstone GC schedule (Consul's state.TombstoneGC), pure and driven by the caller's
 * clock. Each delete reports its raft index with `hint`; indexes are binned by expiry time rounded
 * up to `granularityMs`, so many deletes share one reap. When a bin expires, the leader proposes a
 * `tombstone-reap` command with the bin's highest index. Not replicated: a new leader starts empty,
 * as in Consul (tombstones then live until later hints cover them).
 */
export const DEFAULT_TOMBSTONE_TTL_MS = 15 * 60_000;
export const DEFAULT_TOMBSTONE_GRANULARITY_MS = 30_000;

export class TombstoneGC {
  /** expiry bin (ms) -> highest raft index in it; insertion order is ascending expiry. */
  private readonly bins = new Map<number, number>();

  constructor(
    readonly ttlMs = DEFAULT_TOMBSTONE_TTL_MS,
    readonly granularityMs = DEFAULT_TOMBSTONE_GRANULARITY_MS,
  ) {}

  /** Records that tombstones up to `index` were created at `now`. */
  hint(index: number, now: number): void {
    const expires = Math.ceil((now + this.ttlMs) / this.granularityMs) * this.granularityMs;
    this.bins.set(expires, Math.max(this.bins.get(expires) ?? 0, index));
  }

  /** The index to reap at `now` (highest index of all expired bins), removing those bins. */
  expire(now: number): number | undefined {
    let reap: number | undefined;
    for (const [at, index] of this.bins) {
      if (at > now) break;
      reap = Math.max(reap ?? 0, index);
      this.bins.delete(at);
    }
    return reap;
  }

  /** When the next bin expires, for the caller's single timer. */
  nextExpiry(): number | undefined {
    for (const at of this.bins.keys()) return at;
    return undefined;
  }

  get pending(): number {
    return this.bins.size;
  }
}
