import { parseGoDuration as parseDuration } from '../lib/duration.ts';
import { StateError } from './store.ts';
import { SERF_CHECK_ID, type ServiceCheckRef, type SessionBehavior } from './types.ts';

/**
 * The HTTP/RPC-level rules for PUT /v1/session/create (agent/session_endpoint.go and
 * consul/session_endpoint.go), turned into a session-create command body: defaults (Node = the
 * agent's node, Checks = [serfHealth] unless a Checks key is present, LockDelay 15 s, Behavior
 * release), LockDelay as a duration string or a number (seconds below 1000, else ns) capped at 60 s, and TTL within
 * [session_ttl_min, 24h] or empty/"0s" for none.
 */

export const DEFAULT_LOCK_DELAY_NS = 15e9;
export const MAX_LOCK_DELAY_NS = 60e9;
export const SESSION_TTL_MIN_NS = 10e9;
export const SESSION_TTL_MAX_NS = 24 * 3600e9;

export interface SessionCreateBody {
  Name?: string;
  Node?: string;
  LockDelay?: string | number;
  Behavior?: string;
  TTL?: string;
  Checks?: string[] | null;
  NodeChecks?: string[] | null;
  ServiceChecks?: ServiceCheckRef[] | null;
}

export interface NormalizedSession {
  Name: string;
  Node: string;
  LockDelay: number;
  Behavior: SessionBehavior;
  TTL: string;
  NodeChecks: string[];
  ServiceChecks: ServiceCheckRef[] | null;
}

/** Applies Consul's defaults and limits; throws StateError with Consul's messages. */
export function normalizeSessionCreate(
  body: SessionCreateBody | null | undefined,
  agentNode: string,
  ttlMinNs = SESSION_TTL_MIN_NS,
): NormalizedSession {
  const b = body ?? {};
  const hasChecks = 'Checks' in b || 'NodeChecks' in b || 'ServiceChecks' in b;
  const nodeChecks = hasChecks ? [...(b.Checks ?? []), ...(b.NodeChecks ?? [])] : [SERF_CHECK_ID];
  let lockDelay = DEFAULT_LOCK_DELAY_NS;
  // FixupLockDelay: a bare number below 1000 means seconds, otherwise nanoseconds.
  if (typeof b.LockDelay === 'number') lockDelay = b.LockDelay < 1000 ? b.LockDelay * 1e9 : b.LockDelay;
  else if (typeof b.LockDelay === 'string' && b.LockDelay !== '') lockDelay = duration(b.LockDelay, 'LockDelay');
  if (lockDelay > MAX_LOCK_DELAY_NS) lockDelay = MAX_LOCK_DELAY_NS;
  const behavior = b.Behavior ?? '';
  if (behavior !== '' && behavior !== 'release' && behavior !== 'delete') {
    throw new StateError(`Invalid Behavior setting '${behavior}'`);
  }
  const ttl = b.TTL ?? '';
  if (ttl !== '') {
    const ns = duration(ttl, 'TTL');
    if (ns !== 0 && (ns < ttlMinNs || ns > SESSION_TTL_MAX_NS)) {
      throw new StateError(`Invalid Session TTL '${ns}', must be between [${ttlMinNs / 1e9}s=24h0m0s]`);
    }
  }
  return {
    Name: b.Name ?? '',
    Node: b.Node || agentNode,
    LockDelay: lockDelay,
    Behavior: behavior === 'delete' ? 'delete' : 'release',
    TTL: ttl === '0s' ? '' : ttl,
    NodeChecks: nodeChecks,
    ServiceChecks: b.ServiceChecks && b.ServiceChecks.length > 0 ? b.ServiceChecks : null,
  };
}

function duration(text: string, field: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new StateError(`Request decode failed: ${field}: ${(e as Error).message}`);
  }
}
