import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveNodeId } from './node-id.ts';
import { removePidFile, writePidFile } from './pid-file.ts';

const root = mkdtempSync(join(tmpdir(), 'consul-files-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('node-id', () => {
  it('is generated once into <data-dir>/node-id and reused', () => {
    const dir = join(root, 'd1');
    const first = resolveNodeId({ configured: '', dataDir: dir });
    expect(first).toMatch(UUID);
    expect(readFileSync(join(dir, 'node-id'), 'utf8')).toBe(first);
    expect(resolveNodeId({ configured: '', dataDir: dir })).toBe(first);
  });

  it('prefers the configured ID, lower-cased, and rejects a non-UUID', () => {
    expect(resolveNodeId({ configured: 'ABCDEF01-2345-6789-ABCD-EF0123456789', dataDir: '' })).toBe('abcdef01-2345-6789-abcd-ef0123456789');
    expect(() => resolveNodeId({ configured: 'nope', dataDir: '' })).toThrow(/not a valid UUID/);
  });

  it('is random per start in -dev (no data dir)', () => {
    const a = resolveNodeId({ configured: '', dataDir: '' });
    expect(a).toMatch(UUID);
    expect(resolveNodeId({ configured: '', dataDir: '' })).not.toBe(a);
  });

  it('refuses a corrupt node-id file', () => {
    const dir = join(root, 'd2');
    mkdirSync(dir);
    writeFileSync(join(dir, 'node-id'), 'garbage\n');
    expect(() => resolveNodeId({ configured: '', dataDir: dir })).toThrow(/is invalid/);
  });
});

describe('pid file', () => {
  it('writes the pid without a newline and removes it', () => {
    const p = join(root, 'consul.pid');
    writePidFile(p, 4242);
    expect(readFileSync(p, 'utf8')).toBe('4242');
    removePidFile(p);
    expect(existsSync(p)).toBe(false);
  });

  it('reports Consul-style errors', () => {
    expect(() => writePidFile(join(root, 'missing', 'x.pid'))).toThrow(/^Could not open pid file: /);
    expect(() => removePidFile(join(root, 'absent.pid'))).toThrow(/^Could not remove pid file: /);
    expect(() => removePidFile(root)).toThrow('Specified pid file path is directory');
  });
});
