import { describe, expect, it } from 'vitest';
import { breadcrumbs, childName, folderEntries, kvCreateUrl, kvEditUrl, kvFolderUrl, parentPrefix, parseKvRoute, validateKeyName } from './kv-path.ts';
import { decodeBase64, editorBytes, encodeBase64, isJson, parseFlags, viewValue } from './kv-value.ts';
import { distanceSeconds, formatMs, rttSummary } from './rtt.ts';
import type { Coord } from './types.ts';

describe('KV routes', () => {
  it('parses Consul UI KV URLs', () => {
    expect(parseKvRoute([])).toEqual({ mode: 'folder', prefix: '' });
    expect(parseKvRoute(['a', 'b'])).toEqual({ mode: 'folder', prefix: 'a/b/' });
    expect(parseKvRoute(['a', 'b', ''])).toEqual({ mode: 'folder', prefix: 'a/b/' });
    expect(parseKvRoute(['a', 'b', 'edit'])).toEqual({ mode: 'edit', key: 'a/b' });
    expect(parseKvRoute(['create'])).toEqual({ mode: 'create', prefix: '' });
    expect(parseKvRoute(['a', 'create'])).toEqual({ mode: 'create', prefix: 'a/' });
    expect(parseKvRoute(['edit'])).toEqual({ mode: 'folder', prefix: 'edit/' });
  });

  it('builds URLs that parse back', () => {
    expect(kvFolderUrl('dc1', 'a b/c/')).toBe('/ui/dc1/kv/a%20b/c');
    expect(kvEditUrl('dc1', 'a/b?c')).toBe('/ui/dc1/kv/a/b%3Fc/edit');
    expect(kvFolderUrl('dc1', '')).toBe('/ui/dc1/kv');
    expect(kvCreateUrl('dc1', '')).toBe('/ui/dc1/kv/create');
    expect(kvCreateUrl('dc1', 'a/')).toBe('/ui/dc1/kv/a/create');
  });

  it('navigates folders', () => {
    expect(parentPrefix('a/b/c')).toBe('a/b/');
    expect(parentPrefix('a/b/')).toBe('a/');
    expect(parentPrefix('c')).toBe('');
    expect(childName('a/b/d/', 'a/b/')).toBe('d/');
    expect(breadcrumbs('a/b/')).toEqual([
      { name: 'a', prefix: 'a/' },
      { name: 'b', prefix: 'a/b/' },
    ]);
    expect(folderEntries(['a/', 'a/z', 'a/b/', 'a/c'], 'a/')).toEqual(['a/b/', 'a/c', 'a/z']);
    expect(folderEntries(null, '')).toEqual([]);
  });

  it('rejects bad key names with a reason', () => {
    expect(validateKeyName('')).toMatch(/Enter a key name/);
    expect(validateKeyName('/x')).toMatch(/cannot start/);
    expect(validateKeyName('a/../b')).toMatch(/segments/);
    expect(validateKeyName('folder/')).toBeNull();
  });
});

describe('KV values', () => {
  it('round-trips UTF-8 text and binary through base64', () => {
    const text = 'héllo {"a":1}\n';
    const b64 = encodeBase64(new TextEncoder().encode(text));
    expect(viewValue(b64)).toEqual({ base64: b64, text });
    expect(viewValue(null)).toEqual({ base64: '', text: '' });
    const binary = encodeBase64(new Uint8Array([0xff, 0xfe, 0x00]));
    expect(viewValue(binary).text).toBeNull();
    expect([...editorBytes(binary, 'base64')]).toEqual([0xff, 0xfe, 0x00]);
    expect(() => decodeBase64('not base64!')).toThrow(/base64/);
  });

  it('validates flags as uint64', () => {
    expect(parseFlags('')).toEqual({ ok: true, value: '0' });
    expect(parseFlags('18446744073709551615')).toEqual({ ok: true, value: '18446744073709551615' });
    expect(parseFlags('18446744073709551616').ok).toBe(false);
    expect(parseFlags('-1').ok).toBe(false);
    expect(isJson('{"a":1}')).toBe(true);
    expect(isJson('{a')).toBe(false);
  });
});

describe('round-trip times', () => {
  const coord = (vec: number[], height = 0, adjustment = 0): Coord => ({ Vec: vec, Height: height, Adjustment: adjustment, Error: 1.5 });

  it('is the Euclidean distance plus heights, plus adjustments when positive', () => {
    expect(distanceSeconds(coord([0, 0]), coord([0.003, 0.004]))).toBeCloseTo(0.005, 12);
    expect(distanceSeconds(coord([0, 0], 0.001), coord([0.003, 0.004], 0.001))).toBeCloseTo(0.007, 12);
    expect(distanceSeconds(coord([0, 0], 0, 0.001), coord([0.003, 0.004], 0, 0.001))).toBeCloseTo(0.007, 12);
    expect(distanceSeconds(coord([0, 0], 0, -0.01), coord([0.003, 0.004]))).toBeCloseTo(0.005, 12);
    expect(distanceSeconds(coord([0]), coord([0, 0]))).toBeNull();
  });

  it('summarises min, median and max to the other nodes', () => {
    const coords = [
      { Node: 'a', Segment: '', Coord: coord([0, 0]) },
      { Node: 'b', Segment: '', Coord: coord([0.001, 0]) },
      { Node: 'c', Segment: '', Coord: coord([0.003, 0]) },
      { Node: 'd', Segment: '', Coord: coord([0.01, 0]) },
      { Node: 'e', Segment: 'other', Coord: coord([0.5, 0]) },
    ];
    const s = rttSummary('a', coords)!;
    expect(s.others.map((o) => o.node)).toEqual(['b', 'c', 'd']);
    expect(s.min).toBeCloseTo(1, 9);
    expect(s.median).toBeCloseTo(3, 9);
    expect(s.max).toBeCloseTo(10, 9);
    expect(rttSummary('zz', coords)).toBeNull();
    expect(formatMs(1.234)).toBe('1.23ms');
  });
});
