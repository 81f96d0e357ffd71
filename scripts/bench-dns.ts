/**
 * DNS benchmark: dnsperf against our DNS server (scripts/dns-fixture-server.ts, one Node process)
 * and against dnsmasq serving the same A and SRV records from a hosts file and --srv-host lines, in
 * the same run. Prints queries per second at full load (4 clients, like the reference
 * figures), server CPU time per query (user+system, from /proc: steadier than QPS on a shared
 * machine), then average latency when both are offered half of dnsmasq's measured rate.
 * Runs alternate between the two servers, DNS_BENCH_ROUNDS times (default 3); medians are printed.
 *
 * Needs Debian's `dnsperf` and `dnsmasq` (apt-get install -y dnsperf dnsmasq-base); prints a skip
 * line without them. DNS_BENCH_SECONDS sets each run's length (default 3).
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const SECONDS = Number(process.env.DNS_BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.DNS_BENCH_ROUNDS ?? 3);
const CLIENTS = 4;
const OURS = 18653;
const DNSMASQ = 18654;

const which = (cmd: string): string | undefined => {
  const r = spawnSync('sh', ['-c', `command -v ${cmd} || ls /usr/sbin/${cmd} 2>/dev/null`], { encoding: 'utf8' });
  return r.stdout.trim().split('\n')[0] || undefined;
};

interface PerfResult {
  qps: number;
  avgMs: number;
  lost: number;
  /** Server CPU (user + system) per completed query, in microseconds. */
  cpuUs: number;
}

const CLK_TCK = Number(spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).stdout.trim()) || 100;

/** User + system CPU seconds of a process so far. */
function cpuSeconds(pid: number): number {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK;
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

function dnsperf(port: number, pid: number, file: string, maxQps?: number): PerfResult {
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-c', String(CLIENTS), '-l', String(SECONDS), '-t', '2'];
  if (maxQps) args.push('-Q', String(Math.round(maxQps)));
  const cpu0 = cpuSeconds(pid);
  const r = spawnSync('dnsperf', args, { encoding: 'utf8' });
  const cpu = cpuSeconds(pid) - cpu0;
  const num = (re: RegExp): number => Number(re.exec(r.stdout)?.[1] ?? Number.NaN);
  const completed = num(/Queries completed:\s+(\d+)/);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    avgMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    lost: num(/Queries lost:\s+(\d+)/),
    cpuUs: (cpu * 1e6) / completed,
  };
}

/** Alternates runs against the two servers and returns per-server medians. */
function compare(ours: number, dnsmasq: number, file: string, maxQps?: number): { ours: PerfResult; dnsmasq: PerfResult } {
  const runs: { ours: PerfResult[]; dnsmasq: PerfResult[] } = { ours: [], dnsmasq: [] };
  for (let i = 0; i < ROUNDS; i++) {
    runs.ours.push(dnsperf(OURS, ours, file, maxQps));
    runs.dnsmasq.push(dnsperf(DNSMASQ, dnsmasq, file, maxQps));
  }
  const med = (rs: PerfResult[]): PerfResult => ({
    qps: median(rs.map((r) => r.qps)),
    avgMs: median(rs.map((r) => r.avgMs)),
    lost: median(rs.map((r) => r.lost)),
    cpuUs: median(rs.map((r) => r.cpuUs)),
  });
  return { ours: med(runs.ours), dnsmasq: med(runs.dnsmasq) };
}

async function waitReady(child: ChildProcess, marker: RegExp): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error(`server did not start: ${out}`)), 20_000);
    const onData = (d: Buffer) => {
      out += d.toString();
      if (marker.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${out}`)));
  });
}

async function main(): Promise<void> {
  const dnsmasqBin = which('dnsmasq');
  if (!which('dnsperf') || !dnsmasqBin) {
    console.log('bench dns: skipped (needs dnsperf and dnsmasq: apt-get install -y dnsperf dnsmasq-base)');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'bench-dns-'));
  // The fixture's healthy web instances (foo, bar, baz) and node foo, as dnsmasq records.
  writeFileSync(
    join(dir, 'hosts'),
    ['10.0.0.1 foo.node.consul foo.node.dc1.consul web.service.consul', '10.0.0.2 bar.node.dc1.consul web.service.consul', '10.0.0.3 baz.node.dc1.consul web.service.consul', ''].join('\n'),
  );
  const queries = {
    'service A': 'web.service.consul A',
    'service SRV': 'web.service.consul SRV',
    'node A': 'foo.node.consul A',
  };
  const files = Object.fromEntries(
    Object.entries(queries).map(([k, q], i) => {
      const f = join(dir, `q${i}.txt`);
      writeFileSync(f, `${q}\n`);
      return [k, f];
    }),
  ) as Record<keyof typeof queries, string>;

  const ours = spawn(process.execPath, ['--import', 'tsx', 'scripts/dns-fixture-server.ts', String(OURS)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const user = process.getuid?.() === 0 ? ['--user=root'] : [];
  const dnsmasq = spawn(
    dnsmasqBin,
    [
      '--keep-in-foreground',
      `--port=${DNSMASQ}`,
      '--listen-address=127.0.0.1',
      '--bind-interfaces',
      '--no-resolv',
      '--no-hosts',
      `--addn-hosts=${join(dir, 'hosts')}`,
      '--srv-host=web.service.consul,foo.node.dc1.consul,80,1,10',
      '--srv-host=web.service.consul,bar.node.dc1.consul,80,1,10',
      '--srv-host=web.service.consul,baz.node.dc1.consul,80,1,1',
      '--log-facility=-',
      '--pid-file=',
      ...user,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  try {
    await Promise.all([waitReady(ours, /ready \d+/), waitReady(dnsmasq, /started|compile time options/)]);
    await new Promise((r) => setTimeout(r, 300));
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    console.log(`dnsperf: ${CLIENTS} clients, ${SECONDS} s per run, ${ROUNDS} alternating rounds, medians; 127.0.0.1; load average ${load}`);
    console.log(`ours: Node ${process.version}, one process; dnsmasq: one process`);
    console.log('query         | ours qps | dnsmasq qps | ratio | ours CPU us/q | dnsmasq CPU us/q | ours avg ms | dnsmasq avg ms');
    const full: Record<string, { ours: PerfResult; dnsmasq: PerfResult }> = {};
    const pids = { ours: ours.pid!, dnsmasq: dnsmasq.pid! };
    for (const [name, file] of Object.entries(files)) {
      const { ours: o, dnsmasq: d } = compare(pids.ours, pids.dnsmasq, file);
      full[name] = { ours: o, dnsmasq: d };
      console.log(
        `${name.padEnd(13)} | ${o.qps.toFixed(0).padStart(8)} | ${d.qps.toFixed(0).padStart(11)} | ${(o.qps / d.qps).toFixed(2).padStart(5)} | ${o.cpuUs.toFixed(1).padStart(13)} | ${d.cpuUs.toFixed(1).padStart(16)} | ${o.avgMs.toFixed(3).padStart(11)} | ${d.avgMs.toFixed(3).padStart(14)}`,
      );
    }
    console.log("\nlatency at half of dnsmasq's rate (both offered the same load):");
    console.log('query         | offered qps | ours avg ms | dnsmasq avg ms | ratio | ours lost');
    for (const [name, file] of Object.entries(files)) {
      const half = full[name]!.dnsmasq.qps / 2;
      const { ours: o, dnsmasq: d } = compare(pids.ours, pids.dnsmasq, file, half);
      console.log(
        `${name.padEnd(13)} | ${half.toFixed(0).padStart(11)} | ${o.avgMs.toFixed(3).padStart(11)} | ${d.avgMs.toFixed(3).padStart(14)} | ${(o.avgMs / d.avgMs).toFixed(2).padStart(5)} | ${o.lost}`,
      );
    }
  } finally {
    ours.kill('SIGTERM');
    dnsmasq.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
