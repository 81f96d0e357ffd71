/**
 * Gossip benchmarks (prints figures; asserts nothing):
 *  1. dissemination model at LAN defaults: time for one update to reach 99.9% of 1,000 and 10,000
 *     nodes (Serf's convergence model: 2.0 s and 2.2 s);
 *  2. full stack on core/sim, 1,000 nodes at LAN defaults: join convergence, user-event reach
 *     (99.9%), crash detection (first node / all nodes), false failures under 10% loss with slow
 *     nodes, datagram bytes per node per second (reference: memberlist crash detection 5.6-6.8 s);
 *  3. real UDP on loopback, 25 nodes in this process: join convergence and crash detection, and the
 *     same with 25 real Serf agents when Go and Debian's serf sources are installed.
 *
 * Usage: npx tsx scripts/bench-gossip.ts [--nodes 1000] [--compression] [--skip-sim] [--skip-udp] [--skip-serf]
 */
import { defaultLanConfig } from '../core/gossip/memberlist/config.ts';
import { disseminationModel } from '../core/gossip/sim/dissemination-model.ts';
import { runGossipScenario } from '../core/gossip/sim/gossip-scenario.ts';
import type { SerfEvent } from '../core/gossip/serf/events.ts';
import { type GossipNode, startGossipNode } from '../server/runtime/gossip-node.ts';
import { buildSerf, interopUnavailable, SerfAgent } from '../server/testing/serf-agent.ts';

const args = process.argv.slice(2);
const flag = (name: string) => args.includes(name);
const value = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const s = (ms: number) => (ms < 0 ? 'n/a' : `${(ms / 1000).toFixed(2)} s`);

function model(): void {
  console.log('## Dissemination model, LAN defaults (gossip 200 ms to 3 nodes, probe 1 s, retransmit 4*ceil(log10(n+1)))');
  for (const n of [1000, 10000]) {
    const ref = n === 1000 ? '2.0 s' : '2.2 s';
    for (const loss of [0, 0.1]) {
      const seeds = n === 1000 ? [1, 2, 3, 4, 5] : [1, 2];
      const runs = seeds.map((seed) => disseminationModel(n, defaultLanConfig('bench'), seed, { loss }));
      const mean = runs.reduce((a, r) => a + r.reachMs, 0) / runs.length;
      const worst = Math.max(...runs.map((r) => r.reachMs));
      console.log(
        `  ${n} nodes, loss ${loss * 100}%: 99.9% reached in mean ${s(mean)}, worst ${s(worst)} over ${runs.length} seeds (Serf model: ${ref})`,
      );
    }
  }
}

/** Crash detection with 10 nodes, the setting of the memberlist reference measurement. */
function tenNodes(): void {
  console.log('## Full stack on core/sim, 10 nodes, LAN defaults: crash detection over 10 seeds');
  const first: number[] = [];
  const all: number[] = [];
  for (let seed = 1; seed <= 10; seed++) {
    const r = runGossipScenario(seed, { nodes: 10, convergeMs: 30_000, lossyMs: 0, loss: 0, slowNodes: 0 });
    first.push(r.stats.crashFirstDetectMs ?? -1);
    all.push(r.stats.crashAllDetectMs ?? -1);
  }
  const range = (xs: number[]) => `${s(Math.min(...xs))}..${s(Math.max(...xs))} (mean ${s(xs.reduce((a, b) => a + b, 0) / xs.length)})`;
  console.log(`  first node: ${range(first)}; all nodes: ${range(all)} (memberlist, 10 real nodes: 5.6-6.8 s)`);
}

function fullStack(nodes: number, compression: boolean): void {
  console.log(`## Full stack on core/sim, ${nodes} nodes, LAN defaults (seed 1, LZW compression ${compression ? 'on' : 'off'})`);
  const t = performance.now();
  const r = runGossipScenario(1, {
    nodes,
    convergeMs: 120_000,
    lossyMs: 60_000,
    loss: 0.1,
    slowNodes: Math.max(1, nodes / 100),
    measure: true,
    compression,
  });
  const st = r.stats;
  console.log(`  join converged (every node sees all alive): ${s(st.joinConvergedMs ?? -1)}`);
  console.log(`  user event reached 99.9%: ${s(st.userEvent999Ms ?? -1)}`);
  console.log(`  graceful leave seen by all: ${s(st.leaveConvergedMs ?? -1)}`);
  console.log(`  crash detected: first node ${s(st.crashFirstDetectMs ?? -1)}, all nodes ${s(st.crashAllDetectMs ?? -1)} (memberlist, 10 real nodes: 5.6-6.8 s)`);
  console.log(`  10% loss + ${Math.max(1, nodes / 100)} slow nodes for 60 s: ${st.lossyFalseFailures} false failures, ${st.lossySuspicions} suspicions refuted`);
  console.log(`  datagram bytes per node per second (steady state): ${(st.bytesPerNodePerSec ?? 0).toFixed(0)} B/s`);
  console.log(`  ok=${r.ok} trace=${r.traceHash} virtual ${s(st.virtualMs ?? 0)} in wall ${s(performance.now() - t)}${r.ok ? '' : ` failures: ${r.failures.join('; ')}`}`);
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function until(check: () => boolean | Promise<boolean>, timeoutMs: number): Promise<number> {
  const start = performance.now();
  while (performance.now() - start < timeoutMs) {
    if (await check()) return performance.now() - start;
    await sleep(20);
  }
  return -1;
}

async function realUdp(n: number): Promise<void> {
  console.log(`## Real UDP/TCP on loopback, ${n} of our nodes in one process, LAN profile`);
  const nodes: GossipNode[] = [];
  const failedSeen = new Map<string, number>();
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    const name = `udp${i}`;
    nodes.push(
      await startGossipNode({
        name,
        profile: 'lan',
        onEvent: (e: SerfEvent) => {
          if (e.type === 'member-failed') for (const m of e.members) if (m.name === 'udp0') failedSeen.set(name, performance.now());
        },
      }),
    );
  }
  const first = nodes[0] as GossipNode;
  let joinsReturned = 0;
  let returnedAt = 0;
  for (const node of nodes.slice(1)) {
    node.serf.join([first.address], false, () => {
      if (++joinsReturned === n - 1) returnedAt = performance.now();
    });
  }
  const joinStart = performance.now();
  const join = await until(() => nodes.every((x) => x.serf.membersList().filter((m) => m.status === 'alive').length === n), 60_000);
  const doneAt = performance.now();
  console.log(
    `  join convergence (all ${n} see ${n} alive): ${s(join < 0 ? -1 : doneAt - joinStart)} from the first join call, ${s(join < 0 || !returnedAt ? -1 : doneAt - returnedAt)} after the last join returned (from first start: ${s(doneAt - t0)})`,
  );
  await sleep(3_000);
  const crashAt = performance.now();
  first.shutdown();
  await until(() => failedSeen.size === n - 1, 60_000);
  const times = [...failedSeen.values()].map((x) => x - crashAt).sort((a, b) => a - b);
  console.log(`  crash detection: first ${s(times[0] ?? -1)}, all ${s(times.length === n - 1 ? (times[times.length - 1] as number) : -1)}`);
  for (const node of nodes.slice(1)) node.shutdown();
}

async function realSerf(n: number): Promise<void> {
  const why = interopUnavailable();
  if (why) {
    console.log(`## Serf agents: skipped (${why})`);
    return;
  }
  console.log(`## Real Serf agents (Debian serf 0.9.4 / memberlist 0.2.2), ${n} processes on loopback, LAN profile`);
  const bin = await buildSerf();
  const agents: SerfAgent[] = [];
  try {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) agents.push(await SerfAgent.start(bin, `go${i}`, { profile: 'lan' }));
    const first = agents[0] as SerfAgent;
    const started = performance.now();
    // Joins run concurrently, as ours do; convergence is timed from the first join call.
    let returnedAt = 0;
    const joins = Promise.all(agents.slice(1).map((a) => a.join(first.address))).then(() => {
      returnedAt = performance.now();
    });
    const join = await until(async () => {
      const counts = await Promise.all(agents.map(async (a) => (await a.members()).filter((m) => m.status === 'alive').length));
      return counts.every((c) => c === n);
    }, 90_000);
    const doneAt = performance.now();
    await joins;
    console.log(
      `  join convergence (all ${n} see ${n} alive, polled by RPC): ${s(join < 0 ? -1 : doneAt - started)} from the first \`serf join\`, ${s(join < 0 || !returnedAt ? -1 : doneAt - returnedAt)} after the last returned (CLI process start-up and RPC polling included; from first start: ${s(doneAt - t0)})`,
    );
    await sleep(3_000);
    const crashAt = performance.now();
    first.kill();
    const seen = new Map<string, number>();
    await until(async () => {
      await Promise.all(
        agents.slice(1).map(async (a) => {
          if (!seen.has(a.name) && (await a.status('go0')) === 'failed') seen.set(a.name, performance.now() - crashAt);
        }),
      );
      return seen.size === n - 1;
    }, 60_000);
    const times = [...seen.values()].sort((a, b) => a - b);
    console.log(`  crash detection: first ${s(times[0] ?? -1)}, all ${s(times.length === n - 1 ? (times[times.length - 1] as number) : -1)} (RPC polling adds up to ~0.3 s)`);
  } finally {
    for (const a of agents) a.kill();
  }
}

async function main(): Promise<void> {
  model();
  if (!flag('--skip-sim')) tenNodes();
  // Compression changes packet sizes, not timing; off by default because it makes the 1,000-node
  // simulation several times slower (pass --compression for Serf's default).
  if (!flag('--skip-sim')) fullStack(value('--nodes', 1000), flag('--compression'));
  if (!flag('--skip-udp')) await realUdp(25);
  if (!flag('--skip-udp') && !flag('--skip-serf')) await realSerf(25);
  process.exit(0);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
