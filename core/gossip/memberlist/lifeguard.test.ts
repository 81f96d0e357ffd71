/** Lifeguard's pieces and the broadcast queue, against memberlist's formulas. */
import { describe, expect, it } from 'vitest';
import { MemNet } from '../testing/mem-net.ts';
import { Prng } from '../../lib/prng.ts';
import { Awareness } from './awareness.ts';
import { TransmitLimitedQueue } from './broadcast-queue.ts';
import { pushPullScale, retransmitLimit, suspicionTimeout } from './config.ts';
import { remainingSuspicionTime, Suspicion } from './suspicion.ts';

describe('memberlist formulas', () => {
  it('suspicion timeout, retransmit limit and push-pull scale', () => {
    expect(suspicionTimeout(4, 1, 1000)).toBe(4000);
    expect(suspicionTimeout(4, 1000, 1000)).toBe(12000);
    expect(retransmitLimit(4, 1000)).toBe(16);
    expect(retransmitLimit(4, 9)).toBe(4);
    expect(pushPullScale(30_000, 32)).toBe(30_000);
    expect(pushPullScale(30_000, 1000)).toBe(30_000 * 6);
  });

  it('remaining suspicion time shrinks logarithmically with confirmations (memberlist test table)', () => {
    expect(remainingSuspicionTime(0, 3, 0, 2000, 30000)).toBe(30000);
    expect(remainingSuspicionTime(1, 3, 2000, 2000, 30000)).toBe(14000);
    expect(remainingSuspicionTime(2, 3, 3000, 2000, 30000)).toBe(4810);
    expect(remainingSuspicionTime(3, 3, 4000, 2000, 30000)).toBe(-2000);
  });
});

describe('Suspicion timer', () => {
  it('fires at max without confirmations and sooner with them; duplicates do not count', () => {
    const net = new MemNet(new Prng(1));
    let firedAt = -1;
    const s = new Suspicion(net.time('a'), 'b', 3, 2000, 30000, () => (firedAt = net.now));
    net.runFor(1000);
    expect(s.confirm('b')).toBe(false);
    expect(s.confirm('c')).toBe(true);
    expect(s.confirm('c')).toBe(false);
    net.runFor(60_000);
    expect(firedAt).toBe(16000);
  });

  it('fires at min when k < 1', () => {
    const net = new MemNet(new Prng(1));
    let firedAt = -1;
    new Suspicion(net.time('a'), 'b', 0, 2000, 30000, () => (firedAt = net.now));
    net.runFor(60_000);
    expect(firedAt).toBe(2000);
  });
});

describe('Awareness', () => {
  it('scales timeouts by score+1 and clamps to [0, max-1]', () => {
    const a = new Awareness(8);
    expect(a.scaleTimeout(1000)).toBe(1000);
    a.applyDelta(3);
    expect(a.scaleTimeout(1000)).toBe(4000);
    a.applyDelta(100);
    expect(a.getHealthScore()).toBe(7);
    a.applyDelta(-100);
    expect(a.getHealthScore()).toBe(0);
  });
});

describe('TransmitLimitedQueue', () => {
  const msg = (n: number) => new Uint8Array(n);

  it('sends fewest-transmitted first, largest first, and drops at the retransmit limit', () => {
    const q = new TransmitLimitedQueue(() => 9, 2); // limit 2 * ceil(log10(10)) = 2
    let finished = 0;
    q.queueBroadcast({ message: msg(10), finished: () => finished++ });
    q.queueBroadcast({ message: msg(20) });
    expect(q.getBroadcasts(2, 100).map((m) => m.length)).toEqual([20, 10]);
    expect(q.getBroadcasts(2, 100).map((m) => m.length)).toEqual([20, 10]);
    expect(q.numQueued()).toBe(0);
    expect(finished).toBe(1);
  });

  it('respects the byte limit and replaces broadcasts with the same name', () => {
    const q = new TransmitLimitedQueue(() => 100, 4);
    let replaced = 0;
    q.queueBroadcast({ message: msg(30), name: 'n1', finished: () => replaced++ });
    q.queueBroadcast({ message: msg(40), name: 'n1' });
    expect(replaced).toBe(1);
    expect(q.numQueued()).toBe(1);
    q.queueBroadcast({ message: msg(50) });
    expect(q.getBroadcasts(2, 60).map((m) => m.length)).toEqual([50]);
    expect(q.getBroadcasts(2, 60).map((m) => m.length)).toEqual([40]);
  });
});
