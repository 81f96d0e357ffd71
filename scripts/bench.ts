/**
 * `npm run bench [-- NAME...]`: runs the named benchmarks (all by default). Each prints its own
 * figures; nothing here asserts on speed. `NAME:PART` hands PART to the script, for the scripts
 * whose parts can run alone (e.g. `npm run bench http:interleaved`, `npm run bench http:etcd`).
 */
import { spawnSync } from 'node:child_process';

const benches: Record<string, string> = {
  sim: 'scripts/bench-sim.ts',
  raft: 'scripts/bench-raft.ts',
  gossip: 'scripts/bench-gossip.ts',
  state: 'scripts/bench-state.ts',
  storage: 'scripts/bench-storage.ts',
  http: 'scripts/bench-http.ts',
  dns: 'scripts/bench-dns.ts',
  ui: 'scripts/bench-ui.ts',
  agent: 'scripts/bench-agent.ts',
  lab: 'scripts/bench-lab.ts',
};

const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = wanted.length > 0 ? wanted : Object.keys(benches);
let failed = false;
for (const wantedName of names) {
  const [name = '', ...parts] = wantedName.split(':');
  const file = benches[name];
  if (!file) {
    console.error(`unknown benchmark '${name}'; known: ${Object.keys(benches).join(', ')}`);
    process.exit(2);
  }
  console.log(`\n=== bench ${wantedName} (${file})`);
  const run = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', file, ...parts], { stdio: 'inherit' });
  if (run.status !== 0) failed = true;
}
process.exit(failed ? 1 : 0);
