#!/usr/bin/env node
// The `consul` bin. Runs the esbuild prebuild (dist/cli, made by scripts/build-cli.mjs) when it is
// current with the sources, else the TypeScript sources through tsx. Kept dependency-free so that
// start-up stays fast: only node:fs is loaded before the chosen entry.
import { readFileSync, statSync } from 'node:fs';

const root = new URL('../../', import.meta.url);

function prebuildIsCurrent() {
  try {
    const { inputs } = JSON.parse(readFileSync(new URL('dist/cli/inputs.json', root), 'utf8'));
    return inputs.every(([path, mtime]) => statSync(new URL(path, root)).mtimeMs === mtime);
  } catch {
    return false;
  }
}

if (prebuildIsCurrent()) {
  await import(new URL('dist/cli/consul.mjs', root).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import(new URL('server/cli/consul.ts', root).href);
}
