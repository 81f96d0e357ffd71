import { expect, test } from '@playwright/test';
import { ConsulApi } from './support/consul-api.ts';
import { type DevAgent, startDevAgent } from './support/dev-agent.ts';
import { ensureBuild, startUi, type UiServer } from './support/ui-server.ts';

/**
 * The dashboard across two datacenters: two real `consul agent -dev` servers, dc1 and dc2, joined
 * over WAN. The UI talks to dc1's agent only; switching the datacenter shows dc2's catalog, which
 * dc1's agent forwards with `?dc=dc2`, and a deep link into dc2 works from a fresh page.
 */

let dc1: DevAgent & { serfWanAddr: string };
let dc2: DevAgent & { serfWanAddr: string };
let ui: UiServer;

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ensureBuild();
  dc1 = await startDevAgent('ui-fed-dc1', 0, 'dc1');
  dc2 = await startDevAgent('ui-fed-dc2', 0, 'dc2');
  const api1 = new ConsulApi(dc1.httpAddr);
  const joined = await api1.call('PUT', `agent/join/${dc2.serfWanAddr}?wan`);
  expect(joined.status, JSON.stringify(joined.data)).toBe(200);
  await new ConsulApi(dc2.httpAddr).registerService({ node: 'dc2-node', address: '127.0.0.20', service: 'only-in-dc2', id: 'only-in-dc2-1', port: 9090 });
  await expect.poll(async () => (await api1.call('GET', 'catalog/datacenters')).data, { timeout: 30_000 }).toEqual(expect.arrayContaining(['dc1', 'dc2']));
  ui = await startUi(dc1.httpAddr);
});

test.afterAll(async () => {
  await ui?.stop();
  await dc1?.stop();
  await dc2?.stop();
});

test('the datacenter switcher lists both datacenters and shows the other one’s services', async ({ page }) => {
  await page.goto(`${ui.url}/ui/dc1/services`);
  await expect(page.locator('[data-service="consul"]')).toBeVisible();
  await expect(page.locator('[data-service="only-in-dc2"]')).toHaveCount(0);
  const switcher = page.getByTestId('dc-switcher');
  await expect(switcher.locator('option')).toHaveText(['dc1', 'dc2']);
  await switcher.selectOption('dc2');
  await expect(page).toHaveURL(/\/ui\/dc2\/services$/);
  await expect(page.locator('[data-service="only-in-dc2"]')).toBeVisible();
  await page.screenshot({ path: 'test-results/ui/federation-dc2-services.png', fullPage: true });

  await page.goto(`${ui.url}/ui/dc2/nodes`);
  await expect(page.getByText('dc2-node')).toBeVisible();
  await expect(page.getByText('ui-fed-dc1')).toHaveCount(0);
});
