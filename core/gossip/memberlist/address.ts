/**
 * Addresses on memberlist's wire are an IP as raw bytes plus a port. Real runtimes use IPv4/IPv6
 * literals; the simulator names hosts ("n17"), which we carry as their UTF-8 bytes (only our own
 * nodes ever see those).
 */
import { fromUtf8, utf8 } from '../codec/msgpack.ts';

/** Splits `host:port` or `[v6]:port`. Throws on a missing port. */
export function splitHostPort(address: string): { host: string; port: number } {
  let host: string;
  let portText: string;
  if (address.startsWith('[')) {
    const end = address.indexOf(']');
    if (end < 0 || address[end + 1] !== ':') throw new Error(`bad address ${address}`);
    host = address.slice(1, end);
    portText = address.slice(end + 2);
  } else {
    const idx = address.lastIndexOf(':');
    if (idx < 0) throw new Error(`address ${address} has no port`);
    host = address.slice(0, idx);
    portText = address.slice(idx + 1);
  }
  const port = Number(portText);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`bad port in ${address}`);
  return { host, port };
}

export function joinHostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

function parseIpv6(host: string): Uint8Array | undefined {
  if (!/^[0-9a-fA-F:.]+$/.test(host) || !host.includes(':')) return undefined;
  let tail: number[] = [];
  let text = host;
  const v4 = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (v4?.[1]) {
    const b = hostToBytes(v4[1]);
    if (b.length !== 4) return undefined;
    tail = [((b[0] as number) << 8) | (b[1] as number), ((b[2] as number) << 8) | (b[3] as number)];
    text = text.slice(0, -v4[1].length) + (text.endsWith(`::${v4[1]}`) ? '' : '0');
    if (text.endsWith(':0') && !text.endsWith('::0')) text = text.slice(0, -2);
  }
  const halves = text.split('::');
  if (halves.length > 2) return undefined;
  const parse = (s: string) => (s === '' ? [] : s.split(':').map((x) => Number.parseInt(x, 16)));
  const head = parse(halves[0] ?? '');
  const rest = halves.length === 2 ? parse(halves[1] ?? '') : [];
  const total = head.length + rest.length + tail.length;
  if (total > 8 || (halves.length === 1 && total !== 8)) return undefined;
  const groups = [...head, ...new Array(8 - total).fill(0), ...rest, ...tail];
  const out = new Uint8Array(16);
  groups.forEach((g, i) => {
    out[i * 2] = (g >> 8) & 0xff;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

/**
 * The wire form of a host: 4 bytes for IPv4, 16 for IPv6, else the name's UTF-8 bytes behind one or
 * two 0xff marker bytes, chosen so that the length is never 4 or 16 (0xff never starts UTF-8).
 */
export function hostToBytes(host: string): Uint8Array {
  const m = IPV4.exec(host);
  if (m) return Uint8Array.from([Number(m[1]), Number(m[2]), Number(m[3]), Number(m[4])]);
  const ip6 = parseIpv6(host);
  if (ip6) return ip6;
  const name = utf8(host);
  const marks = name.length + 1 === 4 || name.length + 1 === 16 ? 2 : 1;
  const out = new Uint8Array(name.length + marks).fill(0xff, 0, marks);
  out.set(name, marks);
  return out;
}

/** Inverse of hostToBytes (an IPv4-mapped IPv6 address prints as IPv4, as Go does). */
export function bytesToHost(b: Uint8Array): string {
  if (b.length === 4) return `${b[0]}.${b[1]}.${b[2]}.${b[3]}`;
  if (b.length === 16) {
    const mapped = b.subarray(0, 10).every((x) => x === 0) && b[10] === 0xff && b[11] === 0xff;
    if (mapped) return `${b[12]}.${b[13]}.${b[14]}.${b[15]}`;
    const groups: string[] = [];
    for (let i = 0; i < 16; i += 2) groups.push((((b[i] as number) << 8) | (b[i + 1] as number)).toString(16));
    return groups.join(':').replace(/(^|:)0(:0)+(:|$)/, '::');
  }
  let i = 0;
  while (i < b.length && b[i] === 0xff) i++;
  return fromUtf8(b.subarray(i));
}
