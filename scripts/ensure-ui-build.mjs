/**
 * `npm start`'s first step: builds the /ui dashboard (next build) when there is no production build
 * yet, so that `npm install && npm start` serves the UI on :8500. Later starts reuse the build.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!existsSync(`${root}.next/BUILD_ID`)) {
  console.log('==> Building the web UI (first start only)...');
  const r = spawnSync(process.execPath, [`${root}node_modules/next/dist/bin/next`, 'build'], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NEXT_TELEMETRY_DISABLED: '1' },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
