import { describe, expect, it } from 'vitest';
import { planDeadServerCleanup, type RaftServerView } from './autopilot-prune.ts';

const srv = (id: string, status: RaftServerView['status'], voter = true): RaftServerView => ({ id, name: id, voter, status });
const names = (xs: RaftServerView[]) => xs.map((x) => x.id);

describe('planDeadServerCleanup (CleanupDeadServers)', () => {
  it('removes one failed voter of three, never two', () => {
    expect(names(planDeadServerCleanup([srv('a', 'alive'), srv('b', 'failed'), srv('c', 'alive')], 0).forceLeave)).toEqual(['b']);
    const two = planDeadServerCleanup([srv('a', 'alive'), srv('b', 'failed'), srv('c', 'failed')], 0);
    expect(names(two.forceLeave)).toEqual(['b']);
    expect(two.kept).toBe('will not remove server as removal of a majority of servers is not safe');
  });

  it('removes two failed voters of five and respects min_quorum', () => {
    const five = [srv('a', 'alive'), srv('b', 'failed'), srv('c', 'failed'), srv('d', 'alive'), srv('e', 'alive')];
    expect(names(planDeadServerCleanup(five, 0).forceLeave)).toEqual(['b', 'c']);
    const floor = planDeadServerCleanup(five, 4);
    expect(names(floor.forceLeave)).toEqual(['b']);
    expect(floor.kept).toBe('will not remove server as it would leave less voters than the minimum number allowed');
  });

  it('keeps voters gossip does not know yet, drops stale and failed non-voters, ignores left ones', () => {
    const plan = planDeadServerCleanup([srv('a', 'alive'), srv('b', undefined), srv('c', 'left'), srv('d', undefined, false), srv('e', 'failed', false)], 0);
    expect(names(plan.removeStale)).toEqual(['d']);
    expect(names(plan.forceLeave)).toEqual(['e']);
  });
});
