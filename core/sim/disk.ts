import type { Random } from '../ports/random.ts';
import type {
  LogRecord,
  LogStore,
  SnapshotMeta,
  SnapshotStore,
  StableStore,
  SyncCallback,
} from '../ports/storage.ts';
import { drawLatency, type LatencyModel } from './latency.ts';

/** How the simulated disk behaves. */
export interface DiskConfig {
  /** Time from `sync` (or snapshot `save`) to durability. */
  syncLatency: LatencyModel;
  /**
   * On a crash, unsynced writes are lost. When true, a random prefix of them survives instead
   * (possibly cutting a multi-entry append in the middle), as a real file system may have written
   * some of them back already.
   */
  tornWrites: boolean;
}

export const DEFAULT_DISK_CONFIG: DiskConfig = {
  syncLatency: { kind: 'uniform', minMs: 0.2, maxMs: 2 },
  tornWrites: true,
};

/** What a store needs from its node: node-bound scheduling (dropped on crash) and a stream. */
export interface DiskContext {
  /** Schedules `fn` on the owning node after `delayMs` of virtual time; dropped if it crashes. */
  schedule(delayMs: number, fn: () => void): void;
  /** Virtual time, ms. */
  now(): number;
  random: Random;
  config: DiskConfig;
  onSync(store: string, writes: number): void;
}

/**
 * The common durability machinery: writes go to `pending`; a sync captures how many writes it
 * covers and makes them durable when it completes; a crash replays a prefix (or none) of what is
 * still pending on top of the durable state.
 */
abstract class SimStore<Op> {
  protected pending: Op[] = [];
  private syncedThrough = 0; // count of ops ever made durable
  private written = 0; // count of ops ever written
  private lastSyncAt = 0;

  constructor(
    protected readonly name: string,
    protected ctx: DiskContext,
  ) {}

  /** Rebinds to a restarted node's context. */
  attach(ctx: DiskContext): void {
    this.ctx = ctx;
  }

  protected record(op: Op): void {
    this.pending.push(op);
    this.written++;
  }

  sync(callback: SyncCallback): void {
    const target = this.written;
    // Syncs complete in request order: never before an earlier one.
    const now = this.ctx.now();
    const at = Math.max(this.lastSyncAt, now + drawLatency(this.ctx.config.syncLatency, this.ctx.random));
    this.lastSyncAt = at;
    this.ctx.schedule(at - now, () => {
      const count = target - this.syncedThrough;
      if (count > 0) {
        const ops = this.pending.splice(0, count);
        for (const op of ops) this.applyDurable(op);
        this.syncedThrough = target;
        this.ctx.onSync(this.name, count);
      }
      callback(undefined);
    });
  }

  /** Called when the node crashes. Returns how many unsynced writes were lost. */
  crash(): number {
    const keep = this.ctx.config.tornWrites ? this.ctx.random.int(this.pending.length + 1) : 0;
    const survivors = this.pending.slice(0, keep);
    const lost = this.pending.length - keep;
    const torn = keep < this.pending.length ? this.tearOp(this.pending[keep] as Op) : undefined;
    this.pending = [];
    for (const op of survivors) this.applyDurable(op);
    if (torn !== undefined) this.applyDurable(torn);
    this.written = this.syncedThrough = this.syncedThrough + survivors.length;
    this.lastSyncAt = 0;
    this.resetVolatile();
    return lost;
  }

  /** A partially written form of `op` that may survive a crash, or undefined if it is atomic. */
  protected tearOp(_op: Op): Op | undefined {
    return undefined;
  }

  protected abstract applyDurable(op: Op): void;
  /** Makes the readable state equal the durable state again. */
  protected abstract resetVolatile(): void;
}

type LogOp =
  | { kind: 'append'; entries: LogRecord[] }
  | { kind: 'truncate'; index: number }
  | { kind: 'compact'; index: number };

/** Applies one log op to an array-backed log (entries[i] has index first + i). */
function applyLogOp(log: { first: number; entries: LogRecord[] }, op: LogOp): void {
  switch (op.kind) {
    case 'append':
      for (const e of op.entries) {
        // A torn restore may replay an append whose head is already there: keep indexes contiguous.
        const expected = log.first + log.entries.length;
        if (e.index === expected) log.entries.push(e);
        else if (e.index < expected && e.index >= log.first) {
          log.entries.length = e.index - log.first;
          log.entries.push(e);
        }
      }
      break;
    case 'truncate':
      if (op.index < log.first + log.entries.length) log.entries.length = Math.max(0, op.index - log.first);
      break;
    case 'compact':
      if (op.index >= log.first) {
        const drop = Math.min(log.entries.length, op.index - log.first + 1);
        log.entries = log.entries.slice(drop);
        log.first = op.index + 1;
      }
      break;
  }
}

/** A simulated Raft log store (see LogStore for the contract). */
export class SimLogStore extends SimStore<LogOp> implements LogStore {
  private durable = { first: 1, entries: [] as LogRecord[] };
  private live = { first: 1, entries: [] as LogRecord[] };

  firstIndex(): number {
    return this.live.first;
  }

  lastIndex(): number {
    return this.live.first + this.live.entries.length - 1;
  }

  get(index: number): LogRecord | undefined {
    return this.live.entries[index - this.live.first];
  }

  range(lo: number, hi: number, maxBytes = Number.POSITIVE_INFINITY): LogRecord[] {
    const out: LogRecord[] = [];
    let bytes = 0;
    for (let i = Math.max(lo, this.live.first); i <= Math.min(hi, this.lastIndex()); i++) {
      const e = this.live.entries[i - this.live.first] as LogRecord;
      if (out.length > 0 && bytes + e.data.length > maxBytes) break;
      bytes += e.data.length;
      out.push(e);
    }
    return out;
  }

  append(entries: LogRecord[]): void {
    if (entries.length === 0) return;
    const first = entries[0] as LogRecord;
    if (first.index !== this.lastIndex() + 1) {
      throw new RangeError(`SimLogStore.append: index ${first.index} does not follow ${this.lastIndex()}`);
    }
    const op: LogOp = { kind: 'append', entries: entries.slice() };
    applyLogOp(this.live, op);
    this.record(op);
  }

  truncateFrom(index: number): void {
    const op: LogOp = { kind: 'truncate', index };
    applyLogOp(this.live, op);
    this.record(op);
  }

  compactTo(index: number): void {
    const op: LogOp = { kind: 'compact', index };
    applyLogOp(this.live, op);
    this.record(op);
  }

  protected override applyDurable(op: LogOp): void {
    applyLogOp(this.durable, op);
  }

  protected override tearOp(op: LogOp): LogOp | undefined {
    if (op.kind !== 'append' || op.entries.length < 2) return undefined;
    const keep = this.ctx.random.int(op.entries.length);
    return keep > 0 ? { kind: 'append', entries: op.entries.slice(0, keep) } : undefined;
  }

  protected override resetVolatile(): void {
    this.live = { first: this.durable.first, entries: this.durable.entries.slice() };
  }
}

type StableOp = { key: string; value: Uint8Array };

/** A simulated stable store (see StableStore). */
export class SimStableStore extends SimStore<StableOp> implements StableStore {
  private durable = new Map<string, Uint8Array>();
  private live = new Map<string, Uint8Array>();

  get(key: string): Uint8Array | undefined {
    return this.live.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.live.set(key, value);
    this.record({ key, value });
  }

  protected override applyDurable(op: StableOp): void {
    this.durable.set(op.key, op.value);
  }

  protected override resetVolatile(): void {
    this.live = new Map(this.durable);
  }
}

/** A simulated snapshot store: a save becomes visible only once it completes; keeps the newest 2. */
export class SimSnapshotStore implements SnapshotStore {
  private saved: Array<{ meta: SnapshotMeta; data: Uint8Array }> = [];

  constructor(
    private readonly name: string,
    private ctx: DiskContext,
  ) {}

  attach(ctx: DiskContext): void {
    this.ctx = ctx;
  }

  save(meta: SnapshotMeta, data: Uint8Array, callback: SyncCallback): void {
    const delay = drawLatency(this.ctx.config.syncLatency, this.ctx.random);
    this.ctx.schedule(delay, () => {
      this.saved = [{ meta: { ...meta, size: data.length }, data }, ...this.saved].slice(0, 2);
      this.ctx.onSync(this.name, 1);
      callback(undefined);
    });
  }

  latest(): { meta: SnapshotMeta; data: Uint8Array } | undefined {
    return this.saved[0];
  }

  list(): SnapshotMeta[] {
    return this.saved.map((s) => s.meta);
  }

  crash(): number {
    return 0;
  }
}

/** A node's disk: named stores that outlive the node's processes. */
export class SimDisk {
  private readonly logs = new Map<string, SimLogStore>();
  private readonly stables = new Map<string, SimStableStore>();
  private readonly snapshots = new Map<string, SimSnapshotStore>();

  constructor(private ctx: DiskContext) {}

  /** Rebinds every store to a restarted node. */
  attach(ctx: DiskContext): void {
    this.ctx = ctx;
    for (const s of [...this.logs.values(), ...this.stables.values(), ...this.snapshots.values()]) s.attach(ctx);
  }

  logStore(name: string): SimLogStore {
    return getOrCreate(this.logs, name, () => new SimLogStore(`log:${name}`, this.ctx));
  }

  stableStore(name: string): SimStableStore {
    return getOrCreate(this.stables, name, () => new SimStableStore(`stable:${name}`, this.ctx));
  }

  snapshotStore(name: string): SimSnapshotStore {
    return getOrCreate(this.snapshots, name, () => new SimSnapshotStore(`snap:${name}`, this.ctx));
  }

  /** Applies crash semantics to every store; returns the number of unsynced writes lost. */
  crash(): number {
    let lost = 0;
    for (const s of [...this.logs.values(), ...this.stables.values(), ...this.snapshots.values()]) lost += s.crash();
    return lost;
  }
}

function getOrCreate<K, V>(map: Map<K, V>, key: K, make: () => V): V {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
