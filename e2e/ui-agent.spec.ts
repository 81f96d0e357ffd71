import { expect, test } from '@playwright/test';
import { ConsulApi } from './support/consul-api.ts';
import { ensureBuild, startUi, type UiServer } from './support/ui-server.ts';

/**
 * The dashboard against a real agent: every page renders the agent's data, a KV edit round-trips,
 * a second editor gets a CAS conflict, and a check turning critical shows without a reload.
 *
 * The agent is the one at UI_TEST_AGENT (`host:port`, e.g. `npm start` = `consul agent -dev` on
 * 127.0.0.1:8500). Until the agent's HTTP API is on main, nothing provides one in `npm test`, so
 * these tests are skipped unless UI_TEST_AGENT is set; they then create their own node, service
 * and keys (all prefixed `ui-test`) and remove them afterwards.
 */

const AGENT = process.env.UI_TEST_AGENT ?? '';
test.skip(AGENT === '', 'set UI_TEST_AGENT=host:port of a running agent to run the dashboard against real data');

let ui: UiServer;
const api = new ConsulApi(AGENT || '127.0.0.1:8500');
const NODE = 'ui-test-node';
const WEB = { node: NODE, address: '127.0.0.10', service: 'ui-test-web', id: 'ui-test-web-1', port: 8080, tags: ['v1', 'ui'], meta: { version: '1.0' } };

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ensureBuild();
  expect(await api.hasLeader(), `agent at ${AGENT} has a leader`).toBe(true);
  await api.registerService({ ...WEB, status: 'passing', output: 'HTTP GET /health: 200 OK' });
  await api.putKv('ui-test/app/config', '{"debug": false}');
  ui = await startUi(AGENT);
});

test.afterAll(async () => {
  await ui?.stop();
  if (AGENT !== '') {
    await api.deregisterNode(NODE).catch(() => {});
    await api.deleteTree('ui-test/').catch(() => {});
  }
});

test('the services list, a service and its instance show the agent’s data', async ({ page }) => {
  await page.goto(`${ui.url}/ui/`);
  await expect(page).toHaveURL(/\/ui\/[^/]+\/services$/);
  const dc = new URL(page.url()).pathname.split('/')[2]!;
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
  await page.goto(`${ui.url}/ui/`);
  const dc = new URL(page.url()).pathname.split('/')[2]!;
  await page.goto(`${ui.url}/ui/${dc}/kv/ui-test/app`);
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
  await expect(other.getByRole('alert')).toContainText('Conflict: the key changed');
  await other.screenshot({ path: 'test-results/ui/agent-kv-conflict.png', fullPage: true });
  expect(await api.getKv('ui-test/app/config')).toBe('{"debug": true}');
  await other.close();
});
