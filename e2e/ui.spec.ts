import { gzipSync } from 'node:zlib';
import { expect, type Page, test } from '@playwright/test';
import { ensureBuild, freePort, startUi, type UiServer } from './support/ui-server.ts';

/**
 * The /ui dashboard's production build in Chromium, under `next start` with CONSUL_HTTP_ADDR.
 *
 * These tests need no agent data: they point the UI at an address where no agent listens and
 * check what an operator sees then — the navigation, a clear "agent unreachable" message on every
 * page, deep links that survive a reload, retries that back off instead of storming — and the
 * JavaScript each page ships. The data tests (real catalog, KV round trip, live health changes)
 * need the agent's HTTP API, which is not on main yet.
 */

let ui: UiServer;
let deadAgent = '';

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ensureBuild();
  deadAgent = `127.0.0.1:${await freePort()}`;
  ui = await startUi(deadAgent);
});

test.afterAll(async () => {
  await ui?.stop();
});

const PAGES = [
  { path: '/ui/dc1/services', heading: 'Services', nav: 'Services' },
  { path: '/ui/dc1/services/web/instances', heading: null, nav: 'Services' },
  { path: '/ui/dc1/nodes', heading: 'Nodes', nav: 'Nodes' },
  { path: '/ui/dc1/nodes/node-1/health-checks', heading: null, nav: 'Nodes' },
  { path: '/ui/dc1/kv', heading: null, nav: 'Key/Value' },
  { path: '/ui/dc1/kv/app/config/edit', heading: 'config', nav: 'Key/Value' },
];

function screenshotName(path: string): string {
  return `test-results/ui/unreachable${path.replace(/[^a-z0-9]+/gi, '-')}.png`;
}

test('every page shows the navigation and a clear error when the agent is unreachable', async ({ page }) => {
  await page.setViewportSize({ width: 1280, height: 800 });
  for (const p of PAGES) {
    await page.goto(ui.url + p.path);
    await expect(page.getByRole('alert').getByText('Consul agent unreachable')).toBeVisible();
    await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: p.nav })).toHaveAttribute('aria-current', 'page');
    if (p.heading) await expect(page.getByRole('heading', { level: 1 })).toHaveText(p.heading);
    await page.screenshot({ path: screenshotName(p.path), fullPage: true });
  }
  // The create form needs nothing from the agent until it saves.
  await page.goto(`${ui.url}/ui/dc1/kv/app/create`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('New Key / Value');
  await expect(page.getByLabel('Key or folder')).toBeVisible();
  await page.screenshot({ path: 'test-results/ui/kv-create-form.png', fullPage: true });
  // /ui itself cannot pick a datacenter without the agent and says so.
  await page.goto(`${ui.url}/ui`);
  await expect(page.getByText('Consul agent unreachable')).toBeVisible();
  await page.screenshot({ path: 'test-results/ui/unreachable-ui-root.png', fullPage: true });
});

test('deep links survive a reload, filters included', async ({ page }) => {
  const url = `${ui.url}/ui/dc1/services?filter=web&status=critical&sort=Status%3Aasc`;
  await page.goto(url);
  await page.reload();
  await expect(page.getByText('Consul agent unreachable')).toBeVisible();
  expect(page.url()).toBe(url);
  // Consul's folder URLs end in a slash, and keep it.
  await page.goto(`${ui.url}/ui/dc1/kv/app/`);
  await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: 'Key / Values' })).toBeVisible();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('app');
  expect(new URL(page.url()).pathname).toBe('/ui/dc1/kv/app/');
});

/** Counts `/v1` requests per path while the page sits for `ms`. */
async function countApiCalls(page: Page, ms: number): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  const onRequest = (r: { url: () => string }) => {
    const u = new URL(r.url());
    if (u.pathname.startsWith('/v1/')) counts.set(u.pathname, (counts.get(u.pathname) ?? 0) + 1);
  };
  page.on('request', onRequest);
  await page.waitForTimeout(ms);
  page.off('request', onRequest);
  return counts;
}

test('a failing agent is retried with back-off, not in a tight loop', async ({ page }) => {
  await page.goto(`${ui.url}/ui/dc1/services`);
  await expect(page.getByText('Consul agent unreachable')).toBeVisible();
  // Back-off is 1 s, 2 s, 4 s … (±20%): in 8 s a view may try at most 4 times.
  const counts = await countApiCalls(page, 8000);
  console.log('requests in 8 s while the agent is down:', Object.fromEntries(counts));
  expect(counts.get('/v1/internal/ui/services') ?? 0).toBeGreaterThanOrEqual(1);
  for (const [path, n] of counts) expect(n, path).toBeLessThanOrEqual(4);
});

test('the settings page stores the token the data layer sends as X-Consul-Token', async ({ page }) => {
  await page.goto(`${ui.url}/ui/setting?dc=dc1`);
  await page.getByLabel(/Secret ID sent as/).fill('secret-token-1');
  await page.getByRole('button', { name: 'Save token' }).click();
  await expect(page.getByRole('status')).toHaveText(/Token saved/);
  await page.screenshot({ path: 'test-results/ui/settings.png', fullPage: true });
  const sent = page.waitForRequest((r) => r.url().includes('/v1/internal/ui/nodes'));
  await page.goto(`${ui.url}/ui/dc1/nodes`);
  expect((await sent).headers()['x-consul-token']).toBe('secret-token-1');
});

test('JavaScript shipped per page stays under 250 KB gzipped', async ({ page }) => {
  const figures: Record<string, string> = {};
  for (const path of ['/ui', '/ui/dc1/services', '/ui/dc1/services/web/instances', '/ui/dc1/nodes', '/ui/dc1/nodes/node-1', '/ui/dc1/kv', '/ui/dc1/kv/a/edit', '/ui/setting']) {
    const scripts = new Map<string, Promise<Buffer>>();
    const onResponse = (r: { url: () => string; request: () => { resourceType: () => string }; body: () => Promise<Buffer> }) => {
      if (r.request().resourceType() === 'script') scripts.set(r.url(), r.body());
    };
    const context = await page.context().browser()!.newContext();
    const fresh = await context.newPage();
    fresh.on('response', onResponse);
    await fresh.goto(ui.url + path, { waitUntil: 'networkidle' });
    let raw = 0;
    let gzip = 0;
    for (const body of scripts.values()) {
      const b = await body;
      raw += b.length;
      gzip += gzipSync(b, { level: 9 }).length;
    }
    await context.close();
    figures[path] = `${(gzip / 1024).toFixed(1)} KB gzipped (${(raw / 1024).toFixed(1)} KB raw, ${scripts.size} files)`;
    expect(gzip, path).toBeLessThan(250 * 1024);
  }
  console.log('JavaScript per page:', figures);
});

test('narrow screens fold the navigation behind a keyboard-operable Menu button', async ({ page }) => {
  await page.setViewportSize({ width: 700, height: 900 });
  await page.goto(`${ui.url}/ui/dc1/nodes`);
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav).toBeHidden();
  const menu = page.getByRole('button', { name: 'Menu' });
  await menu.focus();
  await page.keyboard.press('Enter');
  await expect(menu).toHaveAttribute('aria-expanded', 'true');
  await expect(nav.getByRole('link', { name: 'Key/Value' })).toBeVisible();
  await page.screenshot({ path: 'test-results/ui/narrow-menu-open.png', fullPage: true });
  await nav.getByRole('link', { name: 'Key/Value' }).click();
  await expect(page).toHaveURL(`${ui.url}/ui/dc1/kv`);
  await expect(nav).toBeHidden();
});
