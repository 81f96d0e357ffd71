import { describe, expect, it } from 'vitest';
import { describeFailure } from '../../sim/scenario.ts';
import { runRaftScenario } from './raft-scenario.ts';

// Seeds 1001..1500 of the Raft simulation (split across files so vitest runs them in parallel).
// A failure prints the checker failures and the one command that replays the seed.
describe('raft simulation seeds 1001..1500', () => {
  it('every seed passes every checker', () => {
    const failed: string[] = [];
    for (let seed = 1001; seed <= 1500; seed++) {
      const r = runRaftScenario(seed);
      if (!r.ok) failed.push(describeFailure('raft', seed, r));
    }
    expect(failed.join('\n\n')).toBe('');
  });
});
