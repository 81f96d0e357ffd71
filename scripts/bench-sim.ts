/**
 * Simulator throughput: events per wall second and simulated seconds per wall second for the
 * heartbeat scenario, and how long a 5-node seed takes. Prints figures only.
 */
import { heartbeatScenario } from '../core/sim/scenarios/heartbeat.ts';

const seeds = 300;
const started = performance.now();
let events = 0;
let virtualMs = 0;
for (let seed = 1; seed <= seeds; seed++) {
  const r = heartbeatScenario.run(seed);
  if (!r.ok) throw new Error(`seed ${seed} failed: ${r.failures.join('; ')}`);
  events += r.stats.events ?? 0;
  virtualMs += r.stats.virtualMs ?? 0;
}
const wallMs = performance.now() - started;
console.log(`heartbeat scenario, 5 nodes, ${seeds} seeds under swarm faults`);
console.log(`  wall time            ${(wallMs / 1000).toFixed(2)} s (${(wallMs / seeds).toFixed(1)} ms per seed)`);
console.log(`  trace events         ${events} (${Math.round(events / (wallMs / 1000))} events/s)`);
console.log(`  simulated time       ${(virtualMs / 1000).toFixed(0)} s (${(virtualMs / wallMs).toFixed(0)}x real time)`);
