/**
 * The lab's signaling protocol between a tab and the agent's `/lab/signal` WebSocket
 * (server/lab/signal-server.ts). Text frames are JSON control messages; binary frames are relayed
 * tab-to-tab link frames, prefixed with the other tab's name.
 *
 * tab → server: hello (once), signal (WebRTC offer/answer/candidates for a peer), binary relay
 * server → tab: welcome (the tabs already there), joined, left, signal (from a peer), error,
 * binary relay
 */

/** A tab as the others see it. `session` changes every time the tab (re)connects. */
export interface PeerInfo {
  name: string;
  /** The tab's virtual host: the host part of its addresses (`host:8301`). */
  host: string;
  dc: string;
  server: boolean;
  /** False when the tab relays everything (`rtc=0`): peers then do not try WebRTC with it. */
  rtc: boolean;
  /** The serf LAN port to join it at, when not the lab's 8301 (the agent's own). */
  serfLan?: number;
  session: number;
}

export type ClientMessage =
  | { t: 'hello'; name: string; host: string; dc: string; server: boolean; rtc?: boolean }
  | { t: 'signal'; to: string; toSession: number; data: unknown };

export type ServerMessage =
  | { t: 'welcome'; session: number; peers: PeerInfo[] }
  | { t: 'joined'; peer: PeerInfo }
  | { t: 'left'; name: string; session: number }
  | { t: 'signal'; from: string; fromSession: number; toSession: number; data: unknown }
  | { t: 'error'; message: string };

/** Node names as Consul accepts them (and short enough for the one-byte relay prefix). */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** `[len u8][name utf-8][frame...]`: a relayed frame addressed to (or coming from) `name`. */
export function encodeRelay(name: string, frame: Uint8Array): Uint8Array {
  const n = encoder.encode(name);
  if (n.length > 255) throw new Error(`relay: name "${name}" is longer than 255 bytes`);
  const out = new Uint8Array(1 + n.length + frame.length);
  out[0] = n.length;
  out.set(n, 1);
  out.set(frame, 1 + n.length);
  return out;
}

/** Splits a relayed message; throws on a truncated one. The frame is a view of `buf`. */
export function decodeRelay(buf: Uint8Array): { name: string; frame: Uint8Array } {
  const len = buf[0];
  if (len === undefined || buf.length < 1 + len) throw new Error('relay: truncated message');
  return { name: decoder.decode(buf.subarray(1, 1 + len)), frame: buf.subarray(1 + len) };
}
