import { describe, expect, it } from 'vitest';
import { describeFailure } from './scenario.ts';
import { heartbeatScenario } from './scenarios/heartbeat.ts';

describe('heartbeat scenario', () => {
  it('gives byte-identical traces for the same seed and different ones for different seeds', () => {
    const a = heartbeatScenario.run(42);
    const b = heartbeatScenario.run(42);
    const c = heartbeatScenario.run(43);
    expect(a.traceHash).toBe(b.traceHash);
    expect(a.stats).toEqual(b.stats);
    expect(c.traceHash).not.toBe(a.traceHash);
  });

  it('passes its checkers on 200 seeds of swarm faults', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const result = heartbeatScenario.run(seed);
      if (!result.ok) throw new Error(describeFailure('heartbeat', seed, result));
    }
  });
});
