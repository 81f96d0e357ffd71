import { topic } from './schema.ts';
import { StateError, type StateStore } from './store.ts';
import type { KVEntry, QueryResult } from './types.ts';
import { WatchSet } from './watch.ts';

/**
 * KV semantics (Consul's agent/consul/state/kvs.go): set, CAS on ModifyIndex, delete, delete-CAS,
 * delete-tree, lock/unlock with sessions and lock-delay, tombstones so that indexes of deleted keys
 * and prefixes still advance, and tombstone reaping.
 */

/** The writable part of a KV entry. */
export interface KVInput {
  Key: string;
  Value?: Uint8Array;
  /** uint64; anything else is rejected. */
  Flags?: bigint;
}

const EMPTY = new Uint8Array(0);
const ZERO = 0n;
const U64_MAX = 0xffffffffffffffffn;

function checkFlags(flags: bigint | undefined): bigint {
  if (flags === undefined) return ZERO;
  if (typeof flags !== 'bigint' || flags < ZERO || flags > U64_MAX) {
    throw new StateError(`invalid flags ${String(flags)}: must be an unsigned 64-bit integer`);
  }
  return flags;
}

/** Index reported by KV reads of the whole table (kvs plus tombstones). */
function kvsMaxIndex(s: StateStore): number {
  return s.maxIndex('kvs', 'tombstones');
}

/**
 * One key. Index: the entry's ModifyIndex, or the KV table index when the key is absent (Consul's
 * KVS.Get endpoint). The watch fires on any write to this key (including its deletion).
 */
export function kvGet(s: StateStore, key: string): QueryResult<KVEntry | null> {
  const e = s.t.kvs.get(key) ?? null;
  return { index: e ? e.ModifyIndex : kvsMaxIndex(s), value: e, watch: new WatchSet().addTopic(topic.kv(key)) };
}

/** Highest index under a prefix: entries and tombstones (Consul's kvsListTxn index rule). */
function prefixIndex(s: StateStore, prefix: string, entriesMax: number): number {
  if (prefix === '') return kvsMaxIndex(s);
  let idx = entriesMax;
  for (const t of s.t.tombstones.prefix(prefix)) if (t.Index > idx) idx = t.Index;
  return idx !== 0 ? idx : kvsMaxIndex(s);
}

/** All entries under `prefix` ascending (recurse). The watch covers the prefix. */
export function kvList(s: StateStore, prefix: string): QueryResult<KVEntry[]> {
  const entries = s.t.kvs.prefix(prefix);
  let max = 0;
  for (const e of entries) if (e.ModifyIndex > max) max = e.ModifyIndex;
  return { index: prefixIndex(s, prefix, max), value: entries, watch: new WatchSet().addPrefix('kvs', prefix) };
}

/**
 * Key names under `prefix`. With a separator, a key is cut after the first separator following the
 * prefix and repeated "folders" collapse into one entry ending with the separator.
 */
export function kvKeys(s: StateStore, prefix: string, separator = ''): QueryResult<string[]> {
  const keys: string[] = [];
  let max = 0;
  let last = '';
  for (const e of s.t.kvs.prefix(prefix)) {
    if (e.ModifyIndex > max) max = e.ModifyIndex;
    let k = e.Key;
    if (separator !== '') {
      const i = k.indexOf(separator, prefix.length);
      if (i !== -1) {
        k = k.slice(0, i + separator.length);
        if (k === last) continue;
      }
    }
    keys.push(k);
    last = k;
  }
  return { index: prefixIndex(s, prefix, max), value: keys, watch: new WatchSet().addPrefix('kvs', prefix) };
}

/** Expiry (leader unix ms) of the lock-delay on `key`, or 0 when none was set. */
export function kvLockDelay(s: StateStore, key: string): number {
  return s.t.lockDelays.get(key)?.Expires ?? 0;
}

function requireKey(key: unknown): string {
  if (typeof key !== 'string' || key === '') throw new StateError('Must provide key');
  return key;
}

/**
 * The value as its own buffer. Decoded commands hand us views into the whole raft entry; keeping
 * such a view would pin the entry's buffer for as long as the key lives.
 */
function ownBytes(v: Uint8Array | undefined): Uint8Array {
  if (!v || v.length === 0) return EMPTY;
  return v.byteOffset === 0 && v.byteLength === v.buffer.byteLength ? v : v.slice();
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Consul's kvsSetTxn: keeps CreateIndex and (unless `session` is given) the existing Session; the
 * LockIndex is the caller's (0 for a plain set, as the HTTP and txn APIs carry none). Writing an
 * entry equal to the stored one (LockIndex, Flags, Value, Session) is skipped: no index moves and
 * no watcher wakes.
 */
function put(s: StateStore, input: KVInput, session: string | undefined, lockIndex: number): KVEntry {
  const key = requireKey(input.Key);
  const idx = s.index();
  const existing = s.t.kvs.get(key);
  const row: KVEntry = {
    LockIndex: lockIndex,
    Key: key,
    Flags: checkFlags(input.Flags),
    Value: ownBytes(input.Value),
    Session: session ?? existing?.Session ?? '',
    CreateIndex: existing?.CreateIndex ?? idx,
    ModifyIndex: idx,
  };
  if (
    existing &&
    existing.LockIndex === row.LockIndex &&
    existing.Flags === row.Flags &&
    existing.Session === row.Session &&
    sameBytes(existing.Value, row.Value)
  ) {
    return existing;
  }
  s.t.kvs.put(row);
  s.t.tombstones.delete(key);
  return row;
}

/**
 * Plain set: always succeeds. Locks are advisory, so a held key keeps its Session; its LockIndex
 * becomes 0 like any set through Consul's API (kvsSetTxn stores the request's LockIndex).
 */
export function kvSet(s: StateStore, input: KVInput): KVEntry {
  return put(s, input, undefined, 0);
}

/** Check-and-set: index 0 creates only if absent, otherwise ModifyIndex must equal `index`. */
export function kvCAS(s: StateStore, input: KVInput, index: number): boolean {
  const existing = s.t.kvs.get(requireKey(input.Key));
  if (index === 0 ? existing !== undefined : existing?.ModifyIndex !== index) return false;
  put(s, input, undefined, 0);
  return true;
}

/** Deletes a key, leaving a tombstone at this index. Deleting a missing key changes nothing. */
export function kvDelete(s: StateStore, key: string): void {
  const old = s.t.kvs.delete(requireKey(key));
  if (!old) return;
  s.t.tombstones.put({ Key: key, Index: s.index() });
  s.markTombstoned();
}

/**
 * Delete only if ModifyIndex equals `index`. Returns true when the key is absent (Consul's
 * kvsDeleteCASTxn), false on mismatch; so index 0 never deletes an existing key.
 */
export function kvDeleteCAS(s: StateStore, key: string, index: number): boolean {
  const existing = s.t.kvs.get(requireKey(key));
  if (!existing) return true;
  if (existing.ModifyIndex !== index) return false;
  kvDelete(s, key);
  return true;
}

/** Deletes every key under `prefix` (all keys for ""), each leaving a tombstone. */
export function kvDeleteTree(s: StateStore, prefix: string): void {
  for (const e of s.t.kvs.prefix(prefix)) kvDelete(s, e.Key);
}

/**
 * Acquire `key` for `session` (KV ?acquire). Free key: lock, LockIndex+1. Held by the same session:
 * update the value, LockIndex unchanged. Held by another session, or inside its lock-delay window
 * (compared with the leader-stamped `now`, unix ms): false. Unknown session: error.
 */
export function kvLock(s: StateStore, input: KVInput, session: string, now: number): boolean {
  const key = requireKey(input.Key);
  if (!session) throw new StateError('missing session');
  if (!s.t.sessions.get(session)) throw new StateError(`invalid session "${session}"`);
  const delay = s.t.lockDelays.get(key);
  if (delay) {
    if (now < delay.Expires) return false;
    s.t.lockDelays.delete(key);
  }
  const existing = s.t.kvs.get(key);
  if (existing?.Session) {
    if (existing.Session !== session) return false;
    put(s, input, session, existing.LockIndex);
    return true;
  }
  put(s, input, session, (existing?.LockIndex ?? 0) + 1);
  return true;
}

/** Release `key` held by `session` (KV ?release): clears Session, keeps LockIndex. */
export function kvUnlock(s: StateStore, input: KVInput, session: string): boolean {
  const key = requireKey(input.Key);
  if (!session) throw new StateError('missing session');
  const existing = s.t.kvs.get(key);
  if (!existing || existing.Session !== session) return false;
  put(s, input, '', existing.LockIndex);
  return true;
}

/** Removes tombstones with Index <= `index` (the leader issues this after the tombstone TTL). */
export function reapTombstones(s: StateStore, index: number): number {
  const dead: string[] = [];
  for (const t of s.t.tombstones.all()) if (t.Index <= index) dead.push(t.Key);
  for (const k of dead) s.t.tombstones.delete(k);
  return dead.length;
}

/** Starts a lock-delay window on `key` until `now + lockDelayNs`. Used by session invalidation. */
export function setLockDelay(s: StateStore, key: string, now: number, lockDelayNs: number): void {
  if (lockDelayNs <= 0) return;
  const Expires = now + lockDelayNs / 1e6;
  const old = s.t.lockDelays.get(key);
  if (!old || old.Expires < Expires) s.t.lockDelays.put({ Key: key, Expires });
}
