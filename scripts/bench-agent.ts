/**
 * Agent benchmarks with real processes (issue 6; prints figures, asserts nothing):
 *
 * 1. `consul agent -dev` (no UI) from process start to the first successful KV write. Target < 1 s.
 * 2. Resident memory of an idle dev server and of an idle client agent joined to it.
 *    Target: client < 60 MB (Consul's client agent: 87 MB).
 * 3. KV writes through HTTP against 3 servers (bootstrap-expect 3, data dirs, fsync) with 1, 16 and
 *    64 concurrent keep-alive clients spread over the servers: writes/s, p50 and p99 latency.
 *    The same load against a 3-member etcd (v3 JSON gateway) when `etcd` is installed
 *    (Debian: etcd-server). Reference (issue 6): etcd 3.4 ≈ 800/s with 1 client, 5,000/s with 64.
 * 4. Failover at raft_multiplier 1: `kill -9` of the leader to the first successful write through
 *    a surviving server, several rounds. Reference: etcd 1.5 s.
 *
 * Env: BENCH_SECONDS per write cell (default 3) after an unmeasured warm-up: BENCH_WARMUP_BURST seconds of 64 clients (default 3), then BENCH_WARMUP seconds of the cell's count (default 1), BENCH_ROUNDS for start-up and failover (default 3),
 * BENCH_PARTS to run some parts only (comma-separated: start, memory, kv, etcd, failover),
 * BENCH_FIRST=leader|follower to choose the server the 1-client cells write through, BENCH_CLIENTS
 * (comma list, default 1,16,64) the client counts.
 * The agents share this machine's two cores with the load generator, so figures are conservative.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type AgentProcess, freeAgentPorts, startAgentProcess } from '../server/testing/agent-process.ts';
import { b64, etcdIsLeader, startEtcd } from './bench-etcd.ts';
import { request } from './bench-request.ts';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 1);
/** Clients in the first warm-up phase of each cell. */
const BURST = 64;
/** Seconds of the BURST phase (V8 keeps optimizing for several seconds of load). */
const BURST_SECONDS = Number(process.env.BENCH_WARMUP_BURST ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const PARTS = new Set((process.env.BENCH_PARTS ?? 'start,memory,kv,etcd,failover').split(','));
const CLI = join(import.meta.dirname, '..', 'server', 'cli', 'consul.js');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));


async function waitFor(what: string, check: () => Promise<boolean>, ms = 60_000, every = 200): Promise<void> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await sleep(every);
  }
  throw new Error(`timed out waiting for ${what}`);
}

function rssMb(pid: number | undefined): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

/** CPU time (user + system) a process used so far, in ms, from /proc (clock ticks of 10 ms). */
function cpuMs(pid: number | undefined): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

// ---------------------------------------------------------------- 1 and 2: start-up and memory

async function startupToFirstWrite(): Promise<number> {
  const ports = await freeAgentPorts();
  const t0 = performance.now();
  const proc = spawn(process.execPath, [CLI, 'agent', '-dev', '-ui=false', '-log-level', 'warn', '-http-port', String(ports.http), '-dns-port', String(ports.dns), '-serf-lan-port', String(ports.serfLan), '-serf-wan-port', String(ports.serfWan), '-server-port', String(ports.server)], { stdio: 'ignore' });
  try {
    await waitFor('the first KV write', async () => (await request(undefined, ports.http, 'PUT', '/v1/kv/bench/first', 'x', 1000)).status === 200, 30_000, 5);
    return performance.now() - t0;
  } finally {
    proc.kill('SIGKILL');
  }
}

async function idleMemory(dir: string): Promise<{ server: number; client: number }> {
  const server = await startAgentProcess(['-dev', '-ui=false', '-log-level', 'warn', '-node', 'mem-server']);
  let client: AgentProcess | undefined;
  try {
    client = await startAgentProcess(['-node', 'mem-client', '-bind', '127.0.0.1', '-data-dir', join(dir, 'mem-client'), '-log-level', 'warn', '-retry-join', `127.0.0.1:${server.ports.serfLan}`], '127.0.0.1', false);
    await waitFor('the client in the catalog', async () => (await request(undefined, server.ports.http, 'GET', '/v1/catalog/node/mem-client')).body.includes('mem-client'));
    await sleep(10_000); // idle: let start-up garbage go and anti-entropy settle
    return { server: rssMb(server.proc.pid), client: rssMb(client.proc.pid) };
  } finally {
    await client?.stop('SIGKILL');
    await server.stop('SIGKILL');
  }
}

// ---------------------------------------------------------------- 3: KV writes

type Write = (agent: http.Agent, target: number, i: number) => Promise<boolean>;

/**
 * Runs 1, 16 and 64 clients against `targets`. With the servers' `pids`, also prints the CPU time the
 * servers spent per write: a figure that stays comparable when other work on the machine makes the
 * rates noisy.
 */
async function writeLoad(label: string, targets: number[], write: Write, pids: Array<number | undefined> = []): Promise<void> {
  for (const clients of (process.env.BENCH_CLIENTS ?? '1,16,64').split(',').map(Number)) {
    const agents = targets.map(() => new http.Agent({ keepAlive: true, maxSockets: Math.max(clients, BURST) }));
    const latencies: number[] = [];
    let errors = 0;
    let seq = 0;
    const worker = async (w: number, end: number, measure: boolean) => {
      const t = w % targets.length;
      while (performance.now() < end) {
        const start = performance.now();
        const ok = await write(agents[t] as http.Agent, targets[t] as number, seq++).catch(() => false);
        if (!measure) continue;
        if (ok) latencies.push(performance.now() - start);
        else errors++;
      }
    };
    const run = (n: number, seconds: number, measure: boolean) => {
      const end = performance.now() + seconds * 1000;
      return Promise.all(Array.from({ length: n }, (_, w) => worker(w, end, measure)));
    };
    // Unmeasured warm-up, the same for etcd: Node's JIT compiles a path after enough calls, so a
    // burst of BURST clients first, then the cell's own count.
    await run(BURST, BURST_SECONDS, false);
    await run(clients, WARMUP, false);
    const cpu0 = pids.map(cpuMs);
    const t0 = performance.now();
    await run(clients, SECONDS, true);
    const elapsed = (performance.now() - t0) / 1000;
    let cpu = 0;
    for (const [i, pid] of pids.entries()) cpu += cpuMs(pid) - (cpu0[i] ?? 0);
    const perWrite = pids.length > 0 && latencies.length > 0 ? `  server cpu ${(cpu / latencies.length).toFixed(2)} ms/write` : '';
    latencies.sort((a, b) => a - b);
    console.log(`${label.padEnd(8)} ${String(clients).padStart(2)} clients: ${(latencies.length / elapsed).toFixed(0).padStart(6)} writes/s  p50 ${pct(latencies, 0.5).toFixed(1)} ms  p99 ${pct(latencies, 0.99).toFixed(1)} ms  errors ${errors}${perWrite}`);
    for (const a of agents) a.destroy();
  }
}

async function consulCluster(dir: string, extraConfig?: string): Promise<AgentProcess[]> {
  mkdirSync(dir, { recursive: true });
  const config = join(dir, 'bench.hcl');
  writeFileSync(config, extraConfig ?? '');
  const args = (n: string) => ['-server', '-bootstrap-expect', '3', '-node', n, '-bind', '127.0.0.1', '-data-dir', join(dir, n), '-log-level', 'warn', '-config-file', config];
  const s1 = await startAgentProcess(args('s1'), '127.0.0.1', false);
  const join1 = `127.0.0.1:${s1.ports.serfLan}`;
  const rest = await Promise.all(['s2', 's3'].map((n) => startAgentProcess([...args(n), '-retry-join', join1], '127.0.0.1', false)));
  const servers = [s1, ...rest];
  await waitFor('a leader and three peers', async () => {
    const r = await request(undefined, s1.ports.http, 'GET', '/v1/status/peers');
    return r.status === 200 && (JSON.parse(r.body) as string[]).length === 3;
  });
  for (const s of servers) await waitFor('server ready', async () => (await request(undefined, s.ports.http, 'PUT', '/v1/kv/bench/ready', 'x')).status === 200);
  return servers;
}

const consulWrite: Write = async (agent, port, i) => (await request(agent, port, 'PUT', `/v1/kv/bench/k${i % 1000}`, `value-${i}`)).status === 200;

const etcdWrite: Write = async (agent, port, i) => (await request(agent, port, 'POST', '/v3/kv/put', JSON.stringify({ key: b64(`bench/k${i % 1000}`), value: b64(`value-${i}`) }))).status === 200;

// ---------------------------------------------------------------- 4: failover

async function leaderOf(servers: AgentProcess[]): Promise<AgentProcess | undefined> {
  for (const s of servers) {
    const r = await request(undefined, s.ports.http, 'GET', '/v1/status/leader').catch(() => undefined);
    if (!r || r.status !== 200) continue;
    const addr = JSON.parse(r.body) as string;
    return servers.find((x) => addr.endsWith(`:${x.ports.server}`));
  }
  return undefined;
}

async function failoverRound(servers: AgentProcess[]): Promise<{ ms: number; victim: AgentProcess }> {
  const leader = await leaderOf(servers);
  if (!leader) throw new Error('no leader');
  const survivors = servers.filter((s) => s !== leader);
  const t0 = performance.now();
  leader.proc.kill('SIGKILL');
  let i = 0;
  for (;;) {
    const s = survivors[i++ % survivors.length] as AgentProcess;
    const ok = (await request(undefined, s.ports.http, 'PUT', `/v1/kv/bench/failover-${i}`, 'x', 2000).catch(() => ({ status: 0 }))).status === 200;
    if (ok) return { ms: performance.now() - t0, victim: leader };
    if (performance.now() - t0 > 30_000) throw new Error('no write accepted within 30 s of the kill');
    await sleep(5);
  }
}

// ---------------------------------------------------------------- main

type Live = Array<{ kill: (s: NodeJS.Signals) => unknown }>;

async function benchStart(): Promise<void> {
  const starts: number[] = [];
  for (let r = 0; r < ROUNDS; r++) starts.push(await startupToFirstWrite());
  console.log(`agent -dev start to first KV write: median ${median(starts).toFixed(0)} ms (runs: ${starts.map((s) => s.toFixed(0)).join(', ')} ms; target < 1000 ms)`);
}

async function benchMemory(dir: string): Promise<void> {
  const mem = await idleMemory(dir);
  console.log(`idle resident memory: dev server ${mem.server.toFixed(1)} MB, client agent ${mem.client.toFixed(1)} MB (target: client < 60 MB; Consul's client 87 MB)`);
}

/**
 * BENCH_FIRST=leader|follower puts that kind of server first (the 1-client cell uses only the first);
 * by default the order is the start order, whatever the roles.
 */
function firstByRole<T>(xs: T[], isLeader: (x: T) => boolean): T[] {
  const want = process.env.BENCH_FIRST;
  if (!want) return xs;
  return [...xs].sort((a, b) => Number(isLeader(b) === (want === 'leader')) - Number(isLeader(a) === (want === 'leader')));
}

async function benchKv(dir: string, live: Live): Promise<void> {
  const servers = await consulCluster(join(dir, 'kv'));
  live.push(...servers.map((s) => s.proc));
  const leader = await leaderOf(servers);
  const ordered = firstByRole(servers, (s) => s === leader);
  console.log(`consul: the 1-client cell writes through ${ordered[0] === leader ? 'the leader' : 'a follower'}`);
  await writeLoad('consul', ordered.map((s) => s.ports.http), consulWrite, ordered.map((s) => s.proc.pid));
  // A graceful stop, so that agents run with AGENT_NODE_ARGS=--cpu-prof write their profiles.
  await Promise.all(servers.map((s) => s.stop('SIGINT')));
}

async function benchEtcd(dir: string, live: Live): Promise<void> {
  const etcd = await startEtcd(join(dir, 'etcd'));
  if (!etcd) return console.log('etcd: not installed (apt-get install etcd-server), comparison skipped');
  live.push(...etcd.procs);
  const members = await Promise.all(etcd.clientPorts.map(async (port, i) => ({ port, pid: etcd.procs[i]?.pid, leader: await etcdIsLeader(port) })));
  const ordered = firstByRole(members, (m) => m.leader);
  console.log(`etcd: the 1-client cell writes through ${ordered[0]?.leader ? 'the leader' : 'a follower'}`);
  await writeLoad('etcd', ordered.map((m) => m.port), etcdWrite, ordered.map((m) => m.pid));
  for (const p of etcd.procs) p.kill('SIGKILL');
}

async function benchFailover(dir: string, live: Live): Promise<void> {
  const config = join(dir, 'failover', 'bench.hcl');
  let cluster = await consulCluster(join(dir, 'failover'), 'performance { raft_multiplier = 1 }\n');
  live.push(...cluster.map((s) => s.proc));
  const times: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    const { ms, victim } = await failoverRound(cluster);
    times.push(ms);
    // Bring the victim back from its data dir before the next round, so each round starts with 3.
    const name = `s${cluster.indexOf(victim) + 1}`;
    const others = cluster.filter((s) => s !== victim).map((s) => `127.0.0.1:${s.ports.serfLan}`);
    const back = await startAgentProcess(['-server', '-bootstrap-expect', '3', '-node', name, '-bind', '127.0.0.1', '-data-dir', join(dir, 'failover', name), '-log-level', 'warn', '-config-file', config, ...others.flatMap((o) => ['-retry-join', o])], '127.0.0.1', false, victim.ports);
    live.push(back.proc);
    cluster = cluster.map((s) => (s === victim ? back : s));
    await waitFor('three peers again', async () => {
      const r = await request(undefined, back.ports.http, 'GET', '/v1/status/peers');
      return r.status === 200 && (JSON.parse(r.body) as string[]).length === 3 && (await leaderOf(cluster)) !== undefined;
    });
  }
  console.log(`failover (raft_multiplier 1, kill -9 of the leader to the first accepted write): median ${median(times).toFixed(0)} ms (rounds: ${times.map((t) => t.toFixed(0)).join(', ')} ms; etcd reference 1500 ms)`);
  for (const s of cluster) await s.stop('SIGKILL');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'bench-agent-'));
  const live: Live = [];
  try {
    if (PARTS.has('start')) await benchStart();
    if (PARTS.has('memory')) await benchMemory(dir);
    if (PARTS.has('kv')) await benchKv(dir, live);
    if (PARTS.has('etcd')) await benchEtcd(dir, live);
    if (PARTS.has('failover')) await benchFailover(dir, live);
  } finally {
    for (const p of live) p.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
