import {
  type CheckInput,
  deleteCheck,
  deleteNode,
  deleteService,
  ensureCheck,
  ensureNode,
  ensureService,
  type NodeInput,
  type ServiceInput,
} from './catalog.ts';
import { checkPK, lc, servicePK } from './schema.ts';
import { kvCAS, kvDelete, kvDeleteCAS, kvDeleteTree, kvLock, kvSet, kvUnlock } from './kv.ts';
import { StateError, type StateStore } from './store.ts';
import type { HealthCheck, KVEntry, Node, NodeService } from './types.ts';

/**
 * Transactions (/v1/txn, state/txn.go): up to 64 KV, node, service and check operations applied
 * all-or-nothing. Every operation runs; each failure is reported with its operation index, and any
 * failure rolls the whole transaction back (the caller runs `txnApply` inside a store write and
 * throws TxnAbort to undo it; see fsm.ts).
 */

/** Consul's maxTxnOps. */
export const MAX_TXN_OPS = 64;

export interface TxnKVOp {
  Verb: string;
  Key: string;
  Value?: Uint8Array;
  Flags?: bigint;
  Index?: number;
  Session?: string;
}

export interface TxnNodeOp {
  Verb: string;
  Node: NodeInput & { ModifyIndex?: number };
}

export interface TxnServiceOp {
  Verb: string;
  Node: string;
  Service: ServiceInput & { ModifyIndex?: number };
}

export interface TxnCheckOp {
  Verb: string;
  Check: CheckInput & { Node: string; ModifyIndex?: number };
}

export type TxnOp = { KV: TxnKVOp } | { Node: TxnNodeOp } | { Service: TxnServiceOp } | { Check: TxnCheckOp };

/** A KV result: Value is null except for get and get-tree. */
export type TxnKVResult = Omit<KVEntry, 'Value'> & { Value: Uint8Array | null };

export type TxnResult = { KV: TxnKVResult } | { Node: Node } | { Service: NodeService } | { Check: HealthCheck };

export interface TxnError {
  OpIndex: number;
  What: string;
}

/** The /v1/txn response body: exactly one of Results / Errors is non-null. */
export interface TxnResponse {
  Results: TxnResult[] | null;
  Errors: TxnError[] | null;
}

/** Thrown inside a store write to roll a failed transaction back; carries the response. */
export class TxnAbort extends Error {
  constructor(readonly response: TxnResponse) {
    super('transaction rolled back');
  }
}

const READ_KV = new Set(['get', 'get-or-empty', 'get-tree', 'check-index', 'check-session', 'check-not-exists']);

/** Whether every op only reads (such transactions may run without raft, like Consul's). */
export function isReadOnlyTxn(ops: readonly TxnOp[]): boolean {
  return ops.every((op) => {
    if ('KV' in op) return READ_KV.has(op.KV?.Verb);
    if ('Node' in op) return op.Node?.Verb === 'get';
    if ('Service' in op) return op.Service?.Verb === 'get';
    if ('Check' in op) return op.Check?.Verb === 'get';
    return false;
  });
}

/**
 * Runs the operations against the store (inside a write for write ops; `now` is the leader's unix
 * ms stamp for lock-delay). Returns Results on success or Errors when any op failed; in the error
 * case the caller must discard the changes (throw TxnAbort inside the write).
 */
export function txnApply(s: StateStore, ops: readonly TxnOp[], now: number): TxnResponse {
  if (!Array.isArray(ops)) return { Results: null, Errors: [{ OpIndex: 0, What: 'Failed to parse body: not a list of operations' }] };
  if (ops.length > MAX_TXN_OPS) {
    return { Results: null, Errors: [{ OpIndex: 0, What: `Transaction contains too many operations (${ops.length} > ${MAX_TXN_OPS})` }] };
  }
  const results: TxnResult[] = [];
  const errors: TxnError[] = [];
  ops.forEach((op, i) => {
    try {
      results.push(...dispatch(s, op, now));
    } catch (e) {
      errors.push({ OpIndex: i, What: e instanceof Error ? e.message : String(e) });
    }
  });
  return errors.length > 0 ? { Results: null, Errors: errors } : { Results: results, Errors: null };
}

function dispatch(s: StateStore, op: TxnOp, now: number): TxnResult[] {
  if (op && typeof op === 'object') {
    if ('KV' in op && op.KV) return txnKV(s, op.KV, now);
    if ('Node' in op && op.Node) return txnNode(s, op.Node, now);
    if ('Service' in op && op.Service) return txnService(s, op.Service, now);
    if ('Check' in op && op.Check) return txnCheck(s, op.Check, now);
  }
  throw new StateError('no operation specified');
}

function kvResult(e: KVEntry, keepValue: boolean): TxnResult {
  return { KV: keepValue ? e : { ...e, Value: null } };
}

function txnKV(s: StateStore, op: TxnKVOp, now: number): TxnResult[] {
  const key = op.Key;
  const input = { Key: key, Value: op.Value, Flags: op.Flags };
  const entry = () => s.t.kvs.get(key);
  const written = () => [kvResult(entry()!, false)];
  switch (op.Verb) {
    case 'set':
      kvSet(s, input);
      return written();
    case 'cas':
      if (!kvCAS(s, input, op.Index ?? 0)) throw new StateError(`failed to set key "${key}", index is stale`);
      return written();
    case 'lock':
      if (!kvLock(s, input, op.Session ?? '', now)) throw new StateError(`failed to lock key "${key}", lock is already held`);
      return written();
    case 'unlock':
      if (!kvUnlock(s, input, op.Session ?? '')) {
        throw new StateError(`failed to unlock key "${key}", lock isn't held, or is held by another session`);
      }
      return written();
    case 'get': {
      const e = entry();
      if (!e) throw new StateError(`key "${key}" doesn't exist`);
      return [kvResult(e, true)];
    }
    case 'get-or-empty': {
      // A missing key answers with the op's own entry and a null value (Consul's KVGetOrEmpty).
      const e = entry();
      if (e) return [kvResult(e, true)];
      return [{ KV: { LockIndex: 0, Key: key, Flags: op.Flags ?? 0n, Value: null, Session: op.Session ?? '', CreateIndex: 0, ModifyIndex: op.Index ?? 0 } }];
    }
    case 'get-tree':
      return s.t.kvs.prefix(key ?? '').map((e) => kvResult(e, true));
    case 'check-index': {
      const e = entry();
      if (!e) throw new StateError(`failed to check index, key "${key}" doesn't exist`);
      if (e.ModifyIndex !== (op.Index ?? 0)) {
        throw new StateError(`failed index check for key "${key}", current modify index ${e.ModifyIndex} != ${op.Index ?? 0}`);
      }
      return [kvResult(e, false)];
    }
    case 'check-session': {
      const e = entry();
      if (!e) throw new StateError(`failed to check session, key "${key}" doesn't exist`);
      if (e.Session !== (op.Session ?? '')) {
        throw new StateError(`failed session check for key "${key}", current session "${e.Session}" != "${op.Session ?? ''}"`);
      }
      return [kvResult(e, false)];
    }
    case 'check-not-exists':
      if (entry()) throw new StateError(`key "${key}" exists`);
      return [];
    case 'delete':
      kvDelete(s, key);
      return [];
    case 'delete-tree':
      kvDeleteTree(s, key ?? '');
      return [];
    case 'delete-cas':
      if (!kvDeleteCAS(s, key, op.Index ?? 0)) throw new StateError(`failed to delete key "${key}", index is stale`);
      return [];
    default:
      throw new StateError(`unknown KV verb "${op.Verb}"`);
  }
}

/** CAS precondition shared by node, service and check ops (index 0 = must not exist). */
function casOK(existing: { ModifyIndex: number } | undefined, index: number | undefined): boolean {
  const want = index ?? 0;
  if (!existing) return want === 0;
  return existing.ModifyIndex === want;
}

function txnNode(s: StateStore, op: TxnNodeOp, now: number): TxnResult[] {
  const name = op.Node?.Node ?? '';
  const existing = () => s.t.nodes.get(lc(name));
  switch (op.Verb) {
    case 'get': {
      const n = existing();
      if (!n) throw new StateError(`node "${name}" doesn't exist`);
      return [{ Node: n }];
    }
    case 'cas':
      if (!casOK(existing(), op.Node.ModifyIndex)) throw new StateError(`failed to set node "${name}", index is stale`);
      return [{ Node: ensureNode(s, op.Node, now) }];
    case 'set':
      return [{ Node: ensureNode(s, op.Node, now) }];
    case 'delete-cas':
      if (!casOK(existing(), op.Node.ModifyIndex)) throw new StateError(`failed to delete node "${name}", index is stale`);
      deleteNode(s, name, now);
      return [];
    case 'delete':
      deleteNode(s, name, now);
      return [];
    default:
      throw new StateError(`unknown Node verb "${op.Verb}"`);
  }
}

function txnService(s: StateStore, op: TxnServiceOp, now: number): TxnResult[] {
  const id = op.Service?.ID || op.Service?.Service || '';
  const existing = () => s.t.services.get(servicePK(op.Node ?? '', id))?.Service;
  switch (op.Verb) {
    case 'get': {
      const svc = existing();
      if (!svc) throw new StateError(`service "${id}" on node "${op.Node}" doesn't exist`);
      return [{ Service: svc }];
    }
    case 'cas':
      if (!casOK(existing(), op.Service.ModifyIndex)) {
        throw new StateError(`failed to set service "${id}" on node "${op.Node}", index is stale`);
      }
      return [{ Service: ensureService(s, op.Node, op.Service) }];
    case 'set':
      return [{ Service: ensureService(s, op.Node, op.Service) }];
    case 'delete-cas':
      if (!casOK(existing(), op.Service.ModifyIndex)) {
        throw new StateError(`failed to delete service "${id}" on node "${op.Node}", index is stale`);
      }
      deleteService(s, op.Node, id, now);
      return [];
    case 'delete':
      deleteService(s, op.Node, id, now);
      return [];
    default:
      throw new StateError(`unknown Service verb "${op.Verb}"`);
  }
}

function txnCheck(s: StateStore, op: TxnCheckOp, now: number): TxnResult[] {
  const node = op.Check?.Node ?? '';
  const id = op.Check?.CheckID ?? '';
  const existing = () => s.t.checks.get(checkPK(node, id));
  switch (op.Verb) {
    case 'get': {
      const c = existing();
      if (!c) throw new StateError(`check "${id}" on node "${node}" doesn't exist`);
      return [{ Check: c }];
    }
    case 'cas':
      if (!casOK(existing(), op.Check.ModifyIndex)) {
        throw new StateError(`failed to set check "${id}" on node "${node}", index is stale`);
      }
      return [{ Check: ensureCheck(s, op.Check, now) }];
    case 'set':
      return [{ Check: ensureCheck(s, op.Check, now) }];
    case 'delete-cas':
      if (!casOK(existing(), op.Check.ModifyIndex)) {
        throw new StateError(`failed to delete check "${id}" on node "${node}", index is stale`);
      }
      deleteCheck(s, node, id, now);
      return [];
    case 'delete':
      deleteCheck(s, node, id, now);
      return [];
    default:
      throw new StateError(`unknown Check verb "${op.Verb}"`);
  }
}
