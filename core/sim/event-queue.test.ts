import { describe, expect, it } from 'vitest';
import { Prng } from '../lib/prng.ts';
import { EventQueue } from './event-queue.ts';

describe('EventQueue', () => {
  it('pops by time, then by scheduling order, skipping cancelled events', () => {
    const q = new EventQueue();
    const order: string[] = [];
    q.push(5, () => order.push('b'));
    q.push(1, () => order.push('a'));
    q.push(5, () => order.push('c'));
    q.push(3, () => order.push('x')).cancelled = true;
    for (let e = q.pop(); e; e = q.pop()) e.run();
    expect(order).toEqual(['a', 'b', 'c']);
  });

  it('agrees with a sort on random input', () => {
    const r = new Prng(11);
    const q = new EventQueue();
    const items = Array.from({ length: 2000 }, (_, i) => ({ at: r.int(100), i }));
    for (const it of items) q.push(it.at, () => {});
    const popped: Array<[number, number]> = [];
    for (let e = q.pop(); e; e = q.pop()) popped.push([e.at, e.seq]);
    const expected = items.map((x) => [x.at, x.i]).sort((a, b) => (a[0] as number) - (b[0] as number) || (a[1] as number) - (b[1] as number));
    expect(popped).toEqual(expected);
  });
});
