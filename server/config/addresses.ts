import { networkInterfaces } from 'node:os';
import { isIP } from 'node:net';

/** Finds the host's private IPv4 addresses (go-sockaddr's GetPrivateIPs / Consul's ipaddr.GetPrivateIPv4). */
export type PrivateIPv4Finder = () => string[];

/** Non-loopback IPv4 addresses in RFC 1918, RFC 6598 (100.64/10) or link-local ranges, interface order. */
export const findPrivateIPv4: PrivateIPv4Finder = () => {
  const out: string[] = [];
  for (const addrs of Object.values(networkInterfaces())) {
    for (const a of addrs ?? []) {
      if (a.family === 'IPv4' && !a.internal && isPrivateIPv4(a.address)) out.push(a.address);
    }
  }
  return out;
};

function isPrivateIPv4(ip: string): boolean {
  const [a = 0, b = 0] = ip.split('.').map(Number);
  return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 100 && b >= 64 && b <= 127) || (a === 169 && b === 254);
}

/** True for 0.0.0.0, :: and [::] (Consul's ipaddr.IsAny). */
export function isAnyAddr(ip: string): boolean {
  return ip === '0.0.0.0' || ip === '::' || ip === '[::]';
}

/**
 * Expands an address setting: a space-separated list of IPs, or a go-sockaddr template among the
 * common ones (`{{ GetPrivateIP }}`, `{{ GetPrivateIPs }}`, `{{ GetInterfaceIP "eth0" }}`).
 * Throws with the reason on anything else.
 */
export function expandAddrs(value: string, findPrivate: PrivateIPv4Finder): string[] {
  const expanded = value.includes('{{') ? expandTemplate(value, findPrivate) : value;
  const out = expanded.split(/\s+/).filter((s) => s !== '');
  for (const a of out) {
    if (a.startsWith('unix://')) throw new Error(`unix sockets are not supported: ${a}`);
    if (isIP(a.replace(/^\[|\]$/g, '')) === 0) throw new Error(`${JSON.stringify(a)} is not an IP address`);
  }
  return out.map((a) => a.replace(/^\[|\]$/g, ''));
}

function expandTemplate(value: string, findPrivate: PrivateIPv4Finder): string {
  return value.replace(/\{\{\s*(.*?)\s*\}\}/g, (_, expr: string) => {
    if (expr === 'GetPrivateIP') return findPrivate()[0] ?? '';
    if (expr === 'GetPrivateIPs') return findPrivate().join(' ');
    const iface = /^GetInterfaceIP\s+"([^"]+)"$/.exec(expr);
    if (iface) {
      const a = (networkInterfaces()[iface[1]!] ?? []).find((x) => x.family === 'IPv4');
      if (!a) throw new Error(`unable to find an IPv4 address on interface ${JSON.stringify(iface[1])}`);
      return a.address;
    }
    throw new Error(`unsupported template function: ${expr}`);
  });
}
