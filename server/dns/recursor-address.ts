/**
 * Recursor addresses as Consul accepts them: `ip`, `ip:port`, `[ipv6]:port` or a bare IPv6; port 53
 * when missing.
 */
import { isIP } from 'node:net';

/** A parsed recursor. */
export interface RecursorAddress {
  host: string;
  port: number;
  family: 4 | 6;
}

/** Parses a recursor address; throws with a clear message for anything else. */
export function parseRecursor(text: string): RecursorAddress {
  const bracket = /^\[([^\]]+)\](?::(\d+))?$/.exec(text);
  let host = text;
  let port = 53;
  if (bracket) {
    host = bracket[1] as string;
    if (bracket[2]) port = Number(bracket[2]);
  } else if (isIP(text) === 0 && /^[^:]+:\d+$/.test(text)) {
    const i = text.lastIndexOf(':');
    host = text.slice(0, i);
    port = Number(text.slice(i + 1));
  }
  const family = isIP(host);
  if (family === 0) throw new Error(`recursor '${text}' is not an IP address (optionally with :port)`);
  if (!(port > 0 && port < 65536)) throw new Error(`recursor '${text}' has an invalid port`);
  return { host, port, family: family as 4 | 6 };
}
