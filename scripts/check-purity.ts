/**
 * Applies the core purity rule (scripts/purity.ts) to every source file under core/ and exits
 * non-zero, listing each violation, when any is found. Run by `npm run lint`, hence by `npm test`.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkSource, isCoreSource } from './purity.ts';

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules') return [];
    return statSync(path).isDirectory() ? walk(path) : [path];
  });
}

const root = process.cwd();
const files = walk(join(root, 'core')).map((f) => relative(root, f)).filter(isCoreSource);
const violations = files.flatMap((f) => checkSource(f, readFileSync(join(root, f), 'utf8')));
for (const v of violations) console.error(`${v.file}:${v.line}: ${v.rule}: ${v.text}`);
if (violations.length > 0) {
  console.error(`core purity check: ${violations.length} violation(s) in ${files.length} files`);
  process.exit(1);
}
console.log(`core purity check: ${files.length} files clean`);
