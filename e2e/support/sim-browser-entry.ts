/**
 * The simulator's browser entry for tests: runs a registered scenario by name and seed and returns
 * its trace hash, exactly as `npm run sim` does in Node.
 */
import { scenarios } from '../../scripts/sim-registry.ts';

export function runScenario(name: string, seed: number): { ok: boolean; traceHash: string; events: number } {
  const scenario = scenarios[name];
  if (!scenario) throw new Error(`unknown scenario ${name}`);
  const result = scenario.run(seed);
  return { ok: result.ok, traceHash: result.traceHash, events: result.stats.events ?? 0 };
}
