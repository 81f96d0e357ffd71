/**
 * The purity rule for core/: no Node built-ins, no DOM-only globals, no global timers, clock,
 * randomness, `process` or `Buffer`. Time, randomness and IO enter the core through core/ports.
 *
 * This module is the rule itself (pure functions over source text) so that it can be tested;
 * scripts/check-purity.ts applies it to the tree.
 */

/** One violation: where, and which rule. */
export interface PurityViolation {
  file: string;
  line: number;
  rule: string;
  text: string;
}

const NODE_MODULES = [
  'fs', 'fs/promises', 'net', 'dgram', 'child_process', 'buffer', 'os', 'http', 'https', 'http2',
  'tls', 'dns', 'crypto', 'worker_threads', 'path', 'url', 'zlib', 'stream', 'events', 'util',
  'cluster', 'readline', 'perf_hooks', 'timers', 'process', 'v8', 'vm', 'async_hooks', 'module',
  'assert', 'inspector', 'tty', 'querystring', 'string_decoder',
];

/** Packages that need Node or a DOM, which core/ must never import even indirectly. */
const IMPURE_PACKAGES = ['ws', 'lmdb', 'better-sqlite3', 'next', 'react', 'react-dom', 'simple-peer', 'idb'];

const moduleSpecifier = String.raw`(?:from\s*|import\s*\(\s*|require\s*\(\s*|import\s+)['"]([^'"]+)['"]`;

const GLOBAL_RULES: Array<{ rule: string; pattern: RegExp }> = [
  { rule: 'global timer', pattern: /(?<![\w.$])(?:globalThis\.)?(setTimeout|setInterval|setImmediate|queueMicrotask|requestAnimationFrame)\s*\(/ },
  { rule: 'global clock', pattern: /\bDate\.now\s*\(|\bnew\s+Date\s*\(|\bperformance\.now\s*\(|(?<![\w.$])Date\s*\(/ },
  { rule: 'global randomness', pattern: /\bMath\.random\s*\(|\bcrypto\.getRandomValues\s*\(|\bcrypto\.randomUUID\s*\(/ },
  { rule: 'process', pattern: /(?<![\w.$])process\s*[.[]/ },
  { rule: 'Buffer', pattern: /(?<![\w.$])Buffer\s*[.(]|\bnew\s+Buffer\b|:\s*Buffer\b/ },
  { rule: 'DOM global', pattern: /(?<![\w.$])(document|window|localStorage|sessionStorage|navigator|indexedDB)\s*[.[]/ },
];

/** Removes comments and string/template contents so that prose never trips a rule. */
export function stripCommentsAndStrings(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    const next = source[i + 1];
    if (c === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i++;
    } else if (c === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end < 0 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else if (c === '"' || c === "'" || c === '`') {
      const quote = c;
      out += quote;
      i++;
      while (i < source.length && source[i] !== quote) {
        if (source[i] === '\\') i++;
        out += source[i] === '\n' ? '\n' : ' ';
        i++;
      }
      out += quote;
      i++;
    } else {
      out += c;
      i++;
    }
  }
  return out;
}

function importViolation(spec: string): string | undefined {
  if (spec.startsWith('node:')) return `Node built-in import '${spec}'`;
  if (NODE_MODULES.includes(spec)) return `Node built-in import '${spec}'`;
  const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : (spec.split('/')[0] ?? spec);
  if (IMPURE_PACKAGES.includes(pkg)) return `impure package import '${spec}'`;
  return undefined;
}

/** Checks one file's source text against the rule. `file` is only used in the report. */
export function checkSource(file: string, source: string): PurityViolation[] {
  const violations: PurityViolation[] = [];
  const lines = source.split('\n');
  const code = stripCommentsAndStrings(source).split('\n');
  const specifierPattern = new RegExp(moduleSpecifier, 'g');
  lines.forEach((text, index) => {
    for (const match of text.matchAll(specifierPattern)) {
      const rule = importViolation(match[1] ?? '');
      if (rule) violations.push({ file, line: index + 1, rule, text: text.trim() });
    }
    const stripped = code[index] ?? '';
    for (const { rule, pattern } of GLOBAL_RULES) {
      if (pattern.test(stripped)) violations.push({ file, line: index + 1, rule, text: text.trim() });
    }
  });
  return violations;
}

/** True for files the rule covers: core/ sources other than tests and benchmarks. */
export function isCoreSource(path: string): boolean {
  return /(^|\/)core\//.test(path) && /\.(ts|tsx|js|mjs)$/.test(path) && !/\.(test|bench)\.ts$/.test(path);
}
