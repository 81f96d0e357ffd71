import { SortedKeys } from './sorted-keys.ts';
import type { ChangeSet } from './watch.ts';

/**
 * The write in progress: its raft index, the undo log that makes it all-or-nothing, and the
 * changes that will wake watchers once it commits.
 */
export interface WriteContext {
  index: number;
  undo: Array<() => void>;
  changes: ChangeSet;
  /** Whether this write created KV tombstones (the leader's tombstone GC wants a hint). */
  tombstoned: boolean;
}

/** Shared by a store's tables: the write currently running, if any. */
export interface WriteSlot {
  ctx: WriteContext | null;
}

/** How a table keys, indexes and announces its rows. */
export interface TableSpec<R> {
  name: string;
  /** Primary key. Rows iterate in ascending primary-key order everywhere. */
  pk(row: R): string;
  /** Row-specific watch topics, computed for both the old and the new row of a write. */
  topics?(row: R): string[];
  /** When set, writes also report the primary key under this name for prefix waiters. */
  prefixWatch?: string;
  /** Secondary (non-unique) indexes: name -> values of a row (none for no entry). */
  indexes?: Record<string, (row: R) => readonly string[]>;
}

/**
 * One table: rows by primary key, an ordered key set, secondary indexes and the table's highest
 * raft index. Rows are immutable values: a write replaces the row object, so a reader holding an
 * old row keeps a consistent version. Writes are only allowed inside a store write.
 */
export class Table<R> {
  readonly name: string;
  private rows = new Map<string, R>();
  private keys = new SortedKeys();
  private readonly idx = new Map<string, Map<string, IndexEntry>>();
  /** Highest raft index that wrote to this table (inserts, updates and deletes). */
  maxIndex = 0;

  constructor(
    readonly spec: TableSpec<R>,
    private readonly slot: WriteSlot,
  ) {
    this.name = spec.name;
    for (const n of Object.keys(spec.indexes ?? {})) this.idx.set(n, new Map());
  }

  get size(): number {
    return this.rows.size;
  }

  get(pk: string): R | undefined {
    return this.rows.get(pk);
  }

  /** Rows whose primary key starts with `prefix`, ascending. */
  prefix(prefix: string, limit?: number): R[] {
    return this.keys.withPrefix(prefix, limit).map((k) => this.rows.get(k)!);
  }

  /** Primary keys >= lower in ascending order (do not write while iterating). */
  keysFrom(lower: string): Generator<string> {
    return this.keys.from(lower);
  }

  /** All rows ascending by primary key. */
  *all(): Generator<R> {
    for (const k of this.keys.all()) yield this.rows.get(k)!;
  }

  /** Rows with `value` in secondary index `index`, ascending by primary key. */
  byIndex(index: string, value: string): R[] {
    const e = this.index(index).get(value);
    if (!e) return [];
    // Sorted lazily and cached until the entry changes: hot reads (a service's instances) sort once.
    if (!e.sorted) e.sorted = [...e.keys].sort(compare);
    return e.sorted.map((k) => this.rows.get(k)!);
  }

  /** Whether any row has `value` in `index`. */
  hasIndexValue(index: string, value: string): boolean {
    return (this.index(index).get(value)?.keys.size ?? 0) > 0;
  }

  /** Distinct values of a secondary index, ascending. */
  indexValues(index: string): string[] {
    return [...this.index(index).keys()].sort(compare);
  }

  /** Inserts or replaces a row at the current write's index. */
  put(row: R): void {
    const ctx = this.ctxOrThrow();
    const pk = this.spec.pk(row);
    const old = this.rows.get(pk);
    const oldMax = this.maxIndex;
    ctx.undo.push(() => {
      this.maxIndex = oldMax;
      if (old === undefined) this.rawDelete(pk);
      else this.rawPut(pk, old);
    });
    this.rawPut(pk, row);
    this.maxIndex = Math.max(this.maxIndex, ctx.index);
    this.noteChange(ctx, pk, old, row);
  }

  /** Deletes a row if present; returns the deleted row. */
  delete(pk: string): R | undefined {
    const old = this.rows.get(pk);
    if (old === undefined) return undefined;
    const ctx = this.ctxOrThrow();
    const oldMax = this.maxIndex;
    ctx.undo.push(() => {
      this.maxIndex = oldMax;
      this.rawPut(pk, old);
    });
    this.rawDelete(pk);
    this.maxIndex = Math.max(this.maxIndex, ctx.index);
    this.noteChange(ctx, pk, old, undefined);
    return old;
  }

  /** Raises the table index without a row change (Consul bumps indexes on some no-op deletes). */
  touch(): void {
    const ctx = this.ctxOrThrow();
    const oldMax = this.maxIndex;
    ctx.undo.push(() => {
      this.maxIndex = oldMax;
    });
    this.maxIndex = Math.max(this.maxIndex, ctx.index);
    ctx.changes.topics.add(tableTopic(this.name));
  }

  /** Restore path: inserts without undo or notification. */
  load(row: R): void {
    this.rawPut(this.spec.pk(row), row);
  }

  private ctxOrThrow(): WriteContext {
    const ctx = this.slot.ctx;
    if (!ctx) throw new Error(`write to table ${this.name} outside a write transaction`);
    return ctx;
  }

  private index(name: string): Map<string, IndexEntry> {
    const m = this.idx.get(name);
    if (!m) throw new Error(`table ${this.name} has no index ${name}`);
    return m;
  }

  private noteChange(ctx: WriteContext, pk: string, old: R | undefined, row: R | undefined): void {
    const topics = ctx.changes.topics;
    topics.add(tableTopic(this.name));
    const rowTopics = this.spec.topics;
    if (rowTopics) {
      if (old !== undefined) for (const t of rowTopics(old)) topics.add(t);
      if (row !== undefined) for (const t of rowTopics(row)) topics.add(t);
    }
    const pw = this.spec.prefixWatch;
    if (pw !== undefined) {
      let s = ctx.changes.keys.get(pw);
      if (!s) ctx.changes.keys.set(pw, (s = new Set()));
      s.add(pk);
    }
  }

  private rawPut(pk: string, row: R): void {
    const old = this.rows.get(pk);
    if (old === undefined) this.keys.insert(pk);
    else this.unindex(pk, old);
    this.rows.set(pk, row);
    this.indexRow(pk, row);
  }

  private rawDelete(pk: string): void {
    const old = this.rows.get(pk);
    if (old === undefined) return;
    this.unindex(pk, old);
    this.rows.delete(pk);
    this.keys.delete(pk);
  }

  private indexRow(pk: string, row: R): void {
    const specs = this.spec.indexes;
    if (!specs) return;
    for (const name in specs) {
      const m = this.idx.get(name)!;
      for (const v of specs[name]!(row)) {
        let e = m.get(v);
        if (!e) m.set(v, (e = { keys: new Set(), sorted: null }));
        if (!e.keys.has(pk)) {
          e.keys.add(pk);
          e.sorted = null;
        }
      }
    }
  }

  private unindex(pk: string, row: R): void {
    const specs = this.spec.indexes;
    if (!specs) return;
    for (const name in specs) {
      const m = this.idx.get(name)!;
      for (const v of specs[name]!(row)) {
        const e = m.get(v);
        if (!e?.keys.delete(pk)) continue;
        e.sorted = null;
        if (e.keys.size === 0) m.delete(v);
      }
    }
  }
}

/** Primary keys holding one secondary-index value, with a lazily sorted copy. */
interface IndexEntry {
  keys: Set<string>;
  sorted: string[] | null;
}

/** Topic fired by every write to a table. */
export function tableTopic(table: string): string {
  return `table:${table}`;
}

/** Plain code-unit string comparison (deterministic, locale-free). */
export function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
