import { expect, test } from '@playwright/test';
import { build } from 'esbuild';
import { type DevAgent, startDevAgent } from './support/dev-agent.ts';

/**
 * The typed admin client (`consul-ts/admin`) in Chromium against a real `consul agent -dev`: the
 * client is bundled for the browser (no Node built-ins), loaded into a page on the agent's origin,
 * and used for a query, a mutation with a refused CAS, and an SSE subscription.
 */

let dev: DevAgent;
let bundle: string;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  const out = await build({ entryPoints: ['admin/index.ts'], bundle: true, platform: 'browser', format: 'iife', globalName: 'ConsulAdmin', write: false, logLevel: 'silent' });
  bundle = out.outputFiles[0]!.text;
  dev = await startDevAgent('admin-e2e');
});

test.afterAll(async () => {
  await dev?.stop();
});

test('the admin client queries, writes with CAS and subscribes from a browser page', async ({ page }) => {
  await page.goto(`http://${dev.httpAddr}/v1/status/leader`);
  await page.addScriptTag({ content: bundle });
  const result = await page.evaluate(async () => {
    type Lib = typeof import('../admin/index.ts');
    const { createAdminClient } = (globalThis as unknown as { ConsulAdmin: Lib }).ConsulAdmin;
    const admin = createAdminClient({ baseUrl: location.origin, token: 'browser-token' });
    const overview = await admin.cluster.overview.query();
    const events: string[] = [];
    const sub = admin.events.kv.subscribe({ prefix: 'browser/' }, { onData: (e) => events.push(e.type === 'put' ? `put ${e.entry.key}=${e.entry.value}` : e.type) });
    while (!events.includes('snapshot')) await new Promise((r) => setTimeout(r, 50));
    await admin.kv.put.mutate({ key: 'browser/k', value: 'from chromium' });
    const entry = await admin.kv.get.query({ key: 'browser/k' });
    let refused = '';
    try {
      await admin.kv.put.mutate({ key: 'browser/k', value: 'stale', cas: (entry?.modifyIndex ?? 0) - 1 });
    } catch (e) {
      refused = `${(e as { data?: { code?: string } }).data?.code}: ${(e as Error).message}`;
    }
    while (!events.some((e) => e.startsWith('put'))) await new Promise((r) => setTimeout(r, 50));
    sub.unsubscribe();
    return { node: overview.agent.node, leader: overview.leader, value: entry?.value, refused, events };
  });
  expect(result.node).toBe('admin-e2e');
  expect(result.leader).not.toBe('');
  expect(result.value).toBe('from chromium');
  expect(result.refused).toMatch(/^PRECONDITION_FAILED: CAS failed: key "browser\/k" has been modified since index \d+$/);
  expect(result.events).toEqual(['snapshot', 'put browser/k=from chromium']);
});
