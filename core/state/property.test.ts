import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeCommand } from '../fsm/commands.ts';
import { ConsulFSM } from '../fsm/fsm.ts';
import { randomLog } from '../fsm/random-log.ts';
import { catalogServiceNodes, healthChecksInState, healthServiceNodes } from './catalog-read.ts';
import { kvKeys, kvList } from './kv.ts';
import { SortedKeys } from './sorted-keys.ts';

/** Index-backed queries compared with naive scans over the same rows. */

describe('SortedKeys vs a sorted array', () => {
  it('inserts, deletes and prefix scans agree (property)', () => {
    const key = fc.string({ unit: fc.constantFrom('a', 'b', '/', 'c'), maxLength: 6 });
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.boolean(), key), { maxLength: 3000 }), key, (ops, prefix) => {
        const sk = new SortedKeys();
        const naive = new Set<string>();
        for (const [ins, k] of ops) {
          if (ins && !naive.has(k)) {
            naive.add(k);
            sk.insert(k);
          } else if (!ins) expect(sk.delete(k)).toBe(naive.delete(k));
        }
        const sorted = [...naive].sort();
        expect([...sk.all()]).toEqual(sorted);
        expect(sk.withPrefix(prefix)).toEqual(sorted.filter((k) => k.startsWith(prefix)));
        expect(sk.size).toBe(naive.size);
      }),
      { numRuns: 150 },
    );
  });

  it('survives chunk splits and merges with many keys', () => {
    const sk = new SortedKeys();
    const keys = Array.from({ length: 5000 }, (_, i) => `k${(i * 7919) % 5000}`);
    for (const k of keys) sk.insert(k);
    for (const k of keys.slice(0, 2500)) sk.delete(k);
    expect([...sk.all()]).toEqual(keys.slice(2500).sort());
  });
});

describe('state queries vs naive scans over random logs', () => {
  for (const seed of [11, 12, 13]) {
    it(`KV list/keys, health and catalog queries agree, seed ${seed}`, () => {
      const fsm = new ConsulFSM();
      randomLog(seed, 800).forEach((e, i) => {
        fsm.apply(i + 1, encodeCommand(e.command, e.now));
        if (i % 50 !== 49) return;
        const s = fsm.state;
        const allKV = [...s.t.kvs.all()];
        for (const p of ['', 'a', 'a/', 'b/x', 'lock', 'zz']) {
          expect(kvList(s, p).value).toEqual(allKV.filter((k) => k.Key.startsWith(p)));
          const naiveKeys: string[] = [];
          for (const k of allKV.filter((x) => x.Key.startsWith(p))) {
            const j = k.Key.indexOf('/', p.length);
            const cut = j === -1 ? k.Key : k.Key.slice(0, j + 1);
            if (naiveKeys[naiveKeys.length - 1] !== cut) naiveKeys.push(cut);
          }
          expect(kvKeys(s, p, '/').value).toEqual(naiveKeys);
          // Index rule: max over entries and tombstones under the prefix, else the table index.
          const cands = [...allKV.filter((k) => k.Key.startsWith(p)).map((k) => k.ModifyIndex), ...[...s.t.tombstones.all()].filter((t) => t.Key.startsWith(p)).map((t) => t.Index)];
          const want = p === '' || cands.length === 0 ? s.maxIndex('kvs', 'tombstones') : Math.max(...cands);
          expect(kvList(s, p).index).toBe(want);
        }
        const services = [...s.t.services.all()];
        const checks = [...s.t.checks.all()];
        for (const name of ['web', 'db', 'none']) {
          const naive = services
            .filter((r) => r.Service.Service === name)
            .map((r) => ({
              node: r.Node,
              id: r.Service.ID,
              checks: checks.filter((c) => c.Node === r.Node && (c.ServiceID === '' || c.ServiceID === r.Service.ID)).map((c) => c.CheckID),
            }));
          const got = healthServiceNodes(s, name).value.map((e) => ({ node: e.Node.Node, id: e.Service.ID, checks: e.Checks.map((c) => c.CheckID) }));
          expect(got).toEqual(naive);
          const passing = naive.filter((x) => x.checks.every((id) => checks.find((c) => c.Node === x.node && c.CheckID === id)!.Status === 'passing'));
          expect(healthServiceNodes(s, name, { passing: true }).value.map((e) => e.Service.ID)).toEqual(passing.map((x) => x.id));
          const meta = services.filter((r) => r.Service.Service === name && s.t.nodes.get(r.Node)!.Meta.env === 'a');
          expect(catalogServiceNodes(s, name, { nodeMeta: { env: 'a' } }).value.map((x) => x.Node)).toEqual(meta.map((r) => r.Node));
        }
        for (const st of ['passing', 'warning', 'critical']) {
          expect(healthChecksInState(s, st).value).toEqual(checks.filter((c) => c.Status === st));
        }
        for (const sess of s.t.sessions.all()) {
          expect(s.t.kvs.byIndex('session', sess.ID)).toEqual(allKV.filter((k) => k.Session === sess.ID));
        }
        expect(allKV.every((k) => k.Session === '' || s.t.sessions.get(k.Session))).toBe(true);
      });
    });
  }
});
