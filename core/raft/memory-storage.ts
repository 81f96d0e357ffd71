/**
 * In-memory LogStore, StableStore and SnapshotStore, for tests, benchmarks and the browser lab's
 * ephemeral clusters. They keep the storage contract (core/ports/storage.ts) except that nothing
 * survives the process: `sync` always succeeds, calling back through the injected `defer` so that
 * the callback is never inside the call.
 */
import type { LogRecord, LogStore, SnapshotMeta, SnapshotStore, StableStore, SyncCallback } from '../ports/storage.ts';

/** Runs a callback later (a timer of 0, setImmediate, the simulator's scheduler). */
export type Defer = (fn: () => void) => void;

export class MemoryLogStore implements LogStore {
  private entries: LogRecord[] = [];
  private first = 1;

  constructor(private readonly defer: Defer) {}

  firstIndex(): number {
    return this.first;
  }

  lastIndex(): number {
    return this.first + this.entries.length - 1;
  }

  get(index: number): LogRecord | undefined {
    return this.entries[index - this.first];
  }

  range(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): LogRecord[] {
    const from = lo - this.first;
    const to = Math.min(hi, this.lastIndex()) - this.first;
    if (from < 0 || from > to) return [];
    if (maxBytes === Number.POSITIVE_INFINITY) return this.entries.slice(from, to + 1);
    const out: LogRecord[] = [];
    let bytes = 0;
    for (let i = from; i <= to; i++) {
      const e = this.entries[i]!;
      if (out.length > 0 && bytes + e.data.length > maxBytes) break;
      out.push(e);
      bytes += e.data.length;
    }
    return out;
  }

  append(entries: LogRecord[]): void {
    const first = entries[0];
    if (!first) return;
    if (first.index !== this.lastIndex() + 1) {
      throw new Error(`log store: append at ${first.index} does not continue the log (last ${this.lastIndex()})`);
    }
    for (const e of entries) this.entries.push(e);
  }

  truncateFrom(index: number): void {
    if (index <= this.lastIndex()) this.entries.length = Math.max(0, index - this.first);
  }

  compactTo(index: number): void {
    if (index < this.first) return;
    if (index >= this.lastIndex()) this.entries = [];
    else this.entries = this.entries.slice(index + 1 - this.first);
    this.first = index + 1;
  }

  sync(callback: SyncCallback): void {
    this.defer(() => callback(undefined));
  }
}

export class MemoryStableStore implements StableStore {
  private readonly values = new Map<string, Uint8Array>();

  constructor(private readonly defer: Defer) {}

  get(key: string): Uint8Array | undefined {
    return this.values.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.values.set(key, value);
  }

  sync(callback: SyncCallback): void {
    this.defer(() => callback(undefined));
  }
}

export class MemorySnapshotStore implements SnapshotStore {
  private snapshots: Array<{ meta: SnapshotMeta; data: Uint8Array }> = [];

  constructor(
    private readonly defer: Defer,
    private readonly retain = 2,
  ) {}

  save(meta: SnapshotMeta, data: Uint8Array, callback: SyncCallback): void {
    this.defer(() => {
      this.snapshots.unshift({ meta, data });
      this.snapshots.length = Math.min(this.snapshots.length, this.retain);
      callback(undefined);
    });
  }

  latest(): { meta: SnapshotMeta; data: Uint8Array } | undefined {
    return this.snapshots[0];
  }

  list(): SnapshotMeta[] {
    return this.snapshots.map((s) => s.meta);
  }
}
