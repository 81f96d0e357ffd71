import { expect, test } from '@playwright/test';
import { scenarios } from '../scripts/sim-registry.ts';
import { bundleForBrowser } from './support/bundle.ts';

// The core runs unchanged in a browser: the simulator, bundled for the browser with no Node
// built-ins, replays the same seeds in Chromium and produces the same trace hash as Node.
test('a seeded simulation gives the same trace hash in Chromium as in Node', async ({ page }) => {
  const script = await bundleForBrowser('e2e/support/sim-browser-entry.ts', 'SimEntry');
  await page.goto('about:blank');
  await page.addScriptTag({ content: script });
  // Every protocol's own scenario, at sizes a browser test can afford (the 1,000-node gossip and
  // the long raft soak replay the same code paths, just longer).
  for (const name of ['heartbeat', 'raft', 'gossip-small'].filter((n) => n in scenarios)) {
    for (const seed of [1, 42, 2026]) {
      const node = scenarios[name]?.run(seed);
      const browser = await page.evaluate(
        ([n, s]) => (globalThis as unknown as { SimEntry: { runScenario: (n: string, s: number) => { ok: boolean; traceHash: string; events: number } } }).SimEntry.runScenario(n, s),
        [name, seed] as const,
      );
      console.log(`${name} seed ${seed}: node ${node?.traceHash} browser ${browser.traceHash} (${browser.events} events)`);
      expect(browser.ok).toBe(true);
      expect(browser.traceHash).toBe(node?.traceHash);
    }
  }
});
