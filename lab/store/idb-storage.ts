/**
 * Raft's durable stores for a lab tab, in IndexedDB (through `idb`): the LogStore, StableStore and
 * SnapshotStore of core/ports/storage.ts. Closing and reopening a tab is then a crash and a restart
 * with whatever was synced.
 *
 * Reads are synchronous, so everything is loaded into an in-memory mirror when the database opens
 * (`openIdbStorage` is async; the agent starts after it resolves). Writes change the mirror at once
 * and queue an operation; `sync` writes the queued operations in one readwrite transaction with
 * `durability: 'strict'` and calls back when it commits: a transaction commit is our fsync. Syncs
 * run one after another, so the transactions commit in the order the syncs were asked for, and a
 * tab closed mid-way leaves a prefix of them (an uncommitted transaction is rolled back whole).
 * After a failed transaction the store reports every later sync as failed: it is unusable.
 */
import { type IDBPDatabase, openDB } from 'idb';
import type { LogRecord, LogStore, SnapshotMeta, SnapshotStore, StableStore, SyncCallback } from '../../core/ports/storage.ts';
import { MemoryLogStore } from '../../core/raft/memory-storage.ts';

const DB_VERSION = 1;
/** Snapshots kept per store (hashicorp/raft's retain default is 2). */
const SNAPSHOT_RETAIN = 2;

type Db = IDBPDatabase<unknown>;

interface LogRow {
  term: number;
  type: number;
  data: Uint8Array;
}

interface SnapRow {
  meta: SnapshotMeta;
  data: Uint8Array;
  /** Save order, so that the newest snapshot is found again after a reload. */
  seq: number;
}

/** Everything the database held when it was opened. */
interface Loaded {
  logs: Map<string, { first: number; records: LogRecord[] }>;
  stables: Map<string, Map<string, Uint8Array>>;
  snaps: Map<string, SnapRow[]>;
}

/** Serialises the transactions of every store of one database and remembers a failure. */
class Committer {
  private tail: Promise<void> = Promise.resolve();
  private failure: Error | undefined;

  constructor(private readonly db: Db) {}

  /** Runs `write` in its own strict transaction after every earlier one; calls back on commit. */
  commit(stores: string[], write: (tx: IDBTransaction) => void, done: SyncCallback): void {
    // A throwing callback must not break the chain for later syncs: surface it on its own.
    const callback: SyncCallback = (err) => {
      try {
        done(err);
      } catch (e) {
        setTimeout(() => {
          throw e;
        }, 0);
      }
    };
    this.tail = this.tail.then(async () => {
      if (this.failure) return callback(this.failure);
      try {
        const tx = this.db.transaction(stores, 'readwrite', { durability: 'strict' });
        write(tx as unknown as IDBTransaction);
        await tx.done;
      } catch (e) {
        this.failure = e instanceof Error ? e : new Error(String(e));
        return callback(this.failure);
      }
      callback(undefined);
    });
  }
}

type LogOp = { op: 'put'; record: LogRecord } | { op: 'truncate'; from: number } | { op: 'compact'; to: number };

/** The Raft log: a MemoryLogStore mirror plus the operations not yet synced. */
export class IdbLogStore implements LogStore {
  private readonly mirror = new MemoryLogStore(() => {});
  private ops: LogOp[] = [];

  constructor(
    private readonly name: string,
    private readonly committer: Committer,
    loaded: { first: number; records: LogRecord[] } | undefined,
  ) {
    if (loaded) {
      if (loaded.first > 1) this.mirror.compactTo(loaded.first - 1);
      this.mirror.append(loaded.records);
    }
  }

  firstIndex(): number {
    return this.mirror.firstIndex();
  }
  lastIndex(): number {
    return this.mirror.lastIndex();
  }
  get(index: number): LogRecord | undefined {
    return this.mirror.get(index);
  }
  range(lo: number, hi: number, maxBytes?: number): LogRecord[] {
    return this.mirror.range(lo, hi, maxBytes);
  }

  append(entries: LogRecord[]): void {
    this.mirror.append(entries); // throws, changing nothing, when the entries do not continue the log
    for (const record of entries) this.ops.push({ op: 'put', record });
  }

  truncateFrom(index: number): void {
    if (index > this.mirror.lastIndex()) return;
    this.mirror.truncateFrom(index);
    this.ops.push({ op: 'truncate', from: index });
  }

  compactTo(index: number): void {
    if (index < this.mirror.firstIndex()) return;
    this.mirror.compactTo(index);
    this.ops.push({ op: 'compact', to: index });
  }

  sync(callback: SyncCallback): void {
    const ops = this.ops;
    this.ops = [];
    const name = this.name;
    this.committer.commit(
      ['log', 'logMeta'],
      (tx) => {
        const log = tx.objectStore('log');
        for (const o of ops) {
          if (o.op === 'put') log.put({ term: o.record.term, type: o.record.type, data: o.record.data } satisfies LogRow, [name, o.record.index]);
          else if (o.op === 'truncate') log.delete(IDBKeyRange.bound([name, o.from], [name, Number.MAX_SAFE_INTEGER]));
          else {
            log.delete(IDBKeyRange.bound([name, 0], [name, o.to]));
            tx.objectStore('logMeta').put(o.to + 1, name);
          }
        }
      },
      callback,
    );
  }
}

/** Term, vote and the like: a Map mirror plus the keys written since the last sync. */
export class IdbStableStore implements StableStore {
  private readonly pending = new Map<string, Uint8Array>();

  constructor(
    private readonly name: string,
    private readonly committer: Committer,
    private readonly values: Map<string, Uint8Array>,
  ) {}

  get(key: string): Uint8Array | undefined {
    return this.values.get(key);
  }

  set(key: string, value: Uint8Array): void {
    this.values.set(key, value);
    this.pending.set(key, value);
  }

  sync(callback: SyncCallback): void {
    const writes = [...this.pending];
    this.pending.clear();
    this.committer.commit(
      ['stable'],
      (tx) => {
        const store = tx.objectStore('stable');
        for (const [k, v] of writes) store.put(v, [this.name, k]);
      },
      callback,
    );
  }
}

/** Snapshots, whole or not at all: one transaction writes the new one and drops the oldest. */
export class IdbSnapshotStore implements SnapshotStore {
  private nextSeq: number;

  constructor(
    private readonly name: string,
    private readonly committer: Committer,
    /** Newest first. */
    private rows: SnapRow[],
  ) {
    this.nextSeq = (rows[0]?.seq ?? 0) + 1;
  }

  save(meta: SnapshotMeta, data: Uint8Array, callback: SyncCallback): void {
    const row: SnapRow = { meta, data, seq: this.nextSeq++ };
    const kept = [row, ...this.rows].slice(0, SNAPSHOT_RETAIN);
    const dropped = this.rows.filter((r) => !kept.includes(r));
    this.committer.commit(
      ['snap'],
      (tx) => {
        const store = tx.objectStore('snap');
        store.put(row, [this.name, meta.id]);
        for (const r of dropped) store.delete([this.name, r.meta.id]);
      },
      (err) => {
        // Visible to latest() only once it is durable.
        if (!err) this.rows = [row, ...this.rows.filter((r) => kept.includes(r))].slice(0, SNAPSHOT_RETAIN);
        callback(err);
      },
    );
  }

  latest(): { meta: SnapshotMeta; data: Uint8Array } | undefined {
    const r = this.rows[0];
    return r && { meta: r.meta, data: r.data };
  }

  list(): SnapshotMeta[] {
    return this.rows.map((r) => r.meta);
  }
}

/** One node's stores in one IndexedDB database. */
export class IdbStorage {
  private readonly committer: Committer;
  private readonly logs = new Map<string, IdbLogStore>();
  private readonly stables = new Map<string, IdbStableStore>();
  private readonly snaps = new Map<string, IdbSnapshotStore>();

  private constructor(
    private readonly db: Db,
    private readonly loaded: Loaded,
  ) {
    this.committer = new Committer(db);
  }

  /** Opens (creating if needed) database `dbName` and loads it into memory. */
  static async open(dbName: string): Promise<IdbStorage> {
    const db = await openDB(dbName, DB_VERSION, {
      upgrade(d) {
        d.createObjectStore('log');
        d.createObjectStore('logMeta');
        d.createObjectStore('stable');
        d.createObjectStore('snap');
      },
    });
    return new IdbStorage(db, await load(db));
  }

  /** Deletes a node's database (the page's "wipe" button; tests). */
  static async destroy(dbName: string): Promise<void> {
    const { deleteDB } = await import('idb');
    await deleteDB(dbName);
  }

  logStore(name: string): LogStore {
    return memo(this.logs, name, () => new IdbLogStore(name, this.committer, this.loaded.logs.get(name)));
  }

  stableStore(name: string): StableStore {
    return memo(this.stables, name, () => new IdbStableStore(name, this.committer, this.loaded.stables.get(name) ?? new Map()));
  }

  snapshotStore(name: string): SnapshotStore {
    return memo(this.snaps, name, () => new IdbSnapshotStore(name, this.committer, this.loaded.snaps.get(name) ?? []));
  }

  close(): void {
    this.db.close();
  }
}

function memo<T>(m: Map<string, T>, key: string, make: () => T): T {
  let v = m.get(key);
  if (v === undefined) {
    v = make();
    m.set(key, v);
  }
  return v;
}

async function load(db: Db): Promise<Loaded> {
  const tx = db.transaction(['log', 'logMeta', 'stable', 'snap'], 'readonly');
  const loaded: Loaded = { logs: new Map(), stables: new Map(), snaps: new Map() };
  const logOf = (name: string) => memo(loaded.logs, name, () => ({ first: 1, records: [] as LogRecord[] }));
  let cursor = await tx.objectStore('logMeta').openCursor();
  for (; cursor; cursor = await cursor.continue()) logOf(String(cursor.key)).first = cursor.value as number;
  // Keys sort by [name, index], so each log's records come in index order.
  let logCursor = await tx.objectStore('log').openCursor();
  for (; logCursor; logCursor = await logCursor.continue()) {
    const [name, index] = logCursor.key as [string, number];
    const row = logCursor.value as LogRow;
    logOf(name).records.push({ index, term: row.term, type: row.type, data: row.data });
  }
  let stableCursor = await tx.objectStore('stable').openCursor();
  for (; stableCursor; stableCursor = await stableCursor.continue()) {
    const [name, key] = stableCursor.key as [string, string];
    memo(loaded.stables, name, () => new Map()).set(key, stableCursor.value as Uint8Array);
  }
  let snapCursor = await tx.objectStore('snap').openCursor();
  for (; snapCursor; snapCursor = await snapCursor.continue()) {
    const [name] = snapCursor.key as [string, string];
    memo(loaded.snaps, name, () => [] as SnapRow[]).push(snapCursor.value as SnapRow);
  }
  await tx.done;
  for (const rows of loaded.snaps.values()) rows.sort((a, b) => b.seq - a.seq);
  for (const [name, log] of loaded.logs) checkContiguous(name, log);
  return loaded;
}

/** A log with a hole cannot be served: fail loudly rather than hand Raft a corrupt log. */
function checkContiguous(name: string, log: { first: number; records: LogRecord[] }): void {
  // Entries at or below the compaction point can outlive it only if a compaction's delete and
  // meta write were split, which one transaction prevents; drop them defensively all the same.
  log.records = log.records.filter((r) => r.index >= log.first);
  log.records.forEach((r, i) => {
    if (r.index !== log.first + i) throw new Error(`IndexedDB log "${name}" has a gap at index ${log.first + i} (found ${r.index})`);
  });
}
