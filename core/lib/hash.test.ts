import { describe, expect, it } from 'vitest';
import { fnv64Hex, hash128 } from './hash.ts';

describe('FNV-1a 64', () => {
  // Published test vectors for FNV-1a 64.
  it.each([
    ['', 'cbf29ce484222325'],
    ['a', 'af63dc4c8601ec8c'],
    ['foobar', '85944171f73967e8'],
  ])('hashes %j to %s', (input, expected) => {
    expect(fnv64Hex(input)).toBe(expected);
  });

  it('hashes a string exactly as its UTF-8 bytes, ASCII or not', () => {
    for (const text of ['plain ascii|line', 'héllo', 'a→b ✕ 日本 😀 end', '😀', 'x'.repeat(300) + 'é']) {
      expect(fnv64Hex(text)).toBe(fnv64Hex(new TextEncoder().encode(text)));
    }
  });
});

describe('hash128', () => {
  it('is deterministic and label-sensitive', () => {
    expect(hash128('x')).toEqual(hash128('x'));
    expect(hash128('x')).not.toEqual(hash128('y'));
    expect(hash128('x', [1, 2, 3, 4])).not.toEqual(hash128('x'));
  });
});
