import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { LogRecord, LogStore } from '../../core/ports/storage.ts';
import { MemoryLogStore } from '../../core/raft/memory-storage.ts';
import { BACKENDS } from './backends.ts';
import { WalStorage } from './wal/wal-storage.ts';

type Op =
  | { op: 'append'; n: number; term: number }
  | { op: 'truncate'; at: number }
  | { op: 'compact'; at: number }
  | { op: 'sync'; wait: boolean }
  | { op: 'reopen' };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('append' as const), n: fc.integer({ min: 1, max: 8 }), term: fc.integer({ min: 1, max: 5 }) }), weight: 5 },
  { arbitrary: fc.record({ op: fc.constant('truncate' as const), at: fc.integer({ min: -2, max: 10 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('compact' as const), at: fc.integer({ min: -2, max: 12 }) }), weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('sync' as const), wait: fc.boolean() }), weight: 2 },
  { arbitrary: fc.constant({ op: 'reopen' as const }), weight: 1 },
);

function snapshot(s: LogStore): { first: number; last: number; entries: Array<[number, number, string]> } {
  const entries = s.range(s.firstIndex(), s.lastIndex()).map((r): [number, number, string] => [r.index, r.term, new TextDecoder().decode(r.data)]);
  return { first: s.firstIndex(), last: s.lastIndex(), entries };
}

describe('durable log stores against the in-memory model (property)', () => {
  it.each(['lmdb', 'wal', 'wal-rewriting'] as const)('%s agrees with MemoryLogStore on every sequence of appends, truncations, compactions and reopens', async (backend) => {
    await fc.assert(
      fc.asyncProperty(fc.array(opArb, { minLength: 1, maxLength: 25 }), async (ops) => {
        const dir = mkdtempSync(join(tmpdir(), 'consul-prop-'));
        const openStore = () => (backend === 'wal-rewriting' ? new WalStorage(dir, { rewriteThreshold: 1 }) : BACKENDS[backend](dir));
        let storage = openStore();
        let real = storage.logStore('raft');
        const model = new MemoryLogStore((fn) => setImmediate(fn));
        try {
          for (const o of ops) {
            if (o.op === 'append') {
              const from = model.lastIndex() + 1;
              const mk = (i: number): LogRecord => ({ index: from + i, term: o.term, type: 0, data: new TextEncoder().encode(`v${from + i}t${o.term}`) });
              real.append(Array.from({ length: o.n }, (_, i) => mk(i)));
              model.append(Array.from({ length: o.n }, (_, i) => mk(i)));
            } else if (o.op === 'truncate') {
              const at = model.firstIndex() + o.at;
              real.truncateFrom(at);
              model.truncateFrom(at);
            } else if (o.op === 'compact') {
              const at = model.firstIndex() + o.at;
              real.compactTo(at);
              model.compactTo(at);
            } else if (o.op === 'sync') {
              // Unawaited syncs leave a flush in flight while the next operations run; reads must see
              // every entry whether its data is still in memory or already in the file.
              const done = new Promise<void>((resolve, reject) => real.sync((e) => (e ? reject(e) : resolve())));
              if (o.wait) await done;
              else done.catch(() => {});
            } else {
              await new Promise<void>((resolve, reject) => real.sync((e) => (e ? reject(e) : resolve())));
              await storage.close();
              storage = openStore();
              real = storage.logStore('raft');
            }
            expect(snapshot(real)).toEqual(snapshot(model));
          }
        } finally {
          await storage.close();
          rmSync(dir, { recursive: true, force: true });
        }
      }),
      { numRuns: 40, seed: 42 },
    );
  });
});
