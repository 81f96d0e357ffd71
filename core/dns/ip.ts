/**
 * IP address parsing and formatting for the resolver: addresses arrive from the catalog as strings,
 * leave as A/AAAA bytes, and are spelled in hex for `<hex>.addr.<dc>.<domain>` names.
 */

/** Parses dotted-quad IPv4 into 4 bytes, or undefined when `s` is not exactly that. */
export function parseIPv4(s: string): Uint8Array | undefined {
  const parts = s.split('.');
  if (parts.length !== 4) return undefined;
  const out = new Uint8Array(4);
  for (let i = 0; i < 4; i++) {
    const p = parts[i] as string;
    if (!/^\d{1,3}$/.test(p)) return undefined;
    const n = Number(p);
    if (n > 255) return undefined;
    out[i] = n;
  }
  return out;
}

/** Parses an IPv6 address (with `::` and an optional embedded IPv4 tail) into 16 bytes. */
export function parseIPv6(s: string): Uint8Array | undefined {
  if (!s.includes(':') || s.includes('%')) return undefined;
  let text = s;
  let tail: Uint8Array | undefined;
  const lastColon = text.lastIndexOf(':');
  if (text.slice(lastColon + 1).includes('.')) {
    tail = parseIPv4(text.slice(lastColon + 1));
    if (!tail) return undefined;
    text = `${text.slice(0, lastColon + 1)}0:0`;
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const groups = (h: string | undefined): string[] | undefined => {
    if (h === undefined || h === '') return [];
    const g = h.split(':');
    return g.every((x) => /^[0-9a-fA-F]{1,4}$/.test(x)) ? g : undefined;
  };
  const head = groups(halves[0]);
  const rest = halves.length === 2 ? groups(halves[1]) : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 1 ? missing !== 0 : missing < 1) return undefined;
  const all = [...head, ...new Array<string>(halves.length === 2 ? missing : 0).fill('0'), ...rest];
  const out = new Uint8Array(16);
  all.forEach((g, i) => {
    const n = Number.parseInt(g, 16);
    out[i * 2] = n >> 8;
    out[i * 2 + 1] = n & 0xff;
  });
  if (tail) out.set(tail, 12);
  return out;
}

/** A parsed IP: its family and bytes. */
export interface ParsedIP {
  v6: boolean;
  bytes: Uint8Array;
}

/** Parses IPv4 or IPv6 text; undefined for hostnames and junk. */
export function parseIP(s: string): ParsedIP | undefined {
  const v4 = parseIPv4(s);
  if (v4) return { v6: false, bytes: v4 };
  const v6 = parseIPv6(s);
  return v6 ? { v6: true, bytes: v6 } : undefined;
}

/** IPv4-mapped IPv6 (::ffff:a.b.c.d) is an IPv4 address for DNS purposes, as in Go's To4(). */
export function unmapIPv4(ip: ParsedIP): ParsedIP {
  const b = ip.bytes;
  if (!ip.v6) return ip;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return ip;
  if (b[10] !== 0xff || b[11] !== 0xff) return ip;
  return { v6: false, bytes: b.slice(12) };
}

/** Formats bytes as canonical text (RFC 5952 for IPv6). */
export function formatIP(bytes: Uint8Array): string {
  if (bytes.length === 4) return Array.from(bytes).join('.');
  const groups: number[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) [bestStart, bestLen] = [i, j - i];
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}

/** Lower-case hex of the bytes, as Consul's `hex.EncodeToString` for `.addr` names. */
export function toHex(bytes: Uint8Array): string {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

/** Decodes an even-length hex string; undefined on any non-hex character. */
export function fromHex(s: string): Uint8Array | undefined {
  if (s.length % 2 !== 0 || !/^[0-9a-fA-F]*$/.test(s)) return undefined;
  const out = new Uint8Array(s.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(s.slice(i * 2, i * 2 + 2), 16);
  return out;
}

/**
 * The IP of a reverse name's labels (already split, without the `in-addr.arpa`/`ip6.arpa` suffix),
 * or undefined when they don't spell a whole address.
 */
export function ipFromReverseLabels(labels: readonly string[], v6: boolean): string | undefined {
  if (!v6) {
    if (labels.length !== 4) return undefined;
    const ip = parseIPv4([...labels].reverse().join('.'));
    return ip ? formatIP(ip) : undefined;
  }
  if (labels.length !== 32 || !labels.every((l) => /^[0-9a-fA-F]$/.test(l))) return undefined;
  const nibbles = [...labels].reverse().join('');
  const bytes = fromHex(nibbles);
  return bytes ? formatIP(bytes) : undefined;
}
