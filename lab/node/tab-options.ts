/**
 * A lab tab's configuration from its URL: `/lab/node?name=s1&server=1&bootstrap_expect=3&dc=dc1`.
 * Bad values get a clear error before anything starts.
 */
import { NAME_PATTERN } from '../net/signal-protocol.ts';

export interface TabOptions {
  name: string;
  /** The virtual host in this node's addresses (default: the name). */
  host: string;
  dc: string;
  server: boolean;
  bootstrapExpect: number;
  /** Consul's raft_multiplier (default 5, robust to background-tab timer throttling; 1 is snappy). */
  raftMultiplier: number;
  /** Signaling room on the agent (`room=`), so separate labs do not meet. */
  room: string;
  /** Try WebRTC (default) or relay everything through the agent (`rtc=0`). */
  rtc: boolean;
  rtcTimeoutMs: number;
  /** The signaling WebSocket URL (default: this page's origin + /lab/signal). */
  signalUrl: string;
  /** Wipe this node's IndexedDB state before starting (`wipe=1`). */
  wipe: boolean;
}

function intParam(q: URLSearchParams, key: string, dflt: number, min: number, max: number): number {
  const raw = q.get(key);
  if (raw === null || raw === '') return dflt;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new Error(`${key} must be an integer in [${min}, ${max}], got "${raw}"`);
  return n;
}

function boolParam(q: URLSearchParams, key: string, dflt: boolean): boolean {
  const raw = q.get(key);
  if (raw === null) return dflt;
  if (['1', 'true', ''].includes(raw)) return true;
  if (['0', 'false'].includes(raw)) return false;
  throw new Error(`${key} must be 1 or 0, got "${raw}"`);
}

/** Parses `search` (a query string) against the page's `origin` (`http://host:port`). */
export function parseTabOptions(search: string, origin: string, randomName: () => string): TabOptions {
  const q = new URLSearchParams(search);
  const name = q.get('name') || randomName();
  if (!NAME_PATTERN.test(name)) throw new Error(`name must be letters, digits, ".", "_" or "-" (at most 63), got "${name}"`);
  const host = q.get('host') || name;
  if (!NAME_PATTERN.test(host)) throw new Error(`host must be letters, digits, ".", "_" or "-", got "${host}"`);
  const dc = q.get('dc') || 'dc1';
  if (!/^[a-z0-9_-]+$/i.test(dc)) throw new Error(`dc must be letters, digits, "_" or "-", got "${dc}"`);
  const room = q.get('room') || 'default';
  const server = boolParam(q, 'server', false);
  const bootstrapExpect = intParam(q, 'bootstrap_expect', server ? 3 : 0, 0, 15);
  if (!server && bootstrapExpect > 0 && q.has('bootstrap_expect')) throw new Error('bootstrap_expect needs server=1');
  const ws = origin.replace(/^http/, 'ws');
  return {
    name,
    host,
    dc,
    server,
    bootstrapExpect: server ? bootstrapExpect : 0,
    raftMultiplier: intParam(q, 'raft_multiplier', 5, 1, 10),
    room,
    rtc: boolParam(q, 'rtc', true),
    rtcTimeoutMs: intParam(q, 'rtc_timeout_ms', 8000, 100, 120_000),
    signalUrl: `${q.get('signal') || `${ws}/lab/signal`}?room=${encodeURIComponent(room)}`,
    wipe: boolParam(q, 'wipe', false),
  };
}
