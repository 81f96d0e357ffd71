import { expect, type Page, test } from '@playwright/test';
import { ConsulApi } from './support/consul-api.ts';
import { type DevAgent, startDevAgent } from './support/dev-agent.ts';
import { ensureBuild, startUi, type UiServer } from './support/ui-server.ts';

/**
 * The dashboard against a real agent: every page renders the agent's data, a KV edit round-trips,
 * a second editor gets a CAS conflict, a check turning critical shows without a reload, and the
 * agent going away shows a clear error that clears when it is back.
 *
 * The agent is the real binary, `consul agent -dev` on free ports (e2e/support/dev-agent.ts), or
 * the one at UI_TEST_AGENT (`host:port`) when set. The tests create their own node, service and
 * keys (`ui-test*`).
 */

const EXTERNAL = process.env.UI_TEST_AGENT ?? '';
let dev: DevAgent | undefined;
let agentAddr = EXTERNAL;
let api: ConsulApi;
let ui: UiServer;
const NODE = 'ui-test-node';
const WEB = { node: NODE, address: '127.0.0.10', service: 'ui-test-web', id: 'ui-test-web-1', port: 8080, tags: ['v1', 'ui'], meta: { version: '1.0' } };

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ensureBuild();
  if (EXTERNAL === '') {
    dev = await startDevAgent();
    agentAddr = dev.httpAddr;
  }
  api = new ConsulApi(agentAddr);
  expect(await api.hasLeader(), `agent at ${agentAddr} has a leader`).toBe(true);
  await api.registerService({ ...WEB, status: 'passing', output: 'HTTP GET /health: 200 OK' });
  await api.putKv('ui-test/app/config', '{"debug": false}');
  ui = await startUi(agentAddr);
});

test.afterAll(async () => {
  await ui?.stop();
  if (dev) await dev.stop();
  else {
    await api.deregisterNode(NODE).catch(() => {});
    await api.deleteTree('ui-test/').catch(() => {});
  }
});

/** Opens `/ui/`, waits for it to pick the datacenter, and returns that datacenter. */
async function openDashboard(page: Page): Promise<string> {
  await page.goto(`${ui.url}/ui/`);
  await expect(page).toHaveURL(/\/ui\/[^/]+\/services$/);
  return new URL(page.url()).pathname.split('/')[2]!;
}

test('the services list, a service and its instance show the agent’s data', async ({ page }) => {
  const dc = await openDashboard(page);
  const row = page.locator(`[data-service="${WEB.service}"]`);
  await expect(row).toHaveAttribute('data-status', 'passing');
  await expect(row).toContainText('1 instance');
  await expect(row).toContainText('v1');
  await page.screenshot({ path: 'test-results/ui/agent-services.png', fullPage: true });
  await row.getByRole('link').click();
  await expect(page).toHaveURL(`${ui.url}/ui/${dc}/services/${WEB.service}/instances`);
  const instance = page.locator(`[data-instance="${WEB.id}"]`);
  await expect(instance).toContainText(`${WEB.address}:${WEB.port}`);
  await expect(instance).toContainText('HTTP GET /health: 200 OK');
  await expect(instance).toContainText('version=1.0');
  await page.screenshot({ path: 'test-results/ui/agent-service-instances.png', fullPage: true });
  await instance.getByRole('link', { name: WEB.id }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(WEB.id);
  await page.screenshot({ path: 'test-results/ui/agent-instance.png', fullPage: true });
});

test('a check turning critical shows on screen without a reload', async ({ page }) => {
  await page.goto(`${ui.url}/ui/`);
  const row = page.locator(`[data-service="${WEB.service}"]`);
  await expect(row).toHaveAttribute('data-status', 'passing');
  await api.registerService({ ...WEB, status: 'critical', output: 'HTTP GET /health: 503 Service Unavailable' });
  await expect(row).toHaveAttribute('data-status', 'critical', { timeout: 5000 });
  await api.registerService({ ...WEB, status: 'passing', output: 'HTTP GET /health: 200 OK' });
  await expect(row).toHaveAttribute('data-status', 'passing', { timeout: 5000 });
});

test('nodes list and node detail tabs', async ({ page }) => {
  await page.goto(`${ui.url}/ui/`);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' }).click();
  await expect(page.locator(`[data-node="${NODE}"]`)).toContainText(WEB.address);
  await expect(page.getByText('★ Leader')).toBeVisible();
  await page.screenshot({ path: 'test-results/ui/agent-nodes.png', fullPage: true });
  await page.locator(`[data-node="${NODE}"]`).getByRole('link').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText(NODE);
  await expect(page.locator(`[data-check-id="check:${WEB.id}"]`)).toBeVisible();
  for (const tab of ['Health Checks', 'Service Instances', 'Round Trip Time', 'Lock Sessions', 'Metadata']) {
    await page.getByRole('navigation', { name: 'Node' }).getByRole('link', { name: tab }).click();
    await expect(page.getByRole('navigation', { name: 'Node' }).getByRole('link', { name: tab })).toHaveAttribute('aria-current', 'page');
    await page.screenshot({ path: `test-results/ui/agent-node-${tab.toLowerCase().replaceAll(' ', '-')}.png`, fullPage: true });
  }
});

test('a KV edit round-trips and a stale second editor gets a conflict', async ({ page, browser }) => {
  const dc = await openDashboard(page);
  await page.goto(`${ui.url}/ui/${dc}/kv/ui-test/app/`);
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('app');
  await page.screenshot({ path: 'test-results/ui/agent-kv-folder.png', fullPage: true });
  await page.locator('[data-key="ui-test/app/config"]').getByRole('link', { name: 'config' }).click();
  await expect(page.getByTestId('kv-value')).toHaveValue('{"debug": false}');
  await page.screenshot({ path: 'test-results/ui/agent-kv-edit.png', fullPage: true });

  // A second editor opens the same key before the first one saves.
  const other = await browser.newPage();
  await other.goto(page.url());
  await expect(other.getByTestId('kv-value')).toHaveValue('{"debug": false}');

  await page.getByTestId('kv-value').fill('{"debug": true}');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(`${ui.url}/ui/${dc}/kv/ui-test/app`);
  expect(await api.getKv('ui-test/app/config')).toBe('{"debug": true}');

  await other.getByTestId('kv-value').fill('{"debug": "stale"}');
  await other.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByRole('alert').filter({ hasText: 'Conflict: the key changed' })).toContainText('Someone else changed or deleted');
  await other.screenshot({ path: 'test-results/ui/agent-kv-conflict.png', fullPage: true });
  expect(await api.getKv('ui-test/app/config')).toBe('{"debug": true}');
  await other.close();
});

test('the agent going down shows a clear error, and the page recovers when it returns', async ({ page }) => {
  test.skip(dev === undefined, 'needs the agent these tests started (it stops and restarts it)');
  await page.goto(`${ui.url}/ui/`);
  await expect(page.locator('[data-service="consul"]')).toBeVisible();
  const port = Number(dev!.httpAddr.split(':')[1]);
  await dev!.stop();
  // The long-poll breaks; the page keeps the last data and says the agent is gone.
  await expect(page.getByRole('alert').getByText('Consul agent unreachable')).toBeVisible({ timeout: 15_000 });
  await expect(page.locator('[data-service="consul"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/ui/agent-down.png', fullPage: true });
  // A new agent on the same address (a restart: fresh in-memory state, lower Raft index).
  dev = await startDevAgent('ui-dev-agent-2', port);
  await expect(page.getByRole('alert').getByText('Consul agent unreachable')).toBeHidden({ timeout: 40_000 });
  await expect(page.locator('[data-service="consul"]')).toBeVisible();
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Nodes' }).click();
  await expect(page.locator('[data-node="ui-dev-agent-2"]')).toBeVisible();
});
