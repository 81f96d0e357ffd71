import type { Random } from '../ports/random.ts';
import { hash128 } from './hash.ts';

/**
 * A seeded, splittable PRNG (sfc32: small, fast, passes PractRand to 2^40+). Pure: the same seed
 * and the same calls give the same numbers in Node, browsers and edge runtimes.
 */
export class Prng implements Random {
  private a: number;
  private b: number;
  private c: number;
  private d: number;
  /** The seed words this stream was created from; `split` derives children from these. */
  private readonly key: readonly number[];

  /** `seed` is a number (any safe integer) or four 32-bit words. */
  constructor(seed: number | readonly number[]) {
    this.key = typeof seed === 'number' ? hash128(`seed:${seed}`) : seed.slice(0, 4);
    [this.a, this.b, this.c, this.d] = [this.key[0] ?? 0, this.key[1] ?? 0, this.key[2] ?? 0, this.key[3] ?? 0];
    // Warm up so that similar seeds diverge.
    for (let i = 0; i < 15; i++) this.uint32();
  }

  uint32(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t;
  }

  float(): number {
    // 53 bits: 27 from one draw, 26 from another.
    const hi = this.uint32() >>> 5;
    const lo = this.uint32() >>> 6;
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  int(n: number): number {
    if (!(n > 0) || !Number.isSafeInteger(n)) throw new RangeError(`Prng.int: bad bound ${n}`);
    if (n <= 0x100000000) {
      // Rejection sampling removes modulo bias.
      const limit = 0x100000000 - (0x100000000 % n);
      for (;;) {
        const x = this.uint32();
        if (x < limit) return x % n;
      }
    }
    return Math.floor(this.float() * n);
  }

  range(min: number, max: number): number {
    return min + this.int(max - min + 1);
  }

  chance(p: number): boolean {
    if (p <= 0) return false;
    if (p >= 1) return true;
    return this.float() < p;
  }

  bytes(out: Uint8Array): Uint8Array {
    for (let i = 0; i < out.length; i += 4) {
      let x = this.uint32();
      for (let j = i; j < Math.min(i + 4, out.length); j++) {
        out[j] = x & 0xff;
        x >>>= 8;
      }
    }
    return out;
  }

  shuffle<T>(items: T[]): T[] {
    for (let i = items.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = items[i] as T;
      items[i] = items[j] as T;
      items[j] = tmp;
    }
    return items;
  }

  split(label: string): Random {
    return new Prng(hash128(label, this.key));
  }
}
