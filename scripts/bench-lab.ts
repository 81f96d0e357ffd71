/**
 * The cluster lab's benchmarks (prints figures; asserts nothing):
 *  1. headless (Node, views closed): simulated seconds per wall second for a 100-node lab cluster
 *     (5 servers + 95 clients, real agents) driven exactly as the page drives it (10 ms quanta,
 *     promises settled between them), and with `--big` for 1,000 nodes (5 DCs × 10 servers + 190
 *     clients);
 *  2. memory per simulated node (heap after GC, cluster built and run 10 s, divided by nodes);
 *  3. with `--browser` (needs a `next build`): the /lab page in Chromium with the views open at 1x,
 *     frames per second and achieved speed, for 5 servers + 95 clients, for 50 servers in 5 DCs,
 *     and with `--big` for 1,000 nodes (50 servers + 950 clients in 5 DCs).
 *
 * Usage: npm run bench lab, or npx tsx --expose-gc scripts/bench-lab.ts [--big] [--browser] [--seconds 10] [--shots DIR]
 */
import os from 'node:os';
import { LabRunner } from '../lab/sim-runner/lab-runner.ts';
import type { ClusterSpec } from '../lab/sim-runner/cluster-spec.ts';

const args = process.argv.slice(2);
const value = (name: string, def: number) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : def;
};
const WALL_S = value('--seconds', 8);
const gc = (globalThis as { gc?: () => void }).gc;

const HUNDRED: ClusterSpec = { seed: 1, datacenters: [{ name: 'dc1', servers: 5, clients: 95 }] };
const THOUSAND: ClusterSpec = {
  seed: 1,
  datacenters: Array.from({ length: 5 }, (_, i) => ({ name: `dc${i + 1}`, servers: 10, clients: 190 })),
};

function loadavg(): string {
  return os.loadavg()[0]?.toFixed(2) ?? '?';
}

function heapMb(): number {
  gc?.();
  gc?.();
  return process.memoryUsage().heapUsed / 1e6;
}

async function headless(name: string, spec: ClusterSpec, wallSeconds: number, formationMs: number): Promise<void> {
  const nodes = spec.datacenters.reduce((a, d) => a + d.servers + d.clients, 0);
  const before = heapMb();
  const t0 = performance.now();
  const lab = new LabRunner(spec, { tapMessages: false, timeline: false });
  const built = performance.now() - t0;
  const dcs = spec.datacenters.map((d) => d.name);
  const formed = await lab.runUntil(() => dcs.every((dc) => lab.leader(dc) !== undefined), 60_000);
  const electedAt = lab.now;
  // Formation: every node joins and push-pulls the growing member list (the join storm).
  await lab.advance(Math.max(0, formationMs - lab.now));
  const formation = (performance.now() - t0 - built) / 1000;
  const warm = lab.now;
  const events0 = lab.sim.trace.size;
  const wall0 = performance.now();
  const cpu0 = process.cpuUsage();
  while (performance.now() - wall0 < wallSeconds * 1000) await lab.advance(100);
  const wall = (performance.now() - wall0) / 1000;
  const cpuUsed = process.cpuUsage(cpu0);
  const cpu = (cpuUsed.user + cpuUsed.system) / 1e6;
  const simulated = (lab.now - warm) / 1000;
  const after = heapMb();
  const events = lab.sim.trace.size - events0;
  console.log(`  ${name}: ${nodes} nodes (${spec.datacenters.length} DC, ${spec.datacenters.reduce((a, d) => a + d.servers, 0)} servers), built in ${built.toFixed(0)} ms; leaders ${formed ? `elected at ${(electedAt / 1000).toFixed(1)} s virtual` : 'NOT elected'}`);
  console.log(`    formation (first ${(warm / 1000).toFixed(0)} s virtual): ${formation.toFixed(1)} wall s = ${(warm / 1000 / formation).toFixed(2)} simulated s per wall s`);
  console.log(`    steady state: ${simulated.toFixed(1)} simulated s in ${wall.toFixed(1)} wall s = ${(simulated / wall).toFixed(2)} simulated s per wall s; ${(simulated / cpu).toFixed(2)} simulated s per CPU s (${(events / simulated).toFixed(0)} trace events per simulated s; load average ${loadavg()})`);
  console.log(`    memory: ${(after - before).toFixed(1)} MB heap for the cluster = ${(((after - before) * 1000) / nodes).toFixed(0)} KB per node${gc ? '' : ' (no --expose-gc: noisy)'}`);
  lab.dispose();
}

async function browser(wallSeconds: number): Promise<void> {
  const { existsSync } = await import('node:fs');
  if (!existsSync('.next/BUILD_ID')) {
    console.log('  skipped: no production build (run `npm run build` first)');
    return;
  }
  const { chromium } = await import('@playwright/test');
  const { chromiumLaunch } = await import('../playwright.config.ts');
  const { freePort, startUi } = await import('../e2e/support/ui-server.ts');
  const ui = await startUi(`127.0.0.1:${await freePort()}`);
  const b = await chromium.launch(chromiumLaunch);
  try {
    // [name, query, virtual ms to run at full speed first]: the join storm of a big cluster (every
    // node gossips every other node's arrival) is measured apart from the steady state.
    const configs: Array<[string, string, number, string]> = [
      ['100 nodes (5 servers + 95 clients)', 'layout=dc1:5:95', 25_000, 'lab-100'],
      ['50 servers in 5 DCs', 'layout=dc1:10:0,dc2:10:0,dc3:10:0,dc4:10:0,dc5:10:0', 10_000, 'lab-50-servers'],
    ];
    if (args.includes('--big')) configs.push(['1,000 nodes, 50 servers in 5 DCs', 'layout=dc1:10:190,dc2:10:190,dc3:10:190,dc4:10:190,dc5:10:190', 35_000, 'lab-1000']);
    for (const [name, query, warmMs, slug] of configs) {
      const page = await b.newPage({ viewport: { width: 1600, height: 1000 } });
      page.setDefaultTimeout(900_000);
      const started = Date.now();
      await page.goto(`${ui.url}/lab?seed=1&speed=100&${query}`);
      await page.getByTestId('trace-hash').waitFor();
      const read = () => page.getByTestId('virtual-time').getAttribute('data-ms').then(Number);
      await page.waitForFunction(() => document.querySelector('[data-testid=lab]')?.getAttribute('data-leader'), null, { timeout: 900_000, polling: 500 });
      const leaderWall = (Date.now() - started) / 1000;
      const leaderVirtual = (await read()) / 1000;
      await page.waitForFunction((ms) => Number(document.querySelector('[data-testid=virtual-time]')?.getAttribute('data-ms')) >= ms, warmMs, { timeout: 900_000, polling: 500 });
      const warmWall = (Date.now() - started) / 1000;
      console.log(`  ${name}: first leader after ${leaderWall.toFixed(1)} s wall (${leaderVirtual.toFixed(1)} s virtual); formation (${(warmMs / 1000).toFixed(0)} s virtual at full speed) took ${warmWall.toFixed(1)} s wall = ${(warmMs / 1000 / warmWall).toFixed(2)}×`);
      await page.evaluate('window.__consulLab.driver.setSpeed(1)');
      await page.waitForTimeout(1000);
      // A string, so that tsx's helpers (__name) do not leak into the page.
      const frames = () =>
        page.evaluate(`new Promise((resolve) => {
          let n = 0;
          const start = performance.now();
          const tick = () => {
            if (performance.now() - start >= 3000) return resolve((n * 1000) / (performance.now() - start));
            n++;
            requestAnimationFrame(tick);
          };
          requestAnimationFrame(tick);
        })`) as Promise<number>;
      // Main-thread CPU time of the page (Chromium's ThreadTime): on a shared machine the wall-clock
      // speed depends on the other processes; virtual seconds per main-thread CPU second do not.
      const cdp = await page.context().newCDPSession(page);
      await cdp.send('Performance.enable');
      const threadTime = async () => (await cdp.send('Performance.getMetrics')).metrics.find((m) => m.name === 'ThreadTime')?.value ?? Number.NaN;
      // The runner's own clock (the status bar's readout only refreshes every 250 ms).
      const exact = () => page.evaluate('window.__consulLab.runner.now') as Promise<number>;
      const v0 = await exact();
      const w0 = Date.now();
      const t0 = await threadTime();
      const fps = await frames();
      await page.waitForTimeout(Math.max(0, wallSeconds * 1000 - 3000));
      const v1 = await exact();
      const wallMs = Date.now() - w0;
      const speed = (v1 - v0) / wallMs;
      const cpuS = (await threadTime()) - t0;
      console.log(`    views open at 1x: ${fps.toFixed(1)} frames per second, achieved ${speed.toFixed(2)}× real time (virtual ${(v1 / 1000).toFixed(1)} s; load average ${loadavg()})`);
      console.log(`    page main thread: ${((cpuS * 1000 * 100) / wallMs).toFixed(0)}% busy = ${((v1 - v0) / 1000 / cpuS).toFixed(2)} simulated s per main-thread CPU s (simulation and drawing)`);
      const shots = args.indexOf('--shots');
      if (shots >= 0) {
        const path = `${args[shots + 1]}/${slug}.png`;
        await page.screenshot({ path });
        console.log(`    screenshot: ${path}`);
      }
      await page.close();
    }
  } finally {
    await b.close();
    await ui.stop();
  }
}

console.log(`## Headless (Node ${process.version}, views closed, 10 ms quanta with promises settled between them)`);
if (!args.includes('--browser-only')) await headless('100 nodes', HUNDRED, WALL_S, 20_000);
if (args.includes('--big') && !args.includes('--browser-only')) await headless('1,000 nodes', THOUSAND, WALL_S, 35_000);
else if (!args.includes('--browser-only')) console.log('  (1,000 nodes headless: add --big; its join storm alone takes minutes on a loaded 2-core machine)');
if (args.includes('--browser') || args.includes('--browser-only')) {
  console.log('## Chromium, views open');
  await browser(WALL_S);
}
