/**
 * Runs the production build of the Next app (`next start`) for browser tests, pointed at an agent
 * by CONSUL_HTTP_ADDR. Builds first when there is no build or app sources are newer than it, so
 * `npm test` never tests a stale UI.
 */
import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..', '..');
const NEXT = join(ROOT, 'node_modules', 'next', 'dist', 'bin', 'next');
const ENV = { ...process.env, NEXT_TELEMETRY_DISABLED: '1' };

function newestMtime(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let newest = st.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

/** Builds the app unless `.next` already holds a build newer than every input. */
export function ensureBuild(): void {
  const buildId = join(ROOT, '.next', 'BUILD_ID');
  // The lab's views and the core it runs are bundled into the app too.
  const inputs = ['app', 'lab', 'core', 'next.config.js', 'postcss.config.mjs', 'package.json'].map((p) => join(ROOT, p));
  if (existsSync(buildId) && statSync(buildId).mtimeMs > Math.max(...inputs.map(newestMtime))) return;
  const result = spawnSync(process.execPath, [NEXT, 'build'], { cwd: ROOT, env: ENV, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`next build failed with status ${result.status}`);
}

/** A free TCP port on 127.0.0.1 (also used to get an address nothing listens on). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** A running `next start`. */
export interface UiServer {
  url: string;
  stop: () => Promise<void>;
}

/** Starts `next start` on a free port with CONSUL_HTTP_ADDR = `agentAddr`; resolves when it serves. */
export async function startUi(agentAddr: string): Promise<UiServer> {
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [NEXT, 'start', '-H', '127.0.0.1', '-p', String(port)], {
    cwd: ROOT,
    env: { ...ENV, CONSUL_HTTP_ADDR: agentAddr },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c) => (output += c));
  child.stderr?.on('data', (c) => (output += c));
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    if (child.exitCode !== null) throw new Error(`next start exited: ${output}`);
    try {
      const res = await fetch(`${url}/ui/setting`);
      if (res.ok) break;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
