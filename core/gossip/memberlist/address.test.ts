import { describe, expect, it } from 'vitest';
import { bytesToHost, hostToBytes, joinHostPort, splitHostPort } from './address.ts';

describe('addresses', () => {
  it('round-trips IPv4, IPv6 and simulator host names of every length', () => {
    expect(Array.from(hostToBytes('127.0.0.1'))).toEqual([127, 0, 0, 1]);
    expect(hostToBytes('::1').length).toBe(16);
    expect(bytesToHost(hostToBytes('::1'))).toBe('::1');
    expect(bytesToHost(hostToBytes('fe80::1:2'))).toBe('fe80::1:2');
    for (const h of ['n1', 'n12', 'n123', 'n1234', 'abcdefghijklmno', 'abcdefghijklmnop', 'x']) {
      const b = hostToBytes(h);
      expect(b.length === 4 || b.length === 16, h).toBe(false);
      expect(bytesToHost(b)).toBe(h);
    }
  });

  it('splits and joins host:port', () => {
    expect(splitHostPort('[::1]:8301')).toEqual({ host: '::1', port: 8301 });
    expect(joinHostPort('::1', 8301)).toBe('[::1]:8301');
    expect(() => splitHostPort('nohost')).toThrow(/no port/);
  });
});
