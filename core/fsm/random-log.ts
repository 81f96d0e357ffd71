import { Prng } from '../lib/prng.ts';
import type { Command } from './commands.ts';

/**
 * A seeded random raft log over small key, node and session spaces, so that commands collide
 * (locks contend, sessions get invalidated, CAS fails, txns roll back). Used by determinism tests,
 * the simulator and benchmarks.
 */
export function randomLog(seed: number, length: number): Array<{ command: Command; now: number }> {
  const r = new Prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[r.uint32() % xs.length]!;
  const int = (n: number) => r.uint32() % n;
  const keys = ['a', 'a/b', 'a/c', 'b', 'b/x/y', 'lock/.lock', 'svc/config'];
  const nodes = ['n1', 'n2', 'n3'];
  const sessions = ['s1', 's2', 's3', 's4'];
  const statuses = ['passing', 'warning', 'critical'];
  const bytes = () => Uint8Array.from({ length: int(6) }, () => int(256));
  const flags = () => (int(4) === 0 ? 3304740253564472344n : BigInt(int(3)));
  let now = 1_700_000_000_000;
  const out: Array<{ command: Command; now: number }> = [];
  for (let i = 0; i < length; i++) {
    now += int(5000);
    const k = pick(keys);
    const n = pick(nodes);
    const sid = pick(sessions);
    const gens: Array<() => Command> = [
      () => ({ type: 'kvs', op: 'set', entry: { Key: k, Value: bytes(), Flags: flags() } }),
      () => ({ type: 'kvs', op: 'cas', entry: { Key: k, Value: bytes() }, index: int(3) === 0 ? 0 : int(i + 2) }),
      () => ({ type: 'kvs', op: 'delete', entry: { Key: k } }),
      () => ({ type: 'kvs', op: 'delete-tree', entry: { Key: k.slice(0, 1) } }),
      () => ({ type: 'kvs', op: 'delete-cas', entry: { Key: k }, index: int(i + 2) }),
      () => ({ type: 'kvs', op: 'lock', entry: { Key: k, Value: bytes() }, session: sid }),
      () => ({ type: 'kvs', op: 'unlock', entry: { Key: k }, session: sid }),
      () => ({
        type: 'register',
        req: {
          Node: n,
          Address: `10.0.0.${int(4)}`,
          NodeMeta: { env: pick(['a', 'b']) },
          Service: int(2) ? { Service: pick(['web', 'db']), ID: pick(['w1', 'w2', 'd1']), Tags: [pick(['x', 'y'])], Port: int(3) } : null,
          Check: { CheckID: 'serfHealth', Status: pick(statuses) },
        },
      }),
      () => ({ type: 'deregister', req: int(3) === 0 ? { Node: n } : { Node: n, ServiceID: pick(['w1', 'w2', 'd1']) } }),
      () => ({ type: 'session-create', session: { ID: sid, Node: n, NodeChecks: int(2) ? ['serfHealth'] : [], LockDelay: int(3) * 1e9, Behavior: pick(['release', 'delete']) } }),
      () => ({ type: 'session-destroy', id: sid }),
      () => ({
        type: 'txn',
        ops: [
          { KV: { Verb: 'set', Key: k, Value: bytes() } },
          { KV: { Verb: pick(['check-index', 'get', 'lock', 'delete-tree']), Key: pick(keys), Index: int(i + 2), Session: sid } },
        ],
      }),
      () => ({ type: 'tombstone-reap', index: int(i + 1) }),
      () => ({ type: 'coordinate-batch', updates: [{ Node: n, Segment: '', Coord: { Vec: [int(100) / 7, 0.5], Error: 1.5, Adjustment: 0, Height: 1e-5 } }] }),
    ];
    out.push({ command: pick(gens)(), now });
  }
  return out;
}
