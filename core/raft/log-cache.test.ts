import { describe, expect, it } from 'vitest';
import { Prng } from '../lib/prng.ts';
import type { LogRecord } from '../ports/storage.ts';
import { CachedLogStore } from './log-cache.ts';
import { MemoryLogStore } from './memory-storage.ts';

const now = (fn: () => void) => fn();

function record(index: number, term: number, rng: Prng): LogRecord {
  const frame = new Uint8Array(8 + rng.int(6));
  rng.bytes(frame);
  // Half of the entries are views into a larger buffer, like entries decoded from a network frame.
  const data = rng.chance(0.5) ? frame.subarray(2, 2 + rng.int(6)) : frame;
  return { index, term, type: rng.int(2), data };
}

const plain = (r: LogRecord | undefined) => r && { index: r.index, term: r.term, type: r.type, data: [...r.data] };

describe('CachedLogStore', () => {
  it.each([1, 2, 3, 4, 5, 6, 7, 8])('answers every read as the store does, whatever the appends, truncations and compactions (seed %i)', (seed) => {
    const rng = new Prng(seed);
    const reference = new MemoryLogStore(now);
    const backing = new MemoryLogStore(now);
    // A small cache, so that slots are reused and misses fall through to the store.
    const cached = new CachedLogStore(backing, 8);
    let term = 1;
    for (let step = 0; step < 400; step++) {
      const op = rng.int(10);
      if (op < 6) {
        const batch = Array.from({ length: 1 + rng.int(4) }, (_, i) => record(reference.lastIndex() + 1 + i, term, rng));
        reference.append(batch.map((r) => ({ ...r, data: r.data.slice() })));
        cached.append(batch);
      } else if (op < 8 && reference.lastIndex() >= reference.firstIndex()) {
        const from = reference.firstIndex() + rng.int(reference.lastIndex() - reference.firstIndex() + 1);
        term++;
        reference.truncateFrom(from);
        cached.truncateFrom(from);
      } else if (reference.lastIndex() >= reference.firstIndex()) {
        const to = reference.firstIndex() + rng.int(Math.min(6, reference.lastIndex() - reference.firstIndex() + 1));
        reference.compactTo(to);
        cached.compactTo(to);
      }
      expect([cached.firstIndex(), cached.lastIndex()]).toEqual([reference.firstIndex(), reference.lastIndex()]);
      for (let i = reference.firstIndex() - 2; i <= reference.lastIndex() + 2; i++) expect(plain(cached.get(i))).toEqual(plain(reference.get(i)));
      const lo = reference.firstIndex() + rng.int(4);
      const hi = lo + rng.int(10);
      const maxBytes = rng.chance(0.5) ? Number.POSITIVE_INFINITY : rng.int(30);
      expect(cached.range(lo, hi, maxBytes).map(plain)).toEqual(reference.range(lo, hi, maxBytes).map(plain));
    }
  });

  it('leaves the store and the cache unchanged when the store refuses an append', () => {
    const store = new MemoryLogStore(now);
    const cached = new CachedLogStore(store, 4);
    cached.append([{ index: 1, term: 1, type: 0, data: new Uint8Array([1]) }]);
    expect(() => cached.append([{ index: 3, term: 1, type: 0, data: new Uint8Array([3]) }])).toThrow();
    expect(cached.lastIndex()).toBe(1);
    expect(cached.get(3)).toBeUndefined();
    expect(plain(cached.get(1))).toEqual({ index: 1, term: 1, type: 0, data: [1] });
  });

  it('keeps a copy of just the data of an entry that is a view into a larger buffer', () => {
    const frame = new Uint8Array(1024);
    frame.set([7, 8, 9], 100);
    const cached = new CachedLogStore(new MemoryLogStore(now), 4);
    cached.append([{ index: 1, term: 1, type: 0, data: frame.subarray(100, 103) }]);
    const got = cached.get(1)!;
    expect([...got.data]).toEqual([7, 8, 9]);
    expect(got.data.buffer.byteLength).toBe(3);
  });
});
