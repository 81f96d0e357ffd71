/**
 * LZW as Go's `compress/lzw` does it with LSB bit order and 8-bit literals: memberlist compresses
 * packets and streams with it (compressMsg, algorithm 0) when EnableCompression is on, which is the
 * default in Serf. Codes start at 9 bits, 256 is "clear", 257 is "end", and the width grows to at
 * most 12 bits, exactly as Go's reader and writer agree on.
 */

const MAX_WIDTH = 12;
const CLEAR = 256;
const EOF = 257;
const INVALID = 0xffff;

/** Decompresses Go lzw (LSB, litWidth 8). Throws on an invalid code or a truncated stream. */
export function lzwDecompress(src: Uint8Array): Uint8Array {
  const prefix = new Uint16Array(1 << MAX_WIDTH);
  const suffix = new Uint8Array(1 << MAX_WIDTH);
  const scratch = new Uint8Array(1 << MAX_WIDTH);
  let out = new Uint8Array(Math.max(256, src.length * 4));
  let o = 0;
  let width = 9;
  let hi = EOF;
  let overflow = 1 << width;
  let last = INVALID;
  let bits = 0;
  let nBits = 0;
  let i = 0;
  for (;;) {
    while (nBits < width) {
      if (i >= src.length) throw new Error('lzw: unexpected EOF');
      bits |= (src[i++] as number) << nBits;
      nBits += 8;
    }
    const code = bits & ((1 << width) - 1);
    bits >>>= width;
    nBits -= width;
    if (o + (1 << MAX_WIDTH) > out.length) {
      const next = new Uint8Array(out.length * 2);
      next.set(out.subarray(0, o));
      out = next;
    }
    if (code < CLEAR) {
      out[o++] = code;
      if (last !== INVALID) {
        suffix[hi] = code;
        prefix[hi] = last;
      }
    } else if (code === CLEAR) {
      width = 9;
      hi = EOF;
      overflow = 1 << width;
      last = INVALID;
      continue;
    } else if (code === EOF) {
      return out.slice(0, o);
    } else if (code <= hi) {
      // Walk the chain backwards into scratch, then copy forwards.
      let s = scratch.length;
      let c = code;
      if (code === hi && last !== INVALID) {
        let first = last;
        while (first >= CLEAR) first = prefix[first] as number;
        scratch[--s] = first;
        c = last;
      }
      while (c >= CLEAR) {
        scratch[--s] = suffix[c] as number;
        c = prefix[c] as number;
      }
      scratch[--s] = c;
      out.set(scratch.subarray(s), o);
      o += scratch.length - s;
      if (last !== INVALID) {
        suffix[hi] = c;
        prefix[hi] = last;
      }
    } else {
      throw new Error('lzw: invalid code');
    }
    last = code;
    hi++;
    if (hi >= overflow) {
      if (width === MAX_WIDTH) {
        last = INVALID;
        hi--;
      } else {
        width++;
        overflow = 1 << width;
      }
    }
  }
}

/**
 * Compresses as Go's lzw writer does (LSB, litWidth 8): a leading clear code, a clear code when the
 * code space runs out (hi reaches 4095), then the end code. Go's reader accepts it.
 */
export function lzwCompress(src: Uint8Array): Uint8Array {
  const out: number[] = [];
  let bits = 0;
  let nBits = 0;
  let width = 9;
  const write = (code: number) => {
    bits |= code << nBits;
    nBits += width;
    while (nBits >= 8) {
      out.push(bits & 0xff);
      bits >>>= 8;
      nBits -= 8;
    }
  };
  const MAX_CODE = (1 << MAX_WIDTH) - 1;
  const table = lzwTable();
  let gen = nextGeneration();
  let hi = EOF;
  let overflow = 1 << width;
  /** Returns false when the code space ran out and the table was reset. */
  const incHi = (): boolean => {
    hi++;
    if (hi === overflow) {
      width++;
      overflow <<= 1;
    }
    if (hi === MAX_CODE) {
      write(CLEAR);
      width = 9;
      hi = EOF;
      overflow = 1 << width;
      gen = nextGeneration();
      return false;
    }
    return true;
  };
  write(CLEAR);
  if (src.length > 0) {
    let code = src[0] as number;
    for (let k = 1; k < src.length; k++) {
      const x = src[k] as number;
      const key = (code << 8) | x;
      // Open addressing, as Go's writer does: the slot holds key << 12 | code.
      let h = ((key >>> 12) ^ key) & TABLE_MASK;
      let found = -1;
      while (table.gens[h] === gen) {
        const t = table.entries[h] as number;
        if (t >>> 12 === key) {
          found = t & MAX_CODE;
          break;
        }
        h = (h + 1) & TABLE_MASK;
      }
      if (found >= 0) {
        code = found;
        continue;
      }
      write(code);
      code = x;
      if (incHi()) {
        table.gens[h] = gen;
        table.entries[h] = ((key << 12) | hi) >>> 0;
      }
    }
    write(code);
    incHi();
  }
  write(EOF);
  if (nBits > 0) out.push(bits & 0xff);
  return Uint8Array.from(out);
}

/**
 * The compressor's dictionary, (prefix code << 8 | byte) -> code, as Go's writer keeps it: a hash
 * table of 4 × 4096 slots (at most 4096 codes, so probes stay short), shared by every call. A
 * generation stamp per slot makes clearing O(1). 128 KB, where a table indexed by key took 6 MB of
 * every agent's memory.
 */
const TABLE_SIZE = 4 << MAX_WIDTH;
const TABLE_MASK = TABLE_SIZE - 1;
let shared: { gens: Uint32Array; entries: Uint32Array } | undefined;
let generation = 0;

function lzwTable(): { gens: Uint32Array; entries: Uint32Array } {
  shared ??= { gens: new Uint32Array(TABLE_SIZE), entries: new Uint32Array(TABLE_SIZE) };
  return shared;
}

function nextGeneration(): number {
  generation++;
  if (generation === 0xffffffff) {
    lzwTable().gens.fill(0);
    generation = 1;
  }
  return generation;
}
