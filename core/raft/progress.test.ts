import { describe, expect, it } from 'vitest';
import { Inflights, Progress } from './progress.ts';

describe('flow control', () => {
  it('bounds in-flight appends by count and by bytes, freeing on acknowledgment', () => {
    const f = new Inflights(3, 100);
    f.add(5, 10);
    f.add(7, 10);
    expect(f.full()).toBe(false);
    f.add(9, 10);
    expect(f.full()).toBe(true); // count
    f.freeLE(7);
    expect(f.count).toBe(1);
    expect(f.full()).toBe(false);
    f.add(12, 95);
    expect(f.full()).toBe(true); // bytes: 10 + 95 >= 100
    f.freeFirst();
    expect(f.bytes).toBe(95);
  });

  it('pipelines in replicate state, stops at the window, and probes one at a time', () => {
    const p = new Progress(1, 2, 0, true);
    expect(p.isPaused()).toBe(false);
    p.sentEntries(3, 30); // probe: one outstanding
    expect(p.isPaused()).toBe(true);
    expect(p.maybeUpdate(3)).toBe(true);
    p.becomeReplicate();
    expect(p.next).toBe(4);
    p.sentEntries(6, 30);
    p.sentEntries(9, 30);
    expect(p.next).toBe(10);
    expect(p.isPaused()).toBe(true);
    p.maybeUpdate(6);
    p.inflights.freeLE(6);
    expect(p.isPaused()).toBe(false);
  });

  it('backs off on rejection: one step in replicate, straight to the hint when probing', () => {
    const p = new Progress(51, 8, 0, true);
    p.match = 10;
    // Probing at next=51 (prev 50) rejected with hint 20: jump to 21, not 50.
    expect(p.maybeDecrTo(50, 20)).toBe(true);
    expect(p.next).toBe(21);
    // A stale rejection (for an index we already moved past) changes nothing.
    expect(p.maybeDecrTo(50, 5)).toBe(false);
    p.becomeReplicate();
    expect(p.maybeDecrTo(8, 0)).toBe(false); // at or below match: stale
  });
});
