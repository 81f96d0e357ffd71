/**
 * Raft benchmarks (figures only, nothing asserted):
 * 1. Commits per second, in-process, 3 servers, in-memory stores (no fsync), in-memory network,
 *    with 1, 16 and 128 concurrent proposers. Reference: HashiCorp raft ~42k/s (1) and ~107k/s (128).
 * 2. Failover at raft_multiplier 1 in the simulator: leader crash to the first committed write,
 *    median over many seeds. Reference: HashiCorp ~3.0 s, etcd ~1.5 s; target <= 1.5 s.
 * 3. Memory per in-memory log entry and per server with 100k entries in the log.
 *
 * `npm run bench -- raft` (or `node --import tsx --expose-gc scripts/bench-raft.ts [throughput|failover|memory]`).
 */
import { availableParallelism, loadavg } from 'node:os';
import { Prng } from '../core/lib/prng.ts';
import type { TimeSource } from '../core/ports/clock.ts';
import type { RaftServer } from '../core/raft/raft-server.ts';
import { encodeKvCommand } from '../core/raft/sim/kv-fsm.ts';
import { RAFT_PORT, RaftNode } from '../core/raft/sim/raft-node.ts';
import { memoryCluster } from '../core/raft/testing.ts';
import { consulTiming } from '../core/raft/timing.ts';
import type { Configuration } from '../core/raft/types.ts';
import { Simulation } from '../core/sim/simulation.ts';

const realTime: TimeSource = {
  now: () => performance.now(),
  setTimer(delayMs, callback) {
    if (!(delayMs > 0)) {
      // "At the end of this instant": after the work already queued, without an event-loop turn.
      let live = true;
      queueMicrotask(() => live && callback());
      return {
        cancel: () => {
          live = false;
        },
      };
    }
    const h = setTimeout(callback, delayMs);
    return { cancel: () => clearTimeout(h) };
  },
};
const microtask = (fn: () => void) => queueMicrotask(fn);

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

async function startCluster(server: Record<string, unknown> = {}) {
  const c = memoryCluster({
    ids: ['a', 'b', 'c'],
    timing: consulTiming(1),
    time: realTime,
    storeDefer: microtask,
    netDefer: microtask,
    server: { snapshotThreshold: 1 << 30, ...server },
  });
  const t0 = performance.now();
  while (!c.leader() || c.leader()!.status().commit < 2) {
    if (performance.now() - t0 > 10_000) throw new Error('no leader');
    await sleep(5);
  }
  return c;
}

function stopAll(servers: Iterable<RaftServer>): void {
  for (const s of servers) s.stop();
}

/** One measurement: `proposers` loops proposing back to back; 0.5 s warm-up, 2 s measured. */
async function measure(proposers: number): Promise<number> {
  const c = await startCluster();
  const leader = c.leader()!;
  const data = new Uint8Array(16);
  const warmEnd = performance.now() + 500;
  const end = warmEnd + 2000;
  let measured = 0;
  // Each proposer checks the clock itself: the commit path is all microtasks, so a timer-based
  // stop could starve.
  const loop = async () => {
    while (performance.now() < end) {
      await leader.applyAsync(data);
      if (performance.now() >= warmEnd) measured++;
    }
  };
  await Promise.allSettled(Array.from({ length: proposers }, loop));
  stopAll(c.servers.values());
  return (measured / 2000) * 1000;
}

async function throughput(): Promise<void> {
  const rounds = 3;
  console.log(`commits/s, 3 servers in-process, in-memory stores (no fsync) and network, 16-byte commands`);
  console.log(`  (${rounds} rounds each; load average ${loadavg().map((l) => l.toFixed(1)).join(' ')} on ${availableParallelism()} cores)`);
  for (const proposers of [1, 16, 128]) {
    const rates: number[] = [];
    for (let r = 0; r < rounds; r++) rates.push(await measure(proposers));
    rates.sort((a, b) => a - b);
    const fmt = (n: number) => Math.round(n).toLocaleString('en-US').padStart(9);
    const target = proposers === 1 ? 42_000 : proposers === 128 ? 107_000 : undefined;
    console.log(
      `  ${String(proposers).padStart(3)} proposers: median ${fmt(rates[rates.length >> 1]!)} best ${fmt(rates[rates.length - 1]!)} commits/s${target ? `   (target >= ${target.toLocaleString('en-US')})` : ''}`,
    );
  }
}

/** One seed: elect, write steadily, crash the leader, time until the next write commits. */
function failoverOnce(seed: number): number {
  const sim = new Simulation({ seed });
  const ids = ['s1', 's2', 's3'];
  const timing = consulTiming(1);
  const initial: Configuration = { servers: ids.map((id) => ({ id, address: `${id}:${RAFT_PORT}`, suffrage: 'voter' as const })) };
  for (const id of ids) sim.addNode<RaftNode>({ id, start: (env) => new RaftNode(env, { initial, timing, transport: 'stream' }) });
  const node = (id: string) => sim.node<RaftNode>(id).process;
  const leader = () => ids.find((id) => node(id)?.server.state === 'leader');
  if (!sim.runUntil(() => leader() !== undefined, 20_000)) throw new Error(`seed ${seed}: no leader`);
  let lastCommit = -1;
  let n = 0;
  const writer = () => {
    const l = leader();
    if (l) {
      node(l)!.server.apply(encodeKvCommand({ op: 'write', key: 'k', value: String(n++) }), (err) => {
        if (!err) lastCommit = sim.now;
      });
    }
    sim.schedule(10, writer);
  };
  writer();
  // Crash at a random point of the heartbeat cycle.
  sim.runFor(2000 + new Prng(seed).int(1000));
  const crashed = leader()!;
  sim.crash(crashed);
  const crashAt = sim.now;
  if (!sim.runUntil(() => lastCommit > crashAt, 30_000)) throw new Error(`seed ${seed}: no write committed after failover`);
  return lastCommit - crashAt;
}

function failover(): void {
  const seeds = 300;
  const times: number[] = [];
  const t0 = performance.now();
  for (let s = 1; s <= seeds; s++) times.push(failoverOnce(s));
  times.sort((a, b) => a - b);
  const q = (p: number) => times[Math.min(times.length - 1, Math.floor(p * times.length))]!;
  console.log(`failover at raft_multiplier 1 (heartbeat/election 1000 ms, lease 500 ms), 3 servers, simulator, ${seeds} seeds`);
  console.log(`  leader crash -> first committed write: median ${(q(0.5) / 1000).toFixed(3)} s   (target <= 1.5 s)`);
  console.log(`  p10 ${(q(0.1) / 1000).toFixed(3)} s, p90 ${(q(0.9) / 1000).toFixed(3)} s, max ${(times[times.length - 1]! / 1000).toFixed(3)} s   (${((performance.now() - t0) / 1000).toFixed(1)} s wall)`);
}

/** An FSM that keeps nothing, so the heap delta is the Raft log and bookkeeping alone. */
const countingFsm = () => {
  let n = 0;
  return {
    apply: () => ++n,
    snapshot: () => new Uint8Array(8),
    restore: () => {
      n = 0;
    },
  };
};

async function fill(leader: RaftServer, entries: number, payload: number): Promise<void> {
  await new Promise<void>((resolve) => {
    let inFlight = 0;
    let issued = 0;
    let done = 0;
    const pump = () => {
      while (inFlight < 256 && issued < entries) {
        inFlight++;
        issued++;
        leader.apply(new Uint8Array(payload), () => {
          inFlight--;
          if (++done === entries) resolve();
          else pump();
        });
      }
    };
    pump();
  });
}

async function memoryOf(ids: string[], entries: number, payload: number, gc: () => void): Promise<number> {
  gc();
  const before = process.memoryUsage().heapUsed;
  const c = memoryCluster({
    ids,
    timing: consulTiming(1),
    time: realTime,
    storeDefer: microtask,
    netDefer: microtask,
    fsm: countingFsm,
    server: { snapshotThreshold: 1 << 30 },
  });
  while (!c.leader() || c.leader()!.status().commit < 2) await sleep(5);
  await fill(c.leader()!, entries, payload);
  await sleep(300);
  for (const s of c.servers.values()) s.stop();
  await sleep(50);
  gc();
  gc();
  const after = process.memoryUsage().heapUsed;
  const st = c.leader()?.status() ?? [...c.servers.values()][0]!.status();
  if (st.lastIndex - st.firstIndex + 1 < entries) throw new Error('log was compacted during the memory bench');
  return after - before;
}

async function memory(): Promise<void> {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (!gc) {
    console.log('memory: run with --expose-gc for figures');
    return;
  }
  const entries = 100_000;
  const payload = 64;
  // A first run warms up code and caches, so that the measured run counts only data.
  await memoryOf(['a'], 10_000, payload, gc);
  const one = await memoryOf(['a'], entries, payload, gc);
  console.log(`memory, in-memory log of ${entries.toLocaleString('en-US')} entries with ${payload}-byte commands (no snapshot, FSM keeps nothing)`);
  console.log(`  one server: ${(one / 1024 / 1024).toFixed(1)} MiB per server; ${Math.round(one / entries)} bytes per entry (${Math.round(one / entries) - payload} bytes beyond the payload)`);
  const three = await memoryOf(['a', 'b', 'c'], entries, payload, gc);
  console.log(`  three servers in one process: ${(three / 1024 / 1024).toFixed(1)} MiB total, ${(three / 3 / 1024 / 1024).toFixed(1)} MiB per server`);
  console.log('    (the in-memory network hands followers the leader\'s entry objects, so entries are shared)');
}

const which = process.argv[2];
if (!which || which === 'throughput') await throughput();
if (!which || which === 'failover') failover();
if (!which || which === 'memory') await memory();
