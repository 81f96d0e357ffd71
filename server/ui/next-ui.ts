/**
 * The dashboard inside the agent: Next's request handler for the production build (`npm run
 * build` → `.next/`), mounted by the agent's HTTP server next to `/v1` on the same port (reference
 * §4.1). The agent answers `/v1/*` itself and hands the UI's paths here; `GET /` stays the agent's
 * 301 to `/ui/`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import next from 'next';

/** Handles one UI request on Node's req/res. */
export type UiRequestHandler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** Paths the app serves: the dashboard, the lab, Next's assets, the favicon. Everything else is the agent's. */
export function isUiPath(pathname: string): boolean {
  return (
    pathname === '/ui' ||
    pathname.startsWith('/ui/') ||
    pathname === '/lab' ||
    pathname.startsWith('/lab/') ||
    pathname.startsWith('/_next/') ||
    pathname === '/icon.svg' ||
    pathname === '/favicon.ico'
  );
}

/** Whether `dir` holds a production build of the app. */
export function hasUiBuild(dir: string): boolean {
  return existsSync(join(dir, '.next', 'BUILD_ID'));
}

/**
 * Loads the production build in `dir` (the repository root) and returns its request handler.
 * Rejects with a clear message when there is no build.
 */
export async function createUiRequestHandler(dir: string): Promise<UiRequestHandler> {
  if (!hasUiBuild(dir)) throw new Error(`no UI build in ${dir}/.next: run \`npm run build\` first`);
  process.env.NEXT_TELEMETRY_DISABLED = '1';
  const app = next({ dev: false, dir, quiet: true });
  await app.prepare();
  const handle = app.getRequestHandler();
  return (req, res) => handle(req, res);
}
