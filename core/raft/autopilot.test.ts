import { describe, expect, it } from 'vitest';
import { Autopilot, AUTOPILOT_DEFAULTS } from './autopilot.ts';
import type { Status } from './raw-node.ts';

function status(peers: Array<[id: string, voter: boolean, match: number, contactTicks: number]>, lastIndex = 100): Status {
  return {
    id: 'a',
    term: 3,
    vote: 'a',
    lead: 'a',
    state: 'leader',
    commit: lastIndex,
    applied: lastIndex,
    lastIndex,
    firstIndex: 1,
    snapshotIndex: 0,
    configuration: { servers: peers.map(([id, voter]) => ({ id, address: id, suffrage: voter ? 'voter' : 'nonvoter' })) },
    sinceLeaderTicks: 0,
    leaseValid: true,
    peers: peers.map(([id, voter, match, lastContactTicks]) => ({ id, voter, match, next: match + 1, state: 'replicate', lastContactTicks })),
  };
}

describe('autopilot', () => {
  const cfg = { ...AUTOPILOT_DEFAULTS, serverStabilizationTimeMs: 10_000, deadServerAfterMs: 60_000 };

  it('reports health: contact within the threshold and not too far behind', () => {
    const ap = new Autopilot(cfg);
    const r = ap.evaluate(0, status([['a', true, 1000, 0], ['b', true, 999, 1], ['c', true, 1000, 30], ['d', true, 10, 0]], 1000), 10);
    const h = Object.fromEntries(r.servers.map((s) => [s.id, s.healthy]));
    expect(h).toEqual({ a: true, b: true, c: false, d: false });
    expect(r.servers.find((s) => s.id === 'b')).toMatchObject({ lastContactMs: 10, lastTerm: 3, lastIndex: 999, voter: true });
    expect(r.healthy).toBe(false);
    expect(r.failureTolerance).toBe(0);
  });

  it('promotes a non-voter only after it stayed healthy for the stabilisation time', () => {
    const ap = new Autopilot(cfg);
    const st = status([['a', true, 100, 0], ['b', true, 100, 0], ['c', true, 100, 0], ['d', false, 100, 0]]);
    expect(ap.evaluate(0, st, 10).action).toBeNull();
    expect(ap.evaluate(9_999, st, 10).action).toBeNull();
    expect(ap.evaluate(10_000, st, 10).action).toEqual({ type: 'promote', id: 'd' });
    // A blip of unhealthiness restarts the clock.
    const blip = status([['a', true, 100, 0], ['b', true, 100, 0], ['c', true, 100, 0], ['d', false, 100, 50]]);
    ap.evaluate(10_001, blip, 10);
    expect(ap.evaluate(15_000, st, 10).action).toBeNull();
  });

  it('removes a dead voter only if the healthy voters keep a quorum', () => {
    const ap = new Autopilot(cfg);
    const oneDead = status([['a', true, 100, 0], ['b', true, 100, 0], ['c', true, 100, 0], ['d', true, 100, 0], ['e', true, 0, 7000]]);
    expect(ap.evaluate(0, oneDead, 10).action).toEqual({ type: 'remove', id: 'e' });
    // Three of five silent (a partition): removing one would leave 2 healthy of 4: refuse.
    const split = status([['a', true, 100, 0], ['b', true, 100, 0], ['c', true, 0, 7000], ['d', true, 0, 7000], ['e', true, 0, 7000]]);
    expect(ap.evaluate(0, split, 10).action).toBeNull();
    expect(new Autopilot({ ...cfg, cleanupDeadServers: false }).evaluate(0, oneDead, 10).action).toBeNull();
    expect(new Autopilot({ ...cfg, minQuorum: 5 }).evaluate(0, oneDead, 10).action).toBeNull();
  });
});
