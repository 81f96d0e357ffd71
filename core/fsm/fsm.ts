import { concatBytes } from '../lib/bytes.ts';
import { aclBootstrap, aclPolicyDelete, aclPolicySet, aclRoleDelete, aclRoleSet, aclTokenDelete, aclTokenSet } from '../state/acl.ts';
import { deregister, register } from '../state/catalog.ts';
import { kvCAS, kvDelete, kvDeleteCAS, kvDeleteTree, kvLock, kvSet, kvUnlock, reapTombstones } from '../state/kv.ts';
import { autopilotSet, coordinateBatchUpdate, systemMetadataDelete, systemMetadataSet } from '../state/operator.ts';
import { preparedQueryDelete, preparedQuerySet } from '../state/prepared-queries.ts';
import { sessionCreate, sessionDestroy } from '../state/sessions.ts';
import { readSnapshot, snapshotChunks, writeSnapshot } from '../state/snapshot.ts';
import { StateStore } from '../state/store.ts';
import { TxnAbort, txnApply } from '../state/txn.ts';
import { type Command, decodeCommand } from './commands.ts';

/**
 * An error returned (not thrown) by `apply`: the command was rejected and changed nothing. The RPC
 * layer turns `message` into the error string Consul would return.
 */
export class ApplyError {
  constructor(readonly message: string) {}
}

/**
 * Consul's FSM: applies raft log entries to the state store.
 *
 * Contract for the raft layer:
 * - `apply(index, data)` with strictly increasing raft indexes; every row written gets `index`.
 *   It never throws: a malformed or rejected command yields an ApplyError and changes nothing, so
 *   one bad entry cannot stop a server. The result is a pure function of the state and the entry.
 * - `snapshot()` / `snapshotChunks()` capture the whole state; `restore(data)` replaces it
 *   atomically (built aside, then swapped) or throws SnapshotError leaving the state untouched.
 */
export class ConsulFSM {
  readonly state = new StateStore();

  /** Raft index of the last applied entry. */
  get lastIndex(): number {
    return this.state.lastIndex;
  }

  apply(index: number, data: Uint8Array): unknown {
    if (!Number.isSafeInteger(index) || index <= this.state.lastIndex) {
      return new ApplyError(`raft index ${index} is not after the last applied index ${this.state.lastIndex}`);
    }
    try {
      const { command, now } = decodeCommand(data);
      return this.dispatch(index, command, now);
    } catch (e) {
      return new ApplyError(e instanceof Error ? e.message : String(e));
    } finally {
      // Even a rejected entry was applied as far as raft is concerned.
      if (index > this.state.lastIndex) this.state.lastIndex = index;
    }
  }

  /** Applies a decoded command (for in-process callers and tests). Throws on rejection. */
  private dispatch(index: number, c: Command, now: number): unknown {
    const s = this.state;
    if (c.type === 'state-restore') {
      // Parsed aside first: a corrupt snapshot is rejected here and the state stays as it was.
      s.replaceWith(readSnapshot(c.data));
      return true;
    }
    if (c.type === 'txn') {
      try {
        return s.write(index, () => {
          const r = txnApply(s, c.ops, now);
          if (r.Errors) throw new TxnAbort(r);
          return r;
        });
      } catch (e) {
        if (e instanceof TxnAbort) return e.response;
        throw e;
      }
    }
    return s.write(index, () => this.write(c, now));
  }

  private write(c: Command, now: number): unknown {
    const s = this.state;
    switch (c.type) {
      case 'register':
        register(s, c.req, now);
        return true;
      case 'deregister':
        deregister(s, c.req, now);
        return true;
      case 'kvs':
        return this.kvs(c, now);
      case 'session-create':
        return sessionCreate(s, c.session).ID;
      case 'session-destroy':
        sessionDestroy(s, c.id, now);
        return true;
      case 'tombstone-reap':
        return reapTombstones(s, c.index);
      case 'acl-bootstrap':
        return aclBootstrap(s, c.token, c.resetIndex ?? 0);
      case 'acl-token-set':
        return c.tokens.map((t) => aclTokenSet(s, t));
      case 'acl-token-delete':
        for (const id of c.ids) aclTokenDelete(s, id);
        return true;
      case 'acl-policy-set':
        return c.policies.map((p) => aclPolicySet(s, p));
      case 'acl-policy-delete':
        for (const id of c.ids) aclPolicyDelete(s, id);
        return true;
      case 'acl-role-set':
        return c.roles.map((r) => aclRoleSet(s, r));
      case 'acl-role-delete':
        for (const id of c.ids) aclRoleDelete(s, id);
        return true;
      case 'prepared-query-set':
        return preparedQuerySet(s, c.query).ID;
      case 'prepared-query-delete':
        preparedQueryDelete(s, c.id);
        return true;
      case 'coordinate-batch':
        coordinateBatchUpdate(s, c.updates);
        return true;
      case 'autopilot-set':
        return autopilotSet(s, c.config, c.cas);
      case 'system-metadata-set':
        systemMetadataSet(s, c.entries);
        return true;
      case 'system-metadata-delete':
        systemMetadataDelete(s, c.keys);
        return true;
      case 'txn':
      case 'state-restore':
        throw new Error('unreachable');
    }
  }

  /** KV ops: results match the HTTP API's true/false bodies. */
  private kvs(c: Extract<Command, { type: 'kvs' }>, now: number): boolean {
    const s = this.state;
    const e = { ...c.entry, Value: c.entry.Value ?? undefined };
    switch (c.op) {
      case 'set':
        kvSet(s, e);
        return true;
      case 'cas':
        return kvCAS(s, e, c.index ?? 0);
      case 'delete':
        kvDelete(s, e.Key);
        return true;
      case 'delete-cas':
        return kvDeleteCAS(s, e.Key, c.index ?? 0);
      case 'delete-tree':
        kvDeleteTree(s, e.Key);
        return true;
      case 'lock':
        return kvLock(s, e, c.session ?? '', now);
      case 'unlock':
        return kvUnlock(s, e, c.session ?? '');
    }
  }

  snapshot(): Uint8Array {
    return writeSnapshot(this.state);
  }

  snapshotChunks(): Generator<Uint8Array> {
    return snapshotChunks(this.state);
  }

  /**
   * Replaces the whole state from a snapshot given whole or as the chunks a stream delivered;
   * throws SnapshotError (state untouched) if the data is unusable.
   */
  restore(data: Uint8Array | Iterable<Uint8Array>): void {
    this.state.replaceWith(readSnapshot(data instanceof Uint8Array ? data : concatBytes([...data])));
  }
}
