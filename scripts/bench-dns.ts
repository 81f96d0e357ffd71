/**
 * DNS benchmark: dnsperf against our DNS server (scripts/dns-fixture-server.ts: one Node process,
 * and the same with DNS worker processes sharing its UDP socket, `dns_config.udp_workers`) and against dnsmasq serving the same A and SRV records from a hosts file and --srv-host lines, in
 * the same run. Prints queries per second at full load (4 clients, like the reference
 * figures), server CPU time per query (user+system, from /proc: steadier than QPS on a shared
 * machine), then average latency when both are offered half of dnsmasq's measured rate.
 * Runs go to the servers in turn, DNS_BENCH_ROUNDS times (default 3); medians are printed.
 *
 * Needs Debian's `dnsperf` and `dnsmasq` (apt-get install -y dnsperf dnsmasq-base); prints a skip
 * line without them. DNS_BENCH_SECONDS sets each run's length (default 3); DNS_BENCH_WORKERS the
 * worker counts to run ours with (default `0,1`); DNS_BENCH_PIN=1 pins the servers to CPU 1 and
 * dnsperf to CPU 0 (the "on one core" setting; pointless with workers).
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
const WORKERS = (process.env.DNS_BENCH_WORKERS ?? '0,1').split(',').map(Number);
const PIN = process.env.DNS_BENCH_PIN ? { server: '1', client: '0' } : undefined;

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

function dnsperf(port: number, pids: number[], file: string, maxQps?: number): PerfResult {
  const args = ['-s', '127.0.0.1', '-p', String(port), '-d', file, '-c', String(CLIENTS), '-l', String(SECONDS), '-t', '2'];
  if (maxQps) args.push('-Q', String(Math.round(maxQps)));
  const cpu0 = pids.reduce((a, p) => a + cpuSeconds(p), 0);
  const r = PIN ? spawnSync('taskset', ['-c', PIN.client, 'dnsperf', ...args], { encoding: 'utf8' }) : spawnSync('dnsperf', args, { encoding: 'utf8' });
  const cpu = pids.reduce((a, p) => a + cpuSeconds(p), 0) - cpu0;
  const num = (re: RegExp): number => Number(re.exec(r.stdout)?.[1] ?? Number.NaN);
  const completed = num(/Queries completed:\s+(\d+)/);
  return {
    qps: num(/Queries per second:\s+([\d.]+)/),
    avgMs: num(/Average Latency \(s\):\s+([\d.]+)/) * 1000,
    lost: num(/Queries lost:\s+(\d+)/),
    cpuUs: (cpu * 1e6) / completed,
  };
}

/** One server under test: a port and the processes whose CPU counts. */
interface Target {
  name: string;
  port: number;
  pids: () => number[];
}

/** Runs against every target in turn, ROUNDS times, and returns per-target medians. */
function compare(targets: Target[], file: string, maxQps?: number): Map<string, PerfResult> {
  const runs = new Map<string, PerfResult[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < ROUNDS; i++) for (const t of targets) runs.get(t.name)!.push(dnsperf(t.port, t.pids(), file, maxQps));
  const med = (rs: PerfResult[]): PerfResult => ({
    qps: median(rs.map((r) => r.qps)),
    avgMs: median(rs.map((r) => r.avgMs)),
    lost: median(rs.map((r) => r.lost)),
    cpuUs: median(rs.map((r) => r.cpuUs)),
  });
  return new Map([...runs].map(([name, rs]) => [name, med(rs)]));
}

/** A process and its children (DNS workers). */
function withChildren(pid: number): number[] {
  const kids = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' }).stdout.trim().split('\n').filter(Boolean).map(Number);
  return [pid, ...kids];
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

  const oursList = WORKERS.map((w, i) => ({
    workers: w,
    port: OURS + 10 * i,
    proc: spawn(process.execPath, ['--import', 'tsx', 'scripts/dns-fixture-server.ts', String(OURS + 10 * i), String(w)], { stdio: ['ignore', 'pipe', 'pipe'] }),
  }));
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
    await Promise.all([...oursList.map((o) => waitReady(o.proc, /ready \d+/)), waitReady(dnsmasq, /started|compile time options/)]);
    if (PIN) for (const pid of [...oursList.flatMap((o) => withChildren(o.proc.pid!)), dnsmasq.pid]) spawnSync('taskset', ['-a', '-p', '-c', PIN.server, String(pid)]);
    await new Promise((r) => setTimeout(r, 300));
    const load = readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
    const label = (w: number) => (w === 0 ? 'ours' : `ours+${w}w`);
    const targets: Target[] = [
      ...oursList.map((o) => ({ name: label(o.workers), port: o.port, pids: () => withChildren(o.proc.pid!) })),
      { name: 'dnsmasq', port: DNSMASQ, pids: () => [dnsmasq.pid!] },
    ];
    console.log(`dnsperf: ${CLIENTS} clients, ${SECONDS} s per run, ${ROUNDS} rounds (servers in turn), medians; 127.0.0.1; load average ${load}${PIN ? '; servers pinned to CPU 1, dnsperf to CPU 0' : ''}`);
    console.log(`ours: Node ${process.version}, one process; ours+Nw: the same with N DNS worker processes sharing its UDP socket (dns_config.udp_workers); dnsmasq: one process`);
    console.log('query         | server   |    qps | vs dnsmasq | CPU us/q | avg ms');
    const full = new Map<string, Map<string, PerfResult>>();
    for (const [name, file] of Object.entries(files)) {
      const r = compare(targets, file);
      full.set(name, r);
      const d = r.get('dnsmasq')!;
      for (const t of targets) {
        const x = r.get(t.name)!;
        console.log(`${name.padEnd(13)} | ${t.name.padEnd(8)} | ${x.qps.toFixed(0).padStart(6)} | ${(x.qps / d.qps).toFixed(2).padStart(10)} | ${x.cpuUs.toFixed(1).padStart(8)} | ${x.avgMs.toFixed(3)}`);
      }
    }
    console.log("\nlatency at half of dnsmasq's rate (every server offered the same load):");
    console.log('query         | offered qps | server   | avg ms | vs dnsmasq | lost');
    for (const [name, file] of Object.entries(files)) {
      const half = full.get(name)!.get('dnsmasq')!.qps / 2;
      const r = compare(targets, file, half);
      const d = r.get('dnsmasq')!;
      for (const t of targets) {
        const x = r.get(t.name)!;
        console.log(`${name.padEnd(13)} | ${half.toFixed(0).padStart(11)} | ${t.name.padEnd(8)} | ${x.avgMs.toFixed(3)} | ${(x.avgMs / d.avgMs).toFixed(2).padStart(10)} | ${x.lost}`);
      }
    }
  } finally {
    for (const o of oursList) o.proc.kill('SIGTERM');
    dnsmasq.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
