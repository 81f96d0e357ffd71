import { expect, type Page, test } from '@playwright/test';
import { LabRunner } from '../lab/sim-runner/lab-runner.ts';
import { nodesOf, specFromParams } from '../lab/sim-runner/cluster-spec.ts';
import { layoutTopology } from '../lab/views/layout.ts';
import { ensureBuild, freePort, startUi, type UiServer } from './support/ui-server.ts';

/**
 * The in-tab cluster lab (/lab) in Chromium: real agents on the simulator inside the page. The lab
 * needs no agent (CONSUL_HTTP_ADDR points nowhere); everything runs in the tab.
 */

let ui: UiServer;

test.beforeAll(async () => {
  test.setTimeout(600_000);
  ensureBuild();
  ui = await startUi(`127.0.0.1:${await freePort()}`);
});

test.afterAll(async () => {
  await ui?.stop();
});

const leaderOf = (page: Page) => page.getByTestId('lab').getAttribute('data-leader');

async function waitForLeader(page: Page, not?: string): Promise<string> {
  await expect.poll(async () => {
    const l = await leaderOf(page);
    return l !== null && l !== '' && l !== not;
  }, { timeout: 60_000 }).toBe(true);
  return (await leaderOf(page)) ?? '';
}

/** Loads a seeded URL that stops at `until` ms of virtual time, and returns the trace hash there. */
async function hashAt(page: Page, query: string, until: number): Promise<string> {
  await page.goto(`${ui.url}/lab?${query}&until=${until}`);
  const hash = page.getByTestId('trace-hash');
  await expect(hash).toHaveAttribute('data-at', String(until), { timeout: 90_000 });
  return (await hash.getAttribute('data-trace-hash')) ?? '';
}

test('the in-tab cluster elects a leader', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`${ui.url}/lab?seed=3`);
  const leader = await waitForLeader(page);
  await expect(page.locator(`[data-node="${leader}"][data-role="leader"]`)).toBeVisible();
  await expect(page.getByTestId('dc-leader-dc1')).toContainText(`leader ${leader}`);
  await page.screenshot({ path: 'test-results/lab/elected.png', fullPage: true });
});

test('a seeded URL replays the same trace, at any speed', async ({ page }) => {
  const first = await hashAt(page, 'seed=42&speed=10', 4000);
  const second = await hashAt(page, 'seed=42&speed=10', 4000);
  const slower = await hashAt(page, 'seed=42&speed=2', 4000);
  const other = await hashAt(page, 'seed=43&speed=10', 4000);
  console.log(`seed 42 at 4 s: ${first} / ${second} / ${slower} (2x); seed 43: ${other}`);
  expect(first).toMatch(/^[0-9a-f]{16}$/);
  expect(second).toBe(first);
  expect(slower).toBe(first);
  expect(other).not.toBe(first);
  // The same run in Node, with no browser at all, ends in the same hash.
  const node = new LabRunner(specFromParams(new URLSearchParams('seed=42')));
  await node.advance(4000);
  console.log(`seed 42 at 4 s in Node: ${node.traceHash()}`);
  expect(node.traceHash()).toBe(first);
});

test('a lesson runs to its end', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`${ui.url}/lab?lesson=leader-election`);
  const lesson = page.getByTestId('lesson');
  await expect(lesson).toBeVisible();
  const steps = await lesson.locator('ol li').count();
  for (let i = 0; i < steps * 10; i++) {
    if (await page.getByTestId('lesson-complete').isVisible()) break;
    const auto = page.getByTestId('lesson-auto');
    const next = page.getByTestId('lesson-next');
    // A step may finish (and its buttons go) between the check and the click: then just go round.
    if ((await auto.isVisible()) && (await auto.isEnabled())) await auto.click({ timeout: 5000 }).catch(() => {});
    else if (await next.isVisible()) await next.click({ timeout: 5000 }).catch(() => {});
    // The step's goal is checked on the next redraw.
    await page.waitForTimeout(400);
  }
  await expect(page.getByTestId('lesson-complete')).toBeVisible({ timeout: 30_000 });
  await expect(lesson).toHaveAttribute('data-finished', 'true');
  await page.screenshot({ path: 'test-results/lab/lesson-complete.png', fullPage: true });
});

test('killing the leader in the view produces a new leader', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  await page.goto(`${ui.url}/lab?seed=5&speed=2`);
  const old = await waitForLeader(page);
  await page.locator(`svg [data-node="${old}"]`).click();
  await expect(page.getByTestId('node-panel')).toHaveAttribute('data-node', old);
  await page.getByRole('button', { name: 'Kill (lose unsynced)' }).click();
  await expect(page.locator(`[data-node="${old}"]`).first()).toHaveAttribute('data-status', 'crashed');
  const next = await waitForLeader(page, old);
  expect(next).not.toBe(old);
  await expect(page.locator(`[data-node="${next}"][data-role="leader"]`)).toBeVisible();
  await page.screenshot({ path: 'test-results/lab/new-leader.png', fullPage: true });
});

test('a big cluster draws its nodes on one canvas, and clicking there selects a node', async ({ page }) => {
  await page.setViewportSize({ width: 1600, height: 1000 });
  const query = 'seed=2&layout=dc1:5:95&play=0';
  await page.goto(`${ui.url}/lab?${query}`);
  const canvas = page.getByTestId('node-canvas');
  await expect(canvas).toHaveAttribute('data-nodes', '100');
  await expect(page.locator('svg [data-node]')).toHaveCount(0);
  // Where the page draws c10: the same layout, fitted into the canvas as the SVG's viewBox is.
  const spec = specFromParams(new URLSearchParams(query));
  const layout = layoutTopology(nodesOf(spec), ['dc1']);
  const p = layout.positions.get('c10');
  const box = await canvas.boundingBox();
  if (!p || !box) throw new Error('no position or canvas box');
  const s = Math.min(box.width / layout.width, box.height / layout.height);
  await canvas.click({ position: { x: (box.width - layout.width * s) / 2 + p.x * s, y: (box.height - layout.height * s) / 2 + p.y * s } });
  await expect(page.getByTestId('node-panel')).toHaveAttribute('data-node', 'c10');
});
