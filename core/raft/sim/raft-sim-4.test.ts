import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../sim/scenario.ts';
import { runRaftScenario } from './raft-scenario.ts';

// Seeds 1501..2000 of the Raft simulation (split across files so vitest runs them in parallel).
// A failure prints the checker failures and the one command that replays the seed.
describe('raft simulation seeds 1501..2000', () => {
  it('every seed passes every checker', () => {
    const failed: string[] = [];
    for (let seed = 1501; seed <= 2000; seed++) {
      const r = runRaftScenario(seed);
      if (!r.ok) failed.push(describeFailure('raft', seed, r));
    }
    expect(failed.join('\n\n')).toBe('');
  });
});
