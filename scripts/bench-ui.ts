/**
 * `npm run bench -- ui` or `npx tsx scripts/bench-ui.ts [services] [nodes]`: the dashboard's
 * figures from the issue — the services list with 5,000 services and the nodes list with 1,000
 * nodes: time to first render, time until the page answers input, how long a search takes to
 * filter, and JavaScript shipped. The agent is `consul agent -dev` (the real binary, started on free
 * ports), or the one at UI_TEST_AGENT=host:port. Seeds it through `/v1/catalog/register`
 * (nodes named `bench-ui-*`, removed afterwards), serves the production build with `next start`,
 * measures in Debian's Chromium. Prints figures; asserts nothing about speed.
 */
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { ConsulApi } from '../e2e/support/consul-api.ts';
import { startDevAgent } from '../e2e/support/dev-agent.ts';
import { ensureBuild, startUi } from '../e2e/support/ui-server.ts';
import { chromiumLaunch } from '../playwright.config.ts';

const dev = process.env.UI_TEST_AGENT ? undefined : await startDevAgent('bench-ui-agent');
const agent = process.env.UI_TEST_AGENT ?? dev!.httpAddr;
const SERVICES = Number(process.argv[2] ?? 5000);
const NODES = Number(process.argv[3] ?? 1000);
const api = new ConsulApi(agent);

async function inBatches<T>(items: T[], size: number, fn: (item: T) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < items.length; i += size) await Promise.all(items.slice(i, i + size).map(fn));
}

function seedPlan(): { node: string; address: string; service: string; id: string; port: number }[] {
  const plan = [];
  for (let s = 0; s < SERVICES; s++) {
    const n = s % NODES;
    const name = `svc-${String(s).padStart(4, '0')}`;
    plan.push({ node: `bench-ui-${n}`, address: `10.${(n >> 8) & 255}.${n & 255}.1`, service: name, id: `${name}-1`, port: 8000 + (s % 1000) });
  }
  return plan;
}

/** How long the agent takes to answer the list's API call (outside the browser). */
async function apiTime(path: string): Promise<string> {
  const t = performance.now();
  const res = await fetch(`${api.base}/v1/${path}`);
  const body = await res.arrayBuffer();
  return `${(performance.now() - t).toFixed(0)} ms (${(body.byteLength / 1024).toFixed(0)} KB)`;
}

async function measure(url: string, rowSelector: string, search: string): Promise<Record<string, string>> {
  const browser = await chromium.launch(chromiumLaunch);
  // Warm the server (first requests to `next start` load its modules), then measure a fresh tab.
  const warm = await browser.newPage();
  await warm.goto(url);
  await warm.waitForSelector(rowSelector);
  await warm.close();
  const page = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
  const scripts: Promise<Buffer>[] = [];
  page.on('response', (r) => {
    if (r.request().resourceType() === 'script') scripts.push(r.body());
  });
  await page.goto(url);
  await page.waitForSelector(rowSelector);
  const firstRender = await page.evaluate(() => performance.now());
  const timing = await page.evaluate(() => {
    const nav = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming | undefined;
    const v1 = (performance.getEntriesByType('resource') as PerformanceResourceTiming[]).filter((e) => e.name.includes('/v1/internal/ui/'));
    return { domContentLoaded: nav?.domContentLoadedEventEnd ?? 0, apiStart: v1[0]?.startTime ?? 0, apiEnd: v1[0]?.responseEnd ?? 0 };
  });
  // The first moment the main thread is free again after rendering: input would be handled now.
  const interactive = await page.evaluate(
    () => new Promise<number>((resolve) => requestAnimationFrame(() => setTimeout(() => resolve(performance.now()), 0))),
  );
  const count = page.locator('p[aria-live="polite"]');
  const before = await page.evaluate(() => performance.now());
  await page.getByRole('searchbox').fill(search);
  await page.waitForFunction((el) => (el?.textContent ?? '').includes(' of '), await count.elementHandle());
  const filtered = (await page.evaluate(() => performance.now())) - before;
  let gz = 0;
  for (const b of await Promise.all(scripts)) gz += gzipSync(b, { level: 9 }).length;
  await browser.close();
  return {
    'DOM content loaded': `${timing.domContentLoaded.toFixed(0)} ms`,
    'list API request': `${timing.apiStart.toFixed(0)} → ${timing.apiEnd.toFixed(0)} ms`,
    'first render': `${firstRender.toFixed(0)} ms`,
    interactive: `${interactive.toFixed(0)} ms`,
    'search filters (incl. 200 ms debounce)': `${filtered.toFixed(0)} ms`,
    'JS shipped': `${(gz / 1024).toFixed(1)} KB gzipped`,
  };
}

const plan = seedPlan();
console.log(`seeding ${SERVICES} services on ${NODES} nodes at ${agent} …`);
const t0 = performance.now();
await inBatches(plan, 32, (p) => api.registerService(p));
console.log(`seeded in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
ensureBuild();
const ui = await startUi(agent);
try {
  const dc = ((await api.call('GET', 'catalog/datacenters')).data as string[])[0] ?? 'dc1';
  console.log('agent answers /v1/internal/ui/services in', await apiTime('internal/ui/services'));
  console.log('agent answers /v1/internal/ui/nodes in', await apiTime('internal/ui/nodes'));
  // As deployed: the agent serves /ui and /v1 on one port (no proxy hop).
  console.log(`served by the agent — services list (${SERVICES} services):`, await measure(`http://${agent}/ui/${dc}/services`, '[data-service]', 'svc-004'));
  console.log(`served by the agent — nodes list (${NODES} nodes):`, await measure(`http://${agent}/ui/${dc}/nodes`, '[data-node]', 'bench-ui-99'));
  // Under `next start`, /v1 goes through app/v1's proxy to the agent.
  console.log(`next start + /v1 proxy — services list (${SERVICES} services):`, await measure(`${ui.url}/ui/${dc}/services`, '[data-service]', 'svc-004'));
  console.log(`next start + /v1 proxy — nodes list (${NODES} nodes):`, await measure(`${ui.url}/ui/${dc}/nodes`, '[data-node]', 'bench-ui-99'));
} finally {
  await ui.stop();
  if (dev) await dev.stop();
  else await inBatches([...new Set(plan.map((p) => p.node))], 32, (n) => api.deregisterNode(n));
}
process.exit(0);
