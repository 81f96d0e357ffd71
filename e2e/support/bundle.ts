/**
 * Bundles a core entry point for the browser with esbuild, so that browser tests run exactly the
 * code Node runs (no Node built-ins are available to it: a stray import fails the bundle).
 */
import { build } from 'esbuild';

export async function bundleForBrowser(entry: string, globalName: string): Promise<string> {
  const result = await build({
    entryPoints: [entry],
    bundle: true,
    write: false,
    format: 'iife',
    globalName,
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error(`esbuild produced no output for ${entry}`);
  return file.text;
}
