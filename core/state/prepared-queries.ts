import { lc } from './schema.ts';
import { StateError, type StateStore } from './store.ts';
import { tableTopic } from './table.ts';
import type { PreparedQuery, QueryResult } from './types.ts';
import { WatchSet } from './watch.ts';

/**
 * Prepared queries (state/prepared_query.go): create/update/delete with a unique name (case
 * insensitive), a bound session that must exist, and indexes nested under RaftIndex. Queries bound
 * to a session are deleted when the session is invalidated (sessions.ts).
 */

export type PreparedQueryInput = Omit<PreparedQuery, 'RaftIndex'>;

/** Creates or replaces a query by ID. */
export function preparedQuerySet(s: StateStore, input: PreparedQueryInput): PreparedQuery {
  if (typeof input.ID !== 'string' || input.ID === '') throw new StateError('Missing query ID');
  const existing = s.t.preparedQueries.get(input.ID);
  const name = input.Name ?? '';
  if (name !== '') {
    const alias = s.t.preparedQueries.byIndex('name', lc(name))[0];
    if (alias && alias.ID !== input.ID) throw new StateError(`name "${name}" aliases an existing query name`);
  }
  const session = input.Session ?? '';
  if (session !== '' && !s.t.sessions.get(session)) throw new StateError(`invalid session "${session}"`);
  const idx = s.index();
  const row: PreparedQuery = {
    ...input,
    Name: name,
    Session: session,
    Token: input.Token ?? '',
    Service: input.Service ?? {},
    DNS: input.DNS ?? { TTL: '' },
    RaftIndex: { CreateIndex: existing?.RaftIndex.CreateIndex ?? idx, ModifyIndex: idx },
  };
  s.t.preparedQueries.put(row);
  return row;
}

/** Deletes a query; deleting a missing query is an error as in Consul. */
export function preparedQueryDelete(s: StateStore, id: string): void {
  if (!s.t.preparedQueries.delete(id)) throw new StateError(`Query not found`);
}

/** One query by ID. */
export function preparedQueryGet(s: StateStore, id: string): QueryResult<PreparedQuery | null> {
  return {
    index: s.t.preparedQueries.maxIndex,
    value: s.t.preparedQueries.get(id) ?? null,
    watch: new WatchSet().addTopic(tableTopic('prepared-queries')),
  };
}

/** One query by exact (case-insensitive) name. */
export function preparedQueryByName(s: StateStore, name: string): PreparedQuery | null {
  return s.t.preparedQueries.byIndex('name', lc(name))[0] ?? null;
}

/** All queries ordered by ID. */
export function preparedQueryList(s: StateStore): QueryResult<PreparedQuery[]> {
  return {
    index: s.t.preparedQueries.maxIndex,
    value: [...s.t.preparedQueries.all()],
    watch: new WatchSet().addTopic(tableTopic('prepared-queries')),
  };
}
