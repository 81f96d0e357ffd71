import { expect, type Page, test } from '@playwright/test';
import { ConsulApi } from './support/consul-api.ts';
import { type DevAgent, startDevAgent } from './support/dev-agent.ts';
import { ensureBuild, startUi, type UiServer } from './support/ui-server.ts';

/**
 * The dashboard's ACL pages against a real `consul agent -dev` with ACLs on and default deny:
 * anonymous sees the login prompt and no services; the management token sees everything and the
 * ACL pages; a policy, role and token made in the UI give a token that sees only service "web"
 * (with the filtered notice); clone and delete with confirmation. Screenshots: test-results/ui/acl-*.
 */

const ROOT = 'root-secret-1234';
const HCL = `acl { enabled = true default_policy = "deny" tokens { initial_management = "${ROOT}" } }`;
const RULES = 'service "web" { policy = "read" }\nnode_prefix "" { policy = "read" }';
let dev: DevAgent;
let api: ConsulApi;
let ui: UiServer;
let dc = 'dc1';
let webSecret = '';
let webAccessor = '';

test.describe.configure({ mode: 'serial' });

test.beforeAll(async () => {
  test.setTimeout(300_000);
  ensureBuild();
  dev = await startDevAgent('ui-acl-agent', 0, 'dc1', ['-hcl', HCL]);
  api = new ConsulApi(dev.httpAddr, ROOT);
  for (const [service, port] of [
    ['web', 80],
    ['db', 5432],
  ] as const) {
    await api.registerService({ node: 'acl-test-node', address: '127.0.0.20', service, id: `${service}-1`, port, status: 'passing' });
  }
  ui = await startUi(dev.httpAddr);
});

test.afterAll(async () => {
  await ui?.stop();
  await dev?.stop();
});

const shot = (page: Page, name: string) => page.screenshot({ path: `test-results/ui/acl-${name}.png`, fullPage: true });

/** Starts a test's fresh browser context logged in with `secret` (as a saved login would be). */
async function useToken(page: Page, secret: string) {
  await page.goto(`${ui.url}/ui/setting`);
  await page.evaluate((s) => localStorage.setItem('consul:token', s), secret);
}

async function loginInDialog(page: Page, secret: string) {
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel('ACL token (SecretID)').fill(secret);
  await dialog.getByRole('button', { name: 'Log in' }).click();
}

test('anonymous sees no services, a login prompt, and a refused token is explained', async ({ page }) => {
  await page.goto(`${ui.url}/ui/`);
  await expect(page).toHaveURL(/\/ui\/[^/]+\/services$/);
  dc = new URL(page.url()).pathname.split('/')[2] ?? 'dc1';
  await expect(page.getByTestId('acl-empty-hint')).toBeVisible();
  await expect(page.locator('[data-service]')).toHaveCount(0);
  await expect(page.getByTestId('nav-login')).toBeVisible();
  // Consul shows the ACL menu only to tokens that may read ACLs.
  await expect(page.getByRole('link', { name: 'Access Controls' })).toHaveCount(0);
  await shot(page, 'anonymous-services');
  await page.getByTestId('nav-login').click();
  await loginInDialog(page, 'not-a-real-secret');
  await expect(page.getByRole('dialog').getByRole('alert')).toContainText('does not exist');
  await page.keyboard.press('Escape');
  await page.goto(`${ui.url}/ui/${dc}/acls/tokens`);
  await expect(page.getByTestId('acl-forbidden')).toContainText('You are not authorized');
  await expect(page.getByTestId('acl-forbidden')).toContainText('anonymous token lacks permission');
  await shot(page, 'anonymous-forbidden');
});

test('the management token sees services and every ACL page', async ({ page }) => {
  await page.goto(`${ui.url}/ui/${dc}/acls/tokens`);
  const prompt = page.getByTestId('acl-forbidden');
  await prompt.getByLabel('ACL token (SecretID)').fill(ROOT);
  await prompt.getByRole('button', { name: 'Log in' }).click();
  await expect(page.getByTestId('nav-logout')).toBeVisible();
  await expect(page.getByRole('link', { name: 'Access Controls' })).toBeVisible();
  const mine = page.locator('[data-token]', { hasText: 'Your token' });
  await expect(mine).toContainText('Initial Management Token');
  await expect(mine).toContainText('global-management');
  await expect(page.locator('[data-token="00000000-0000-0000-0000-000000000002"]')).toContainText('Anonymous token');
  await shot(page, 'tokens');
  await page.getByRole('link', { name: 'Policies' }).click();
  await page.locator('[data-policy="global-management"]').getByRole('link').click();
  await expect(page.getByText('cannot be changed or deleted')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
  await shot(page, 'policy-global-management');
  await page.goto(`${ui.url}/ui/${dc}/services`);
  await expect(page.locator('[data-service="web"]')).toBeVisible();
  await expect(page.locator('[data-service="db"]')).toBeVisible();
  await expect(page.getByTestId('acl-filtered')).toHaveCount(0);
});

test('a policy, a role and a token made in the UI', async ({ page }) => {
  await useToken(page, ROOT);
  await page.goto(`${ui.url}/ui/${dc}/acls/policies`);
  await page.getByRole('link', { name: 'Create' }).click();
  await expect(page).toHaveURL(`${ui.url}/ui/${dc}/acls/policies/create`);
  await page.getByLabel('Name', { exact: true }).fill('web-read');
  await page.getByLabel('Description').fill('Reads service web');
  await page.getByTestId('policy-rules').fill(RULES);
  await page.getByTestId('picker-datacenters').getByLabel('Specific datacenters').check();
  await expect(page.getByTestId('picker-datacenters').getByRole('checkbox', { name: dc })).toBeChecked();
  await shot(page, 'policy-create');
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('[data-policy="web-read"]')).toContainText('Reads service web');
  await expect(page.locator('[data-policy="web-read"]')).toContainText(`Datacenters: ${dc}`);
  await shot(page, 'policies');

  await page.getByRole('link', { name: 'Roles', exact: true }).click();
  // Wait for the roles page itself: the policies page's own Create link is still there meanwhile.
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Roles');
  await page.getByRole('link', { name: 'Create' }).click();
  await expect(page).toHaveURL(`${ui.url}/ui/${dc}/acls/roles/create`);
  await page.getByLabel('Name', { exact: true }).fill('web-readers');
  await page.getByTestId('picker-policies').getByRole('checkbox', { name: /web-read/ }).check();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page.locator('[data-role="web-readers"]')).toContainText('web-read');
  await shot(page, 'roles');

  await page.goto(`${ui.url}/ui/${dc}/acls/tokens/create`);
  await page.getByLabel('Description').fill('web reader');
  await page.getByTestId('picker-policies').getByRole('checkbox', { name: /web-read/ }).check();
  await page.getByRole('button', { name: 'Create' }).click();
  await expect(page).toHaveURL(new RegExp(`/ui/${dc}/acls/tokens/[0-9a-f-]{36}$`));
  const secret = page.getByTestId('token-secret');
  await expect(secret).toHaveText(/^•+$/);
  await page.getByRole('button', { name: 'Show' }).click();
  await expect(secret).toHaveText(/^[0-9a-f-]{36}$/);
  webSecret = (await secret.textContent()) ?? '';
  webAccessor = (await page.getByTestId('token-accessor').textContent()) ?? '';
  await shot(page, 'token-detail');
  const stored = (await api.call('GET', `acl/token/${webAccessor}`)).data as { Policies: { Name: string }[] };
  expect(stored.Policies.map((p) => p.Name)).toEqual(['web-read']);
});

test('logged in with the new token, only service web is shown, with the filtered notice', async ({ page }) => {
  await useToken(page, ROOT);
  await page.goto(`${ui.url}/ui/${dc}/services`);
  await expect(page.locator('[data-service="db"]')).toBeVisible();
  await page.getByTestId('nav-logout').click();
  await expect(page.getByTestId('nav-login')).toBeVisible();
  await expect(page.locator('[data-service]')).toHaveCount(0);
  await page.getByTestId('nav-login').click();
  await loginInDialog(page, webSecret);
  await expect(page.getByTestId('nav-token')).toContainText('web reader');
  await expect(page.locator('[data-service="web"]')).toBeVisible();
  await expect(page.locator('[data-service="db"]')).toHaveCount(0);
  await expect(page.getByTestId('acl-filtered')).toBeVisible();
  await shot(page, 'web-token-services');
  await expect(page.getByRole('link', { name: 'Access Controls' })).toHaveCount(0);
  await page.goto(`${ui.url}/ui/${dc}/acls/tokens`);
  await expect(page.getByTestId('acl-forbidden')).toContainText("lacks permission 'acl:read'");
  await shot(page, 'web-token-forbidden');
});

test('clone and delete a token, then the role and policy, each with confirmation', async ({ page }) => {
  await useToken(page, webSecret);
  await page.goto(`${ui.url}/ui/${dc}/acls/tokens`);
  await page.getByRole('button', { name: 'Log in with a different token' }).click();
  await loginInDialog(page, ROOT);
  await page.locator(`[data-token="${webAccessor}"]`).getByRole('link').first().click();
  await page.getByRole('button', { name: 'Clone' }).click();
  await expect(page).not.toHaveURL(new RegExp(webAccessor));
  await expect(page.getByTestId('token-accessor')).not.toHaveText(webAccessor);
  const clone = (await page.getByTestId('token-accessor').textContent()) ?? '';
  expect(clone).toMatch(/^[0-9a-f-]{36}$/);
  for (const accessor of [clone, webAccessor]) {
    await page.goto(`${ui.url}/ui/${dc}/acls/tokens/${accessor}`);
    await page.getByRole('button', { name: 'Delete' }).click();
    await expect(page.getByRole('alertdialog')).toContainText('cannot be undone');
    if (accessor === webAccessor) await shot(page, 'token-delete-confirm');
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(page).toHaveURL(`${ui.url}/ui/${dc}/acls/tokens`);
    await expect(page.locator(`[data-token="${accessor}"]`)).toHaveCount(0);
  }
  const left = (await api.call('GET', 'acl/tokens')).data as { AccessorID: string }[];
  expect(left.map((t) => t.AccessorID)).not.toContain(webAccessor);
  expect(left.map((t) => t.AccessorID)).not.toContain(clone);
  for (const [section, attr, name] of [
    ['roles', 'data-role', 'web-readers'],
    ['policies', 'data-policy', 'web-read'],
  ] as const) {
    await page.goto(`${ui.url}/ui/${dc}/acls/${section}`);
    await page.locator(`[${attr}="${name}"]`).getByRole('link', { name }).click();
    await page.getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('button', { name: 'Yes, delete' }).click();
    await expect(page).toHaveURL(`${ui.url}/ui/${dc}/acls/${section}`);
    await expect(page.locator(`[${attr}="${name}"]`)).toHaveCount(0);
  }
  const policies = (await api.call('GET', 'acl/policies')).data as { Name: string }[];
  expect(policies.map((p) => p.Name)).toEqual(['global-management']);
});

test('identities are edited, and deleting the token you are logged in with logs you out', async ({ page }) => {
  const made = (await api.call('PUT', 'acl/token', { Description: 'ops admin', Policies: [{ Name: 'global-management' }], ServiceIdentities: [{ ServiceName: 'api' }] }))
    .data as { AccessorID: string; SecretID: string };
  await useToken(page, made.SecretID);
  await page.goto(`${ui.url}/ui/${dc}/acls/tokens/${made.AccessorID}`);
  await expect(page.getByText('This is the token you are logged in with')).toBeVisible();
  const identities = page.getByTestId('identity-editor');
  await expect(identities).toContainText('service: api');
  await identities.getByRole('button', { name: 'Remove api' }).click();
  await identities.getByLabel('Identity type').selectOption('node');
  await identities.getByLabel('Identity name').fill('Not Valid');
  await identities.getByRole('button', { name: 'Add' }).click();
  await expect(identities.getByRole('alert')).toContainText('lower-case');
  await identities.getByLabel('Identity name').fill('acl-test-node');
  await identities.getByRole('button', { name: 'Add' }).click();
  await expect(identities).toContainText(`node: acl-test-node (${dc})`);
  await shot(page, 'token-identities');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page).toHaveURL(`${ui.url}/ui/${dc}/acls/tokens`);
  const saved = (await api.call('GET', `acl/token/${made.AccessorID}`)).data as { ServiceIdentities?: unknown[]; NodeIdentities?: unknown[] };
  expect(saved.ServiceIdentities ?? []).toEqual([]);
  expect(saved.NodeIdentities).toEqual([{ NodeName: 'acl-test-node', Datacenter: dc }]);
  await page.goto(`${ui.url}/ui/${dc}/acls/tokens/${made.AccessorID}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  await expect(page.getByRole('alertdialog')).toContainText('you will be logged out');
  await page.getByRole('button', { name: 'Yes, delete' }).click();
  await expect(page.getByTestId('nav-login')).toBeVisible();
  await expect(page.getByTestId('acl-forbidden')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('consul:token'))).toBeNull();
});
