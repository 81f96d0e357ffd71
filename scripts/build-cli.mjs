/**
 * Prebuilds the `consul` CLI with esbuild into dist/cli/ (ESM, code-split so that each command
 * loads only its own modules), because running the TypeScript through tsx costs ~0.5 s of start-up.
 * Also writes dist/cli/inputs.json (every source file with its mtime): the launcher
 * (server/cli/consul.js) uses the bundle only while all of them are unchanged, and otherwise runs
 * the sources through tsx, so an edit is never shadowed by a stale build.
 *
 * Runs on `npm install` (the `prepare` script) and by hand: `node scripts/build-cli.mjs`.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const outdir = `${root}dist/cli`;

function revision() {
  try {
    return execFileSync('git', ['rev-parse', '--short=8', 'HEAD'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    return '';
  }
}

let build;
try {
  ({ build } = await import('esbuild'));
} catch {
  // Installed without devDependencies: no prebuild; the launcher will say what is missing.
  console.log('esbuild is not installed: skipping the CLI prebuild');
  process.exit(0);
}
rmSync(outdir, { recursive: true, force: true });
mkdirSync(outdir, { recursive: true });
const result = await build({
  absWorkingDir: root,
  entryPoints: { consul: 'server/cli/consul.ts', 'dns-worker': 'server/dns/workers/dns-worker-main.ts' },
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  packages: 'external',
  metafile: true,
  logLevel: 'warning',
  define: {
    __CONSUL_TS_REVISION__: JSON.stringify(revision()),
    __CONSUL_TS_BUILD_DATE__: JSON.stringify(new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')),
  },
});
const inputs = Object.keys(result.metafile.inputs)
  .filter((p) => !p.startsWith('node_modules/'))
  .map((p) => [p, statSync(`${root}${p}`).mtimeMs]);
writeFileSync(`${outdir}/inputs.json`, JSON.stringify({ inputs }));
console.log(`built dist/cli/consul.mjs from ${inputs.length} source files`);
