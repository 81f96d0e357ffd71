import { describe, expect, it } from 'vitest';
import { Prng } from './prng.ts';

describe('Prng', () => {
  it('gives the same sequence for the same seed', () => {
    const a = new Prng(7);
    const b = new Prng(7);
    const xs = Array.from({ length: 100 }, () => a.uint32());
    expect(Array.from({ length: 100 }, () => b.uint32())).toEqual(xs);
    expect(new Prng(8).uint32()).not.toBe(new Prng(7).uint32());
  });

  it('splits into streams that do not depend on draws made before', () => {
    const a = new Prng(1);
    const b = new Prng(1);
    for (let i = 0; i < 10; i++) b.uint32();
    expect(a.split('net').uint32()).toBe(b.split('net').uint32());
    expect(a.split('net').uint32()).not.toBe(a.split('disk').uint32());
  });

  it('keeps int, range and float in bounds and roughly uniform', () => {
    const r = new Prng(3);
    const counts = new Array(10).fill(0);
    for (let i = 0; i < 10_000; i++) {
      const v = r.int(10);
      expect(v).toBeGreaterThanOrEqual(0);
      expect(v).toBeLessThan(10);
      counts[v]++;
      const f = r.float();
      expect(f >= 0 && f < 1).toBe(true);
      const g = r.range(-2, 2);
      expect(g >= -2 && g <= 2).toBe(true);
    }
    for (const c of counts) expect(c).toBeGreaterThan(850);
    expect(() => r.int(0)).toThrow(RangeError);
  });

  it('shuffles to a permutation and fills bytes', () => {
    const r = new Prng(5);
    const items = Array.from({ length: 50 }, (_, i) => i);
    expect(r.shuffle(items.slice()).sort((x, y) => x - y)).toEqual(items);
    const bytes = r.bytes(new Uint8Array(7));
    expect(bytes.some((b) => b !== 0)).toBe(true);
  });
});
