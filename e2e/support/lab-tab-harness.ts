/**
 * A small HTTP server for driving lab tabs without a Next build: `/lab/node` serves a bare page
 * running the tab runtime (bundled with esbuild) and `/lab/signal` is the real signaling server.
 * Used while developing the runtime; the Playwright spec runs against the agent and Next.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createSignalServer } from '../../server/lab/signal-server.ts';
import { bundleForBrowser } from './bundle.ts';

export async function startLabHarness(port = 0): Promise<{ url: string; close: () => Promise<void> }> {
  const script = await bundleForBrowser('e2e/support/lab-tab-entry.ts', 'LabTab');
  const signal = createSignalServer();
  const server: Server = createServer((req, res) => {
    if ((req.url ?? '').startsWith('/lab/node')) {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end(`<!doctype html><meta charset="utf-8"><pre id="state"></pre><script>${script.replaceAll('</script', '<\\/script')}</script>`);
    } else {
      res.writeHead(404);
      res.end();
    }
  });
  server.on('upgrade', (req, socket, head) => {
    if (!signal.handleUpgrade(req, socket, head)) socket.destroy();
  });
  await new Promise<void>((r) => server.listen(port, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      await signal.close();
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
