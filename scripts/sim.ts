/**
 * `npm run sim -- [--scenario NAME] (--seed N | --seeds A..B) [--log] [--list]`
 *
 * Runs seeded simulation scenarios. A failing seed prints its checker failures, the last trace
 * events and the one command that replays it; the exit code is 1 if any seed failed.
 */
import { parseArgs } from 'node:util';
import { describeFailure, parseSeeds } from '../core/sim/scenario.ts';
import { scenarios } from './sim-registry.ts';

const { values } = parseArgs({
  options: {
    scenario: { type: 'string', default: 'heartbeat' },
    seed: { type: 'string' },
    seeds: { type: 'string' },
    log: { type: 'boolean', default: false },
    list: { type: 'boolean', default: false },
    quiet: { type: 'boolean', default: false },
  },
  strict: true,
});

if (values.list) {
  for (const s of Object.values(scenarios)) console.log(`${s.name.padEnd(16)} ${s.description}`);
  process.exit(0);
}
const scenario = scenarios[values.scenario ?? ''];
if (!scenario) {
  console.error(`unknown scenario '${values.scenario}'; known: ${Object.keys(scenarios).join(', ')}`);
  process.exit(2);
}
const seeds = parseSeeds(values.seeds ?? values.seed ?? '1');
const started = performance.now();
let failed = 0;
for (const seed of seeds) {
  const result = scenario.run(seed, values.log ? { log: (l) => console.log(l) } : {});
  if (!result.ok) {
    failed++;
    console.error(describeFailure(scenario.name, seed, result));
  } else if (seeds.length === 1 || !values.quiet) {
    const stats = Object.entries(result.stats).map(([k, v]) => `${k}=${v}`).join(' ');
    if (seeds.length <= 20 || seed % 100 === 0) console.log(`seed ${seed} ok trace=${result.traceHash} ${stats}`);
  }
}
const secs = (performance.now() - started) / 1000;
console.log(`${scenario.name}: ${seeds.length - failed} passed, ${failed} failed (${secs.toFixed(1)} s)`);
process.exit(failed > 0 ? 1 : 0);
