import { describe, expect, it } from 'vitest';
import { checkSource, isCoreSource } from './purity.ts';

// The checker must fail on every forbidden import or global, and stay quiet on the same words in
// comments, strings and names that merely contain them.
describe('core purity rule', () => {
  const forbidden: Array<[string, string]> = [
    ["import { readFileSync } from 'node:fs';", 'Node built-in'],
    ["import * as fs from 'fs';", 'Node built-in'],
    ["import net from 'net';", 'Node built-in'],
    ["import dgram from 'dgram';", 'Node built-in'],
    ["import { Buffer } from 'buffer';", 'Node built-in'],
    ["import { spawn } from 'child_process';", 'Node built-in'],
    ["const x = await import('node:crypto');", 'Node built-in'],
    ["const ws = require('ws');", 'impure package'],
    ["import { open } from 'lmdb';", 'impure package'],
    ['setTimeout(() => tick(), 10);', 'global timer'],
    ['const h = setInterval(f, 5);', 'global timer'],
    ['globalThis.setTimeout(f, 1);', 'global timer'],
    ['queueMicrotask(f);', 'global timer'],
    ['const t = Date.now();', 'global clock'],
    ['const d = new Date();', 'global clock'],
    ['const t = performance.now();', 'global clock'],
    ['const r = Math.random();', 'global randomness'],
    ['crypto.getRandomValues(buf);', 'global randomness'],
    ['const env = process.env.X;', 'process'],
    ['const b = Buffer.from("x");', 'Buffer'],
    ['function f(b: Buffer) {}', 'Buffer'],
    ['document.body.append(x);', 'DOM global'],
    ['window.addEventListener("x", f);', 'DOM global'],
  ];
  for (const [line, rule] of forbidden) {
    it(`rejects: ${line}`, () => {
      const found = checkSource('core/x.ts', line);
      expect(found.length).toBeGreaterThan(0);
      expect(found[0]?.rule).toContain(rule);
    });
  }

  const allowed = [
    '// setTimeout is banned here; Date.now() too',
    "const s = 'Math.random() is not used';",
    'timers.setTimer(10, f);',
    'this.clock.now();',
    'const processed = 1; processedCount.x = 2;',
    'const myBuffer = new Uint8Array(4);',
    "import { Prng } from '../lib/prng.ts';",
    "import { encode } from '@msgpack/msgpack';",
    'const b = new TextEncoder().encode(s);',
  ];
  for (const line of allowed) {
    it(`accepts: ${line}`, () => {
      expect(checkSource('core/x.ts', line)).toEqual([]);
    });
  }

  it('covers core sources but not tests, benches or other folders', () => {
    expect(isCoreSource('core/raft/raft.ts')).toBe(true);
    expect(isCoreSource('core/raft/raft.test.ts')).toBe(false);
    expect(isCoreSource('core/raft/raft.bench.ts')).toBe(false);
    expect(isCoreSource('server/agent.ts')).toBe(false);
  });

  it('reports file and line', () => {
    const found = checkSource('core/a.ts', 'const a = 1;\nconst t = Date.now();\n');
    expect(found).toEqual([{ file: 'core/a.ts', line: 2, rule: 'global clock', text: 'const t = Date.now();' }]);
  });
});
