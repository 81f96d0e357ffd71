import { kvDelete, setLockDelay } from './kv.ts';
import { checkPK, lc, topic } from './schema.ts';
import { StateError, type StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import {
  HEALTH_CRITICAL,
  type QueryResult,
  type ServiceCheckRef,
  SERF_CHECK_ID,
  type Session,
  type SessionBehavior,
} from './types.ts';
import { WatchSet } from './watch.ts';

/**
 * Sessions (agent/consul/state/session.go): creation against registered, non-critical checks, and
 * invalidation, which releases or deletes the session's locks, starts their lock-delay and deletes
 * prepared queries bound to the session.
 */

/** What a session-create command carries (the ID is chosen by the leader). */
export interface SessionInput {
  ID: string;
  Name?: string;
  Node: string;
  /** Legacy check list; merged into NodeChecks like Consul 1.7+. */
  Checks?: string[] | null;
  NodeChecks?: string[] | null;
  ServiceChecks?: ServiceCheckRef[] | null;
  /** Nanoseconds. */
  LockDelay?: number;
  Behavior?: string;
  TTL?: string;
}

function behavior(b: string | undefined): SessionBehavior {
  if (b === undefined || b === '' || b === 'release') return 'release';
  if (b === 'delete') return 'delete';
  throw new StateError(`Invalid session behavior setting '${b}'`);
}

/** Builds the stored row, with Checks kept only when it says more than serfHealth. */
function toRow(input: SessionInput, idx: number): Session {
  const nodeChecks = [...new Set([...(input.Checks ?? []), ...(input.NodeChecks ?? [])])];
  const serviceChecks = input.ServiceChecks && input.ServiceChecks.length > 0 ? input.ServiceChecks : null;
  const legacy = [...nodeChecks, ...(serviceChecks ?? []).map((c) => c.ID)];
  const row: Session = {
    ID: input.ID,
    Name: input.Name ?? '',
    Node: input.Node,
    NodeChecks: nodeChecks,
    ServiceChecks: serviceChecks,
    LockDelay: input.LockDelay ?? 0,
    Behavior: behavior(input.Behavior),
    TTL: input.TTL ?? '',
    CreateIndex: idx,
    ModifyIndex: idx,
  };
  if (!(legacy.length === 0 || (legacy.length === 1 && legacy[0] === SERF_CHECK_ID))) row.Checks = legacy;
  return row;
}

/** Creates a session. Fails for an existing ID, a missing node, or a missing or critical check. */
export function sessionCreate(s: StateStore, input: SessionInput): Session {
  if (typeof input.ID !== 'string' || input.ID === '') throw new StateError('Missing session ID');
  if (s.t.sessions.get(input.ID)) throw new StateError(`Session ID ${input.ID} already exists`);
  const node = s.t.nodes.get(lc(input.Node ?? ''));
  if (!node) throw new StateError(`Missing node registration`);
  const row = toRow({ ...input, Node: node.Node }, s.index());
  if (!(typeof row.LockDelay === 'number' && row.LockDelay >= 0)) throw new StateError('Invalid LockDelay');
  const ids = [...row.NodeChecks, ...(row.ServiceChecks ?? []).map((c) => c.ID)];
  for (const id of ids) {
    const check = s.t.checks.get(checkPK(node.Node, id));
    if (!check) throw new StateError(`Missing check '${id}' registration`);
    if (check.Status === HEALTH_CRITICAL) throw new StateError(`Check '${id}' is in critical state`);
  }
  s.t.sessions.put(row);
  return row;
}

/**
 * Destroys (invalidates) a session at leader time `now` (unix ms). Idempotent. Held locks are
 * released (Session cleared, LockIndex kept) or deleted per Behavior, each gets a lock-delay of the
 * session's LockDelay, and prepared queries bound to the session are deleted.
 */
export function sessionDestroy(s: StateStore, id: string, now: number): boolean {
  const sess = s.t.sessions.get(id);
  if (!sess) return false;
  s.t.sessions.delete(id);
  for (const e of s.t.kvs.byIndex('session', id)) {
    if (sess.Behavior === 'delete') kvDelete(s, e.Key);
    else s.t.kvs.put({ ...e, Session: '', ModifyIndex: s.index() });
    setLockDelay(s, e.Key, now, sess.LockDelay);
  }
  for (const q of s.t.preparedQueries.byIndex('session', id)) s.t.preparedQueries.delete(q.ID);
  return true;
}

/** Invalidates the sessions bound to a check (it went critical or was deregistered). */
export function invalidateCheckSessions(s: StateStore, node: string, checkID: string, now: number): void {
  for (const sess of s.t.sessions.byIndex('check', checkPK(node, checkID))) sessionDestroy(s, sess.ID, now);
}

/** Invalidates every session of a node (the node was deregistered). */
export function invalidateNodeSessions(s: StateStore, node: string, now: number): void {
  for (const sess of s.t.sessions.byIndex('node', lc(node))) sessionDestroy(s, sess.ID, now);
}

/** One session; index is the sessions table index. */
export function sessionGet(s: StateStore, id: string): QueryResult<Session | null> {
  return {
    index: s.t.sessions.maxIndex,
    value: s.t.sessions.get(id) ?? null,
    watch: new WatchSet().addTopic(topic.session(id)),
  };
}

/** All sessions ordered by ID. */
export function sessionList(s: StateStore): QueryResult<Session[]> {
  return {
    index: s.t.sessions.maxIndex,
    value: [...s.t.sessions.all()],
    watch: new WatchSet().addTopic(tableTopic('sessions')),
  };
}

/** Sessions of one node ordered by ID. */
export function sessionNodeList(s: StateStore, node: string): QueryResult<Session[]> {
  return {
    index: s.t.sessions.maxIndex,
    value: s.t.sessions.byIndex('node', lc(node)),
    watch: new WatchSet().addTopic(topic.sessionNode(node)),
  };
}
