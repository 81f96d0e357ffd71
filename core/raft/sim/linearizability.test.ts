import { describe, expect, it } from 'vitest';
import { checkLinearizable, type RegisterOp } from './linearizability.ts';

const INF = Number.POSITIVE_INFINITY;
const w = (client: number, value: string, invoke: number, response: number, result: true | undefined = true): RegisterOp => ({
  kind: 'write',
  key: 'k',
  value,
  result,
  invoke,
  response,
  client,
});
const r = (client: number, result: string | null, invoke: number, response: number): RegisterOp => ({ kind: 'read', key: 'k', result, invoke, response, client });
const cas = (client: number, expect: string | null, value: string, result: boolean | undefined, invoke: number, response: number): RegisterOp => ({
  kind: 'cas',
  key: 'k',
  expect,
  value,
  result,
  invoke,
  response,
  client,
});

describe('linearizability checker (register)', () => {
  it('accepts sequential and concurrent histories that have a linearisation', () => {
    expect(checkLinearizable([w(1, 'a', 0, 1), r(2, 'a', 2, 3)]).ok).toBe(true);
    // Concurrent write and read: the read may see either value.
    expect(checkLinearizable([w(1, 'a', 0, 1), w(1, 'b', 2, 10), r(2, 'a', 3, 4), r(3, 'b', 5, 6)]).ok).toBe(true);
    expect(checkLinearizable([r(1, null, 0, 1), cas(2, null, 'x', true, 2, 3), r(1, 'x', 4, 5)]).ok).toBe(true);
  });

  it('rejects a stale read after a completed write', () => {
    const res = checkLinearizable([w(1, 'a', 0, 1), w(1, 'b', 2, 3), r(2, 'a', 4, 5)]);
    expect(res.ok).toBe(false);
    expect(res.badKeys).toEqual(['k']);
  });

  it('rejects reads that go back in time (a then b then a)', () => {
    expect(checkLinearizable([w(1, 'a', 0, 1), w(2, 'b', 0, 10), r(3, 'b', 2, 3), r(3, 'a', 4, 5)]).ok).toBe(false);
  });

  it('rejects two successful CAS from the same expected value', () => {
    expect(checkLinearizable([w(1, 'a', 0, 1), cas(2, 'a', 'b', true, 2, 5), cas(3, 'a', 'c', true, 2, 5)]).ok).toBe(false);
  });

  it('lets an unknown-outcome write take effect late or never', () => {
    expect(checkLinearizable([w(1, 'a', 0, 1), w(2, 'b', 2, INF, undefined), r(3, 'a', 5, 6), r(3, 'b', 7, 8)]).ok).toBe(true);
    expect(checkLinearizable([w(1, 'a', 0, 1), w(2, 'b', 2, INF, undefined), r(3, 'a', 5, 6)]).ok).toBe(true);
    // ...but not before it was invoked.
    expect(checkLinearizable([w(1, 'a', 0, 1), r(3, 'b', 1.5, 1.8), w(2, 'b', 2, INF, undefined)]).ok).toBe(false);
  });

  it('handles a few hundred operations quickly', () => {
    const ops: RegisterOp[] = [];
    for (let i = 0; i < 300; i++) {
      ops.push(w(i % 4, `v${i}`, i * 10, i * 10 + 15));
      ops.push(r((i + 1) % 4, `v${i}`, i * 10 + 16, i * 10 + 17));
    }
    expect(checkLinearizable(ops).ok).toBe(true);
  });
});
