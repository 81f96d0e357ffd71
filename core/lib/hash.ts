/**
 * Small, pure, deterministic hashes for seeds and trace fingerprints. Not cryptographic.
 */

const encoder = new TextEncoder();

/**
 * 64-bit FNV-1a, computed on two 32-bit lanes so that it is exact in every JavaScript engine.
 * Feed bytes or strings with `update`, read the 16-hex-digit digest with `hex()`.
 */
export class Fnv64 {
  // Offset basis 0xcbf29ce484222325 split into high and low halves.
  private hi = 0xcbf29ce4;
  private lo = 0x84222325;

  update(data: Uint8Array | string): this {
    if (typeof data !== 'string') {
      for (let i = 0; i < data.length; i++) this.mix(data[i] as number);
      return this;
    }
    // ASCII characters are their own UTF-8 bytes: hash them without encoding (trace lines are
    // almost all ASCII, and the simulator hashes every one); encode from the first other character.
    for (let i = 0; i < data.length; i++) {
      const c = data.charCodeAt(i);
      if (c >= 0x80) return this.update(encoder.encode(data.slice(i)));
      this.mix(c);
    }
    return this;
  }

  /** Multiplies by the FNV prime 0x100000001b3 modulo 2^64 after xoring one byte in. */
  private mix(byte: number): void {
    const lo = (this.lo ^ byte) >>> 0;
    // prime = 2^40 + 0x1b3: (hi:lo) * prime = (hi:lo) * 0x1b3 + (lo << 40)
    const loMul = lo * 0x1b3; // < 2^41, exact in a double
    const carry = Math.floor(loMul / 0x100000000);
    const newLo = loMul >>> 0;
    const newHi = (Math.imul(this.hi, 0x1b3) + carry + ((lo << 8) >>> 0)) >>> 0;
    this.lo = newLo;
    this.hi = newHi;
  }

  hex(): string {
    return this.hi.toString(16).padStart(8, '0') + this.lo.toString(16).padStart(8, '0');
  }
}

/** FNV-1a 64 of a string, as 16 hex digits. */
export function fnv64Hex(data: string | Uint8Array): string {
  return new Fnv64().update(data).hex();
}

/**
 * Mixes a string into four 32-bit words (MurmurHash3-style finalisers), for deriving PRNG seeds
 * from labels. Deterministic across engines.
 */
export function hash128(input: string, seed: readonly number[] = [0, 0, 0, 0]): [number, number, number, number] {
  let h1 = (0x6a09e667 ^ (seed[0] ?? 0)) >>> 0;
  let h2 = (0xbb67ae85 ^ (seed[1] ?? 0)) >>> 0;
  let h3 = (0x3c6ef372 ^ (seed[2] ?? 0)) >>> 0;
  let h4 = (0xa54ff53a ^ (seed[3] ?? 0)) >>> 0;
  for (let i = 0; i < input.length; i++) {
    const k = input.charCodeAt(i);
    h1 = h2 ^ Math.imul(h1 ^ k, 597399067);
    h2 = h3 ^ Math.imul(h2 ^ k, 2869860233);
    h3 = h4 ^ Math.imul(h3 ^ k, 951274213);
    h4 = h1 ^ Math.imul(h4 ^ k, 2716044179);
  }
  h1 = Math.imul(h3 ^ (h1 >>> 18), 597399067);
  h2 = Math.imul(h4 ^ (h2 >>> 22), 2869860233);
  h3 = Math.imul(h1 ^ (h3 >>> 17), 951274213);
  h4 = Math.imul(h2 ^ (h4 >>> 19), 2716044179);
  h1 ^= h2 ^ h3 ^ h4;
  h2 ^= h1;
  h3 ^= h1;
  h4 ^= h1;
  return [h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0];
}
