import { Decoder, Encoder } from '@msgpack/msgpack';
import { concatBytes } from '../lib/bytes.ts';
import { TABLE_ORDER, type Tables } from './schema.ts';
import { StateStore } from './store.ts';
import type { Table } from './table.ts';
import type { KVEntry } from './types.ts';

/**
 * Snapshot format, version 1: the 8 ASCII bytes `CTSSNAP1`, then a stream of msgpack values:
 *
 *   { v: 1, index: <last applied raft index> }
 *   per table in TABLE_ORDER:  ["table", name, maxIndex, rowCount]  then ["rows", [row, ...]] chunks
 *   ["end", totalRows]
 *
 * Rows are written in primary-key order and field order is fixed by the code that built them, so
 * two stores holding the same data produce identical bytes. KV rows are compact tuples with Flags
 * as a decimal string (msgpack has no portable uint64 for JavaScript numbers). Restore builds a new
 * store and only returns it if the whole stream parsed, so a corrupt or unsupported snapshot never
 * touches the live state.
 */

const MAGIC = 'CTSSNAP';
export const SNAPSHOT_VERSION = 1;
const CHUNK_ROWS = 4096;

/** A snapshot that cannot be restored (corrupt, truncated, unsupported version). */
export class SnapshotError extends Error {
  override name = 'SnapshotError';
}

type KVTuple = [string, Uint8Array, string, string, number, number, number];

interface RowCodec {
  encode(row: unknown): unknown;
  decode(raw: unknown): unknown;
}

const kvCodec: RowCodec = {
  encode: (r) => {
    const e = r as KVEntry;
    return [e.Key, e.Value, e.Flags === 0n ? '0' : e.Flags.toString(), e.Session, e.LockIndex, e.CreateIndex, e.ModifyIndex];
  },
  decode: (raw) => {
    const t = raw as KVTuple;
    if (!Array.isArray(t) || t.length !== 7 || typeof t[0] !== 'string' || !(t[1] instanceof Uint8Array)) {
      throw new SnapshotError('bad KV row');
    }
    return { LockIndex: t[4], Key: t[0], Flags: t[2] === '0' ? 0n : BigInt(t[2]), Value: t[1], Session: t[3], CreateIndex: t[5], ModifyIndex: t[6] };
  },
};

const plainCodec: RowCodec = {
  encode: (r) => r,
  decode: (raw) => {
    if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) throw new SnapshotError('bad row');
    return raw;
  },
};

function codecFor(name: keyof Tables): RowCodec {
  return name === 'kvs' ? kvCodec : plainCodec;
}

function header(): Uint8Array {
  return new TextEncoder().encode(MAGIC + String(SNAPSHOT_VERSION));
}

/** The snapshot as a sequence of chunks (header first), suitable for streaming to storage. */
export function* snapshotChunks(s: StateStore): Generator<Uint8Array> {
  const enc = new Encoder({ ignoreUndefined: true });
  yield header();
  yield enc.encode({ v: SNAPSHOT_VERSION, index: s.lastIndex });
  let total = 0;
  for (const name of TABLE_ORDER) {
    const table = s.t[name] as Table<unknown>;
    const codec = codecFor(name);
    yield enc.encode(['table', name, table.maxIndex, table.size]);
    let batch: unknown[] = [];
    for (const row of table.all()) {
      batch.push(codec.encode(row));
      if (batch.length === CHUNK_ROWS) {
        yield enc.encode(['rows', batch]);
        batch = [];
      }
    }
    if (batch.length > 0) yield enc.encode(['rows', batch]);
    total += table.size;
  }
  yield enc.encode(['end', total]);
}

/** The whole snapshot in one buffer. */
export function writeSnapshot(s: StateStore): Uint8Array {
  return concatBytes([...snapshotChunks(s)]);
}

/** Parses a snapshot into a new store. Throws SnapshotError; never touches any existing store. */
export function readSnapshot(data: Uint8Array): StateStore {
  const head = header();
  if (!(data instanceof Uint8Array) || data.length < head.length) throw new SnapshotError('snapshot too short');
  const magic = new TextDecoder().decode(data.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new SnapshotError('not a state snapshot (bad magic)');
  const version = new TextDecoder().decode(data.subarray(MAGIC.length, head.length));
  if (version !== String(SNAPSHOT_VERSION)) throw new SnapshotError(`unsupported snapshot version ${version}`);
  try {
    return parseBody(new Decoder().decodeMulti(data.subarray(head.length)));
  } catch (e) {
    if (e instanceof SnapshotError) throw e;
    throw new SnapshotError(`corrupt snapshot: ${e instanceof Error ? e.message : String(e)}`);
  }
}

function next(it: Iterator<unknown>): unknown {
  const r = it.next();
  if (r.done) throw new SnapshotError('truncated snapshot');
  return r.value;
}

function parseBody(values: Iterable<unknown>): StateStore {
  const it = values[Symbol.iterator]();
  const meta = next(it) as { v?: unknown; index?: unknown };
  if (!meta || meta.v !== SNAPSHOT_VERSION || typeof meta.index !== 'number') throw new SnapshotError('bad snapshot header');
  const s = new StateStore();
  s.lastIndex = meta.index;
  let total = 0;
  for (const name of TABLE_ORDER) {
    const head = next(it) as [string, string, number, number];
    if (!Array.isArray(head) || head[0] !== 'table' || head[1] !== name || typeof head[2] !== 'number') {
      throw new SnapshotError(`expected table ${name}`);
    }
    const table = s.t[name] as Table<unknown>;
    table.maxIndex = head[2];
    const codec = codecFor(name);
    while (table.size < head[3]) {
      const chunk = next(it) as [string, unknown[]];
      if (!Array.isArray(chunk) || chunk[0] !== 'rows' || !Array.isArray(chunk[1])) throw new SnapshotError(`bad rows in ${name}`);
      for (const raw of chunk[1]) table.load(codec.decode(raw));
    }
    if (table.size !== head[3]) throw new SnapshotError(`row count mismatch in ${name}`);
    total += table.size;
  }
  const end = next(it) as [string, number];
  if (!Array.isArray(end) || end[0] !== 'end' || end[1] !== total) throw new SnapshotError('bad snapshot trailer');
  if (!it.next().done) throw new SnapshotError('trailing data after snapshot');
  return s;
}
