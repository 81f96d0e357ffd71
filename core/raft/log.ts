/**
 * Raft's view of its log: entries already handed to the driver (readable from the LogStore) plus an
 * in-memory tail not yet handed out (`unstable`), a snapshot boundary, and the commit index.
 *
 * Why two parts: the state machine never writes storage itself (it is sans-IO). New entries wait in
 * `unstable` until `Ready` hands them to the driver, which writes them to the LogStore before calling
 * the state machine again; from then on they are read back from the store. Raft tracks which range
 * of the store is valid in its own view (`stableFirst..stableLast`), because after a conflicting
 * append or a snapshot install the store briefly holds entries Raft has already discarded.
 */
import type { LogStore } from '../ports/storage.ts';
import type { Entry, Snapshot } from './types.ts';

/** The read half of a LogStore, which is all the state machine needs. */
export type LogReader = Pick<LogStore, 'get' | 'range'>;

/** Where the log starts: what the store holds and the snapshot it follows. */
export interface LogBounds {
  firstIndex: number;
  lastIndex: number;
  snapshotIndex: number;
  snapshotTerm: number;
}

export class RaftLog {
  /** The valid range of the store in Raft's view (empty when first > last). */
  private stableFirst: number;
  private stableLast: number;
  /** Entries not yet handed to the driver; `unstable[0].index === unstableOffset`. */
  private unstable: Entry[] = [];
  private unstableOffset: number;
  snapshotIndex: number;
  snapshotTerm: number;
  /** Highest index known committed. */
  committed: number;
  /** Highest index handed to the driver for applying. */
  applying: number;
  /** Lowest index replaced by a conflicting append since the last `consumeTruncation`. */
  private truncatedFrom: number | undefined;
  /** A snapshot received from the leader that the driver has not installed yet. */
  pendingSnapshot: Snapshot | null = null;

  constructor(
    private readonly store: LogReader,
    bounds: LogBounds,
  ) {
    this.snapshotIndex = bounds.snapshotIndex;
    this.snapshotTerm = bounds.snapshotTerm;
    this.stableFirst = bounds.firstIndex;
    this.stableLast = bounds.lastIndex;
    if (this.stableLast < this.snapshotIndex) {
      // The store holds nothing past the snapshot (it was reset to it): the log restarts there.
      this.stableFirst = this.snapshotIndex + 1;
      this.stableLast = this.snapshotIndex;
    }
    this.unstableOffset = this.stableLast + 1;
    this.committed = this.snapshotIndex;
    this.applying = this.snapshotIndex;
  }

  /** Index of the first entry still available (entries before it are only in the snapshot). */
  firstIndex(): number {
    return this.stableFirst;
  }

  lastIndex(): number {
    return this.unstableOffset + this.unstable.length - 1;
  }

  lastTerm(): number {
    return this.term(this.lastIndex()) ?? 0;
  }

  /** The term of the entry at `index`, or undefined when it is compacted away or beyond the end. */
  term(index: number): number | undefined {
    if (index >= this.unstableOffset) return this.unstable[index - this.unstableOffset]?.term;
    if (index === this.snapshotIndex) return this.snapshotTerm;
    if (index === 0) return 0;
    if (index < this.stableFirst) return undefined;
    return this.store.get(index)?.term;
  }

  matchTerm(index: number, term: number): boolean {
    return this.term(index) === term;
  }

  /** Entries `lo..hi` (inclusive), stopping once `maxBytes` of data is reached (at least one). */
  entries(lo: number, hi: number, maxBytes: number): Entry[] {
    const last = Math.min(hi, this.lastIndex());
    if (lo > last || lo < this.stableFirst) return [];
    let out: Entry[] = [];
    let bytes = 0;
    if (lo < this.unstableOffset) {
      out = this.store.range(lo, Math.min(last, this.unstableOffset - 1), maxBytes);
      for (const e of out) bytes += e.data.length;
      if (bytes >= maxBytes || out.length === 0 || out[out.length - 1]!.index < this.unstableOffset - 1) return out;
    }
    const from = Math.max(lo, this.unstableOffset) - this.unstableOffset;
    const to = last - this.unstableOffset;
    for (let i = from; i <= to; i++) {
      const e = this.unstable[i]!;
      if (out.length > 0 && bytes + e.data.length > maxBytes) break;
      out.push(e);
      bytes += e.data.length;
    }
    return out;
  }

  /** Whether a candidate whose log ends at (`index`, `term`) is at least as up to date as ours. */
  isUpToDate(index: number, term: number): boolean {
    const lastTerm = this.lastTerm();
    return term > lastTerm || (term === lastTerm && index >= this.lastIndex());
  }

  /** A leader's append of brand-new entries (their indexes continue the log). */
  append(entries: Entry[]): void {
    for (const e of entries) this.unstable.push(e);
  }

  /**
   * A follower's append: checks that the entry before `entries` matches (`prevIndex`, `prevTerm`),
   * drops any conflicting suffix, appends what is new and advances the commit index. Returns the
   * index of the last entry the leader sent, or -1 when the previous entry does not match.
   */
  maybeAppend(prevIndex: number, prevTerm: number, commit: number, entries: Entry[]): number {
    if (!this.matchTerm(prevIndex, prevTerm)) return -1;
    const lastNew = prevIndex + entries.length;
    const conflict = this.findConflict(entries);
    if (conflict !== 0) {
      if (conflict <= this.committed) {
        throw new Error(`raft: entry ${conflict} conflicts with committed entry (committed ${this.committed})`);
      }
      this.truncateAndAppend(entries.slice(conflict - (prevIndex + 1)));
    }
    this.commitTo(Math.min(commit, lastNew));
    return lastNew;
  }

  /** The first entry whose term differs from ours (or that we lack), or 0 when all match. */
  private findConflict(entries: Entry[]): number {
    for (const e of entries) if (!this.matchTerm(e.index, e.term)) return e.index;
    return 0;
  }

  private truncateAndAppend(entries: Entry[]): void {
    const first = entries[0];
    if (!first) return;
    const after = this.unstableOffset + this.unstable.length;
    if (first.index < after) this.truncatedFrom = Math.min(this.truncatedFrom ?? first.index, first.index);
    if (first.index === after) {
      for (const e of entries) this.unstable.push(e);
    } else if (first.index <= this.unstableOffset) {
      // Replaces entries already handed to the store: they leave Raft's view now, and the driver
      // truncates the store when it writes these entries.
      this.unstableOffset = first.index;
      this.stableLast = Math.min(this.stableLast, first.index - 1);
      this.unstable = entries.slice();
    } else {
      this.unstable = this.unstable.slice(0, first.index - this.unstableOffset).concat(entries);
    }
  }

  /** Returns (and forgets) the lowest index replaced by conflicting appends, if any. */
  consumeTruncation(): number | undefined {
    const t = this.truncatedFrom;
    this.truncatedFrom = undefined;
    return t;
  }

  /**
   * The largest index <= `index` whose term is <= `term` (or whose term is unknown): where two logs
   * can at best agree. Used for fast back-off on a rejected append.
   */
  findConflictByTerm(index: number, term: number): number {
    let i = Math.min(index, this.lastIndex());
    for (; i > 0; i--) {
      const t = this.term(i);
      if (t === undefined || t <= term) return i;
    }
    return 0;
  }

  commitTo(index: number): void {
    if (index > this.committed) this.committed = Math.min(index, this.lastIndex());
  }

  hasUnstable(): boolean {
    return this.unstable.length > 0;
  }

  /** Hands the unstable tail to the driver: from now on it is read back from the store. */
  takeUnstable(): Entry[] {
    const out = this.unstable;
    if (out.length === 0) return out;
    this.stableLast = this.lastIndex();
    this.unstableOffset = this.stableLast + 1;
    this.unstable = [];
    if (this.stableFirst > this.stableLast) this.stableFirst = out[0]!.index;
    return out;
  }

  hasNextCommitted(): boolean {
    return this.committed > this.applying && this.pendingSnapshot === null;
  }

  /** Committed entries not yet handed out for applying, up to `maxBytes`. */
  takeCommitted(maxBytes: number): Entry[] {
    if (!this.hasNextCommitted()) return [];
    const out = this.entries(this.applying + 1, this.committed, maxBytes);
    if (out.length > 0) this.applying = out[out.length - 1]!.index;
    return out;
  }

  /** Replaces the whole log with a snapshot received from the leader. */
  restore(snapshot: Snapshot): void {
    this.pendingSnapshot = snapshot;
    this.snapshotIndex = snapshot.index;
    this.snapshotTerm = snapshot.term;
    this.committed = snapshot.index;
    this.applying = snapshot.index;
    this.unstable = [];
    this.unstableOffset = snapshot.index + 1;
    this.stableFirst = snapshot.index + 1;
    this.stableLast = snapshot.index;
  }

  /** The driver compacted the store after taking a snapshot at (`index`, `term`). */
  compacted(index: number, term: number, firstIndex: number): void {
    if (index > this.snapshotIndex) {
      this.snapshotIndex = index;
      this.snapshotTerm = term;
    }
    if (firstIndex > this.stableFirst) this.stableFirst = Math.min(firstIndex, this.stableLast + 1);
  }
}
