import { decode, encode } from '@msgpack/msgpack';
import type { TimerHandle, Timers } from '../ports/clock.ts';

/**
 * Consul's user events (agent/user_event.go): an event fired through the HTTP API travels as a
 * serf user event named `consul:event:<name>` whose payload is the msgpack-encoded UserEvent with
 * Consul's short codec keys (`n`, `p`, `nf`, `sf`, `tf`, `v`; `ID` has no tag). Every agent keeps the
 * last 256 events that pass its node/service/tag filters, in arrival order, and serves them on
 * `/v1/event/list` with an index derived from the newest event's ID.
 */

/** Serf user-event name prefix Consul uses for its events (agent/consul/util.go userEventName). */
export const USER_EVENT_PREFIX = 'consul:event:';
/** userEventMaxVersion: the protocol version stamped on every event. */
export const USER_EVENT_VERSION = 1;
/** The agent's ring of recent events (agent.go eventBuf). */
export const USER_EVENT_BUFFER = 256;

/** One user event as the HTTP API shows it (JSON casing). */
export interface UserEvent {
  ID: string;
  Name: string;
  Payload: Uint8Array | null;
  NodeFilter: string;
  ServiceFilter: string;
  TagFilter: string;
  Version: number;
  LTime: number;
}

/** Rejects events Consul's validateUserEventParams refuses; returns the error text or undefined. */
export function validateUserEvent(e: Pick<UserEvent, 'Name' | 'NodeFilter' | 'ServiceFilter' | 'TagFilter'>): string | undefined {
  if (e.Name === '') return 'User event missing name';
  if (e.TagFilter !== '' && e.ServiceFilter === '') return 'Cannot provide tag filter without service filter';
  for (const [label, re] of [['node', e.NodeFilter], ['service', e.ServiceFilter], ['tag', e.TagFilter]] as const) {
    if (re === '') continue;
    try {
      new RegExp(re);
    } catch (err) {
      return `Invalid ${label} filter: ${err instanceof Error ? err.message : String(err)}`;
    }
  }
  return undefined;
}

/** The serf payload of an event (encodeMsgPackUserEvent), omitting empty `omitempty` fields. */
export function encodeUserEvent(e: UserEvent): Uint8Array {
  const m: Record<string, unknown> = { ID: e.ID, n: e.Name };
  if (e.Payload && e.Payload.length > 0) m.p = e.Payload;
  if (e.NodeFilter) m.nf = e.NodeFilter;
  if (e.ServiceFilter) m.sf = e.ServiceFilter;
  if (e.TagFilter) m.tf = e.TagFilter;
  m.v = e.Version;
  return encode(m);
}

/** Decodes a serf payload into an event stamped with the serf Lamport time; undefined if malformed. */
export function decodeUserEvent(payload: Uint8Array, ltime: number): UserEvent | undefined {
  let m: unknown;
  try {
    m = decode(payload);
  } catch {
    return undefined;
  }
  if (!m || typeof m !== 'object' || Array.isArray(m)) return undefined;
  const r = m as Record<string, unknown>;
  const s = (v: unknown) => (typeof v === 'string' ? v : '');
  const p = r.p instanceof Uint8Array ? r.p : typeof r.p === 'string' ? new TextEncoder().encode(r.p) : null;
  return {
    ID: s(r.ID),
    Name: s(r.n),
    Payload: p && p.length > 0 ? p : null,
    NodeFilter: s(r.nf),
    ServiceFilter: s(r.sf),
    TagFilter: s(r.tf),
    Version: typeof r.v === 'number' ? r.v : 0,
    LTime: ltime,
  };
}

/**
 * Consul's uuidToUint64: the UUID's high and low 64 bits XORed, an opaque index for blocking on
 * `/v1/event/list` (not monotonic: a blocked caller only waits while the index is unchanged).
 */
export function eventIndex(id: string): bigint {
  if (id.length < 36) return 0n;
  const lower = BigInt(`0x${id.slice(0, 8)}${id.slice(9, 13)}${id.slice(14, 18)}`);
  const upper = BigInt(`0x${id.slice(19, 23)}${id.slice(24, 36)}`);
  return lower ^ upper;
}

/** A service of the local agent, for the service and tag filters. */
export interface LocalServiceRef {
  Service: string;
  Tags: readonly string[];
}

/** Consul's shouldProcessUserEvent: node regex on our name, service/tag regexes on local services. */
export function shouldProcessUserEvent(e: UserEvent, nodeName: string, services: readonly LocalServiceRef[]): boolean {
  if (e.Version > USER_EVENT_VERSION) return false;
  try {
    if (e.NodeFilter && !new RegExp(e.NodeFilter).test(nodeName)) return false;
    if (!e.ServiceFilter) return true;
    const svc = new RegExp(e.ServiceFilter);
    const tag = e.TagFilter ? new RegExp(e.TagFilter) : undefined;
    return services.some((s) => svc.test(s.Service) && (!tag || s.Tags.some((t) => tag.test(t))));
  } catch {
    return false;
  }
}

interface Waiter {
  changed: () => boolean;
  done: () => void;
  timer: TimerHandle;
}

/**
 * The agent's ring of recent events with change notification for blocking list requests. Waiters
 * share one Set: no per-waiter work happens until an event arrives or its own timer fires.
 */
export class UserEventBuffer {
  private readonly ring: Array<UserEvent | undefined> = new Array(USER_EVENT_BUFFER).fill(undefined);
  private next = 0;
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly timers: Timers) {}

  /** Adds an event (ingestUserEvent) and wakes every blocked reader. */
  ingest(e: UserEvent): void {
    this.ring[this.next] = e;
    this.next = (this.next + 1) % USER_EVENT_BUFFER;
    for (const w of [...this.waiters]) {
      if (!w.changed()) continue;
      this.waiters.delete(w);
      w.timer.cancel();
      w.done();
    }
  }

  /** Events oldest first (UserEvents). */
  list(): UserEvent[] {
    const out: UserEvent[] = [];
    for (let i = 0; i < USER_EVENT_BUFFER; i++) {
      const e = this.ring[(this.next + i) % USER_EVENT_BUFFER];
      if (e) out.push(e);
    }
    return out;
  }

  /** Calls `done` after an event for which `changed()` holds, or after `waitMs`, whichever is first. */
  wait(waitMs: number, changed: () => boolean, done: () => void): void {
    const w: Waiter = {
      changed,
      done,
      timer: this.timers.setTimer(waitMs, () => {
        this.waiters.delete(w);
        done();
      }),
    };
    this.waiters.add(w);
  }
}
