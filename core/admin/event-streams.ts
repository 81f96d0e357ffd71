/**
 * Live change streams for the admin API, as async iterables that end when the caller's signal
 * fires. Members and the leader have no blocking query in Consul's API, so they are polled and
 * diffed; KV changes come from blocking queries on the prefix. Time comes from the Timers port, so
 * the same streams run in virtual time in the lab.
 */
import type { Timers } from '../ports/clock.ts';
import { AdminError, type AdminMember, type KvEntry, type KvEvent, type KvList, type LeaderEvent, type MemberEvent, type Pool } from './admin-cluster.ts';

/** Waits `ms`; resolves false at once if (or when) `signal` aborts. */
export function sleep(timers: Timers, ms: number, signal: AbortSignal | undefined): Promise<boolean> {
  if (signal?.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const onAbort = () => {
      handle.cancel();
      resolve(false);
    };
    const handle = timers.setTimer(ms, () => {
      signal?.removeEventListener('abort', onAbort);
      resolve(true);
    });
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

const ABORTED: unique symbol = Symbol('aborted');

/**
 * A failure that retrying cannot fix (the token may not read this, bad input, no such
 * datacenter) ends the stream with that error; anything else (no leader, an agent restarting) is
 * retried.
 */
function isFinal(e: unknown): boolean {
  return e instanceof AdminError && ['FORBIDDEN', 'UNAUTHORIZED', 'BAD_REQUEST', 'NOT_FOUND'].includes(e.code);
}

/** `read()`, or undefined after a failure worth retrying; a final failure is thrown. */
function retrying<T>(read: () => Promise<T>): Promise<T | undefined> {
  return read().catch((e: unknown) => {
    if (isFinal(e)) throw e;
    return undefined;
  });
}

/** `promise`, or ABORTED as soon as `signal` fires (the promise is left to settle unobserved). */
function orAbort<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T | typeof ABORTED> {
  if (!signal) return promise;
  if (signal.aborted) {
    promise.catch(() => undefined);
    return Promise.resolve(ABORTED);
  }
  return new Promise((resolve, reject) => {
    const onAbort = () => resolve(ABORTED);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}

const EVENT_FOR_STATUS = { alive: 'join', failed: 'fail', left: 'leave', leaving: 'update', none: 'update' } as const;

/** The events that turn pool view `prev` into `next` (serf's member-join/-failed/-leave/-reap). */
export function memberDiff(prev: ReadonlyMap<string, AdminMember>, next: readonly AdminMember[], pool: Pool): MemberEvent[] {
  const events: MemberEvent[] = [];
  const seen = new Set<string>();
  for (const member of next) {
    seen.add(member.name);
    const before = prev.get(member.name);
    if (!before || before.status !== member.status) {
      events.push({ type: EVENT_FOR_STATUS[member.status], pool, member });
    } else if (before.address !== member.address || JSON.stringify(before.tags) !== JSON.stringify(member.tags)) {
      events.push({ type: 'update', pool, member });
    }
  }
  for (const [name, member] of prev) if (!seen.has(name)) events.push({ type: 'reap', pool, member });
  return events;
}

/** A `snapshot` of the pool, then its changes, polling `read` every `pollMs`. Ends on a final failure. */
export async function* memberEvents(read: () => Promise<AdminMember[]>, pool: Pool, timers: Timers, pollMs: number, signal: AbortSignal | undefined): AsyncGenerator<MemberEvent> {
  let known: Map<string, AdminMember> | undefined;
  while (!signal?.aborted) {
    const members = await orAbort(retrying(read), signal);
    if (members === ABORTED) return;
    if (members) {
      if (known === undefined) yield { type: 'snapshot', pool, members };
      else yield* memberDiff(known, members, pool);
      known = new Map(members.map((m) => [m.name, m]));
    }
    if (!(await sleep(timers, pollMs, signal))) return;
  }
}

/** The leader as first read, then each change; a failed read counts as "no leader" unless final. */
export async function* leaderEvents(read: () => Promise<string>, timers: Timers, pollMs: number, signal: AbortSignal | undefined): AsyncGenerator<LeaderEvent> {
  let previous: string | undefined;
  let first = true;
  while (!signal?.aborted) {
    const leader = await orAbort(retrying(read).then((l) => l ?? ''), signal);
    if (leader === ABORTED) return;
    if (first || leader !== previous) yield { leader, previous: first ? null : (previous ?? null) };
    first = false;
    previous = leader;
    if (!(await sleep(timers, pollMs, signal))) return;
  }
}

/** The puts and deletes that turn `prev` into `next` (entries keyed by Key, changed by ModifyIndex). */
export function kvDiff(prev: ReadonlyMap<string, KvEntry>, next: readonly KvEntry[], index: number): KvEvent[] {
  const events: KvEvent[] = [];
  const seen = new Set<string>();
  for (const entry of next) {
    seen.add(entry.key);
    const before = prev.get(entry.key);
    if (!before || before.modifyIndex !== entry.modifyIndex) events.push({ type: 'put', index, entry });
  }
  for (const key of prev.keys()) if (!seen.has(key)) events.push({ type: 'delete', index, key });
  return events;
}

/**
 * A `snapshot` of the prefix, then its changes: `read(index)` is a blocking query returning once
 * the prefix's index passes `index`. An index going backwards (a snapshot restore) resets to 0,
 * as Consul's blocking-query guidance says; a failed read is retried after `retryMs`, and a final
 * one (forbidden, unknown datacenter) ends the stream with its error.
 */
export async function* kvEvents(read: (index: number) => Promise<KvList>, timers: Timers, retryMs: number, signal: AbortSignal | undefined): AsyncGenerator<KvEvent> {
  let known: Map<string, KvEntry> | undefined;
  let index = 0;
  while (!signal?.aborted) {
    const list = await orAbort(
      retrying(() => read(index)),
      signal,
    );
    if (list === ABORTED) return;
    if (!list) {
      if (!(await sleep(timers, retryMs, signal))) return;
      continue;
    }
    if (known === undefined) yield { type: 'snapshot', index: list.index, entries: list.entries };
    else yield* kvDiff(known, list.entries, list.index);
    known = new Map(list.entries.map((e) => [e.key, e]));
    index = list.index < index ? 0 : Math.max(list.index, 1);
  }
}
