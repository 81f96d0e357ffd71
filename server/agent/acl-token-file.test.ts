import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { AclTokenFile } from './acl-token-file.ts';

const dirs: string[] = [];
const fresh = () => {
  const d = mkdtempSync(join(tmpdir(), 'acl-tokens-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('ACL files in the data dir', () => {
  it('persists API-set tokens as acl-tokens.json (0600) and loads them back', () => {
    const dir = fresh();
    const f = new AclTokenFile(dir);
    expect(f.load()).toEqual({});
    f.save({ default: 'd', agent: 'a', agentRecovery: '', replication: 'r', configFileServiceRegistration: '', dns: 'n' });
    expect(JSON.parse(readFileSync(join(dir, 'acl-tokens.json'), 'utf8'))).toEqual({ default: 'd', agent: 'a', replication: 'r', dns: 'n' });
    expect(statSync(join(dir, 'acl-tokens.json')).mode & 0o777).toBe(0o600);
    expect(new AclTokenFile(dir).load()).toEqual({ default: 'd', agent: 'a', replication: 'r', dns: 'n' });
  });

  it('ignores a malformed tokens file', () => {
    const dir = fresh();
    writeFileSync(join(dir, 'acl-tokens.json'), '{not json');
    expect(new AclTokenFile(dir).load()).toEqual({});
  });

  it('reads and removes the acl-bootstrap-reset file', () => {
    const dir = fresh();
    const reset = new AclTokenFile(dir).bootstrapReset();
    expect(reset.read()).toBeUndefined();
    writeFileSync(join(dir, 'acl-bootstrap-reset'), '13\n');
    expect(reset.read()).toBe('13\n');
    reset.remove();
    expect(reset.read()).toBeUndefined();
  });
});
